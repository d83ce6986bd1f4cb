// Lays out small-multiple panels in rows under a title and a legend, and wraps them in one SVG
// document. Panels in a row share its height; a row holds at most MAX_COLUMNS panels so a chart
// stays readable on a laptop screen.

import { FAIL, MUTED, document, hatchPattern, legend, text } from './svg.js'

export const MAX_COLUMNS = 3
const MARGIN = 16
const HEADER_H = 64
const PANEL_GAP = 18

export interface Panel {
  width: number
  height: number
  /** Draws the panel with its top-left corner at (x, y). */
  draw: (x: number, y: number) => string
}

export interface GridChart {
  title: string
  subtitle: string
  legend: Array<{ label: string; swatch: string }>
  /** Panels in reading order; a new row starts at each `breakBefore` index as well as when a row is full. */
  panels: Panel[]
  breakBefore?: ReadonlySet<number>
  extraDefs?: string[]
  footer?: string
}

export function gridChart(chart: GridChart): string {
  const rows: Panel[][] = []
  for (const [i, panel] of chart.panels.entries()) {
    const row = rows[rows.length - 1]
    if (row === undefined || row.length >= MAX_COLUMNS || chart.breakBefore?.has(i) === true) rows.push([panel])
    else row.push(panel)
  }
  const body: string[] = []
  let y = MARGIN + HEADER_H
  let width = 0
  for (const row of rows) {
    let x = MARGIN
    for (const panel of row) {
      body.push(`<g class="panel">${panel.draw(x, y)}</g>`)
      x += panel.width + PANEL_GAP
    }
    width = Math.max(width, x - PANEL_GAP + MARGIN)
    y += Math.max(...row.map((p) => p.height)) + PANEL_GAP
  }
  const key = legend(MARGIN, MARGIN + 40, chart.legend)
  width = Math.max(width, key.width + 2 * MARGIN, chart.title.length * 9 + 2 * MARGIN, chart.subtitle.length * 6.5 + 2 * MARGIN)
  const header = [
    text(MARGIN, MARGIN + 14, chart.title, { size: 16, weight: 'bold' }),
    text(MARGIN, MARGIN + 32, chart.subtitle, { size: 12, fill: MUTED }),
    key.svg,
  ]
  if (chart.footer !== undefined) {
    body.push(text(MARGIN, y + 4, chart.footer, { size: 11, fill: MUTED }))
    y += 20
  }
  return document(width, y + MARGIN - PANEL_GAP + 10, chart.title, [...header, ...body], [hatchPattern('failed', FAIL), ...(chart.extraDefs ?? [])])
}
