// Lays out small-multiple panels in sections (each with a heading, e.g. "keep-alive · 16
// connections") under a title and a legend, and wraps them in one SVG document. A section's
// panels wrap onto new rows so a chart stays within MAX_ROW_WIDTH and readable on a laptop screen.

import { FAIL, INK, MUTED, document, hatchPattern, legend, line, text } from './svg.js'

export const MAX_ROW_WIDTH = 1440
const MARGIN = 16
const HEADER_H = 64
const SECTION_H = 26
const PANEL_GAP = 18

export interface Panel {
  width: number
  height: number
  /** Draws the panel with its top-left corner at (x, y). */
  draw: (x: number, y: number) => string
}

export interface Section {
  /** Heading above the section's panels; omitted when the chart has one section and no heading. */
  title?: string
  panels: Panel[]
}

export interface GridChart {
  title: string
  subtitle: string
  legend: Array<{ label: string; swatch: string }>
  sections: Section[]
  extraDefs?: string[]
}

export function gridChart(chart: GridChart): string {
  const body: string[] = []
  let y = MARGIN + HEADER_H
  let width = 0
  for (const section of chart.sections) {
    if (section.panels.length === 0) continue
    if (section.title !== undefined) {
      body.push(text(MARGIN, y + 16, section.title, { size: 14, weight: 'bold', fill: INK }))
      body.push(line(MARGIN, y + 22, MARGIN + Math.min(MAX_ROW_WIDTH, 10 * section.title.length + 40), y + 22, '#bbb'))
      y += SECTION_H + 6
    }
    let x = MARGIN
    let rowHeight = 0
    for (const panel of section.panels) {
      if (x > MARGIN && x + panel.width > MARGIN + MAX_ROW_WIDTH) {
        y += rowHeight + PANEL_GAP
        x = MARGIN
        rowHeight = 0
      }
      body.push(`<g class="panel">${panel.draw(x, y)}</g>`)
      x += panel.width + PANEL_GAP
      rowHeight = Math.max(rowHeight, panel.height)
      width = Math.max(width, x - PANEL_GAP + MARGIN)
    }
    y += rowHeight + PANEL_GAP
  }
  const key = legend(MARGIN, MARGIN + 40, chart.legend)
  width = Math.max(width, key.width + 2 * MARGIN, chart.title.length * 9 + 2 * MARGIN, chart.subtitle.length * 6.5 + 2 * MARGIN)
  const header = [
    text(MARGIN, MARGIN + 14, chart.title, { size: 16, weight: 'bold' }),
    text(MARGIN, MARGIN + 32, chart.subtitle, { size: 12, fill: MUTED }),
    key.svg,
  ]
  return document(width, y + MARGIN - PANEL_GAP, chart.title, [...header, ...body], [hatchPattern('failed', FAIL), ...(chart.extraDefs ?? [])])
}
