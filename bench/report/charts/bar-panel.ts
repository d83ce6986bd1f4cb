// One small-multiple panel of bars with its own y axis. Scenarios differ by orders of magnitude
// (hello vs a 256 KB file), so every panel scales to its own maximum and the comparison that
// matters, model against model in the same scenario, reads at a glance.

import { FAIL, GRID, INK, MUTED, esc, line, niceTicks, round, text } from './svg.js'
import { formatRpsShort } from '../format.js'
import { starvedBar } from './starved-mark.js'

export interface Bar {
  /** Undefined: the cell failed or did not run; drawn as a marked placeholder, never as a value. */
  value?: number
  fill: string
  /** Text under the bar (rotated), e.g. the model. */
  label: string
  /** Text above the bar; defaults to the value in short form. */
  top?: string
  /** Shown on a failed placeholder. */
  failed?: boolean
  /** The cell starved connections: drawn as an outline with this label above it, never as a plain value. */
  starved?: string
  /** Identifies the cell for tests and tooltips. */
  cell: string
  /** Tooltip (SVG <title>). */
  tooltip: string
}

export interface BarGroup {
  label: string
  bars: Bar[]
  /** Text centred above the group (e.g. a ratio). */
  note?: string
}

export const BAR_W = 20
export const BAR_GAP = 5
export const GROUP_GAP = 16
export const PANEL_LEFT = 50
export const PLOT_H = 180
export const PANEL_TITLE_H = 26
export const LABEL_H = 70

export function panelWidth(groups: readonly BarGroup[]): number {
  const bars = groups.reduce((n, g) => n + g.bars.length, 0)
  return PANEL_LEFT + bars * (BAR_W + BAR_GAP) + (groups.length - 1) * GROUP_GAP + 16
}

/** Height of a panel; groups with notes get a line for them between the title and the plot. */
export const panelHeight = (groups: readonly BarGroup[] = []): number => PANEL_TITLE_H + noteHeight(groups) + PLOT_H + LABEL_H

const noteHeight = (groups: readonly BarGroup[]): number => (groups.some((g) => g.note !== undefined) ? 14 : 0)

/** The panel at (x, y): title, axis with req/s ticks, bars, labels. */
export function barPanel(x: number, y: number, title: string, groups: readonly BarGroup[], width = panelWidth(groups), yUnit = 'req/s'): string {
  const top = y + PANEL_TITLE_H + noteHeight(groups)
  const bottom = top + PLOT_H
  const max = Math.max(0, ...groups.flatMap((g) => g.bars.map((b) => b.value ?? 0)))
  const ticks = niceTicks(max * 1.12) // headroom for the value labels
  const yMax = ticks[ticks.length - 1]!
  const yOf = (v: number): number => bottom - (v / yMax) * PLOT_H
  const out: string[] = [text(x + PANEL_LEFT, y + 16, title, { size: 13, weight: 'bold' })]

  if (max > 0) {
    for (const t of ticks) {
      out.push(line(x + PANEL_LEFT, yOf(t), x + width - 8, yOf(t), GRID))
      out.push(text(x + PANEL_LEFT - 5, yOf(t) + 4, formatRpsShort(t), { size: 10, anchor: 'end', fill: MUTED }))
    }
  } else {
    out.push(text(x + (PANEL_LEFT + width) / 2, top + PLOT_H / 3, 'no numbers:', { size: 11, anchor: 'middle', fill: FAIL }))
    out.push(text(x + (PANEL_LEFT + width) / 2, top + PLOT_H / 3 + 14, 'every cell failed', { size: 11, anchor: 'middle', fill: FAIL }))
  }
  out.push(text(x + 12, top + PLOT_H / 2, yUnit, { size: 10, anchor: 'middle', fill: MUTED, rotate: -90 }))
  out.push(line(x + PANEL_LEFT, bottom, x + width - 8, bottom, INK))

  // bars centred when the panel is wider than they need (a long title)
  let cx = x + PANEL_LEFT + 6 + (width - panelWidth(groups)) / 2
  for (const group of groups) {
    const groupStart = cx
    for (const bar of group.bars) {
      const mid = cx + BAR_W / 2
      if (bar.value === undefined) {
        const h = PLOT_H * 0.25
        out.push(`<g class="bar failed" data-cell="${esc(bar.cell)}"><title>${esc(bar.tooltip)}</title>`
          + `<rect x="${round(cx)}" y="${round(bottom - h)}" width="${BAR_W}" height="${round(h)}" fill="url(#failed)" stroke="${FAIL}" stroke-width="1.5"/>`
          + `${text(mid, bottom - h - 4, '✗', { size: 13, anchor: 'middle', fill: FAIL, weight: 'bold' })}</g>`)
      } else if (bar.starved !== undefined) {
        out.push(starvedBar(cx, bottom, BAR_W, Math.max(1, (bar.value / yMax) * PLOT_H), { ...bar, starved: bar.starved }))
      } else {
        const h = Math.max(1, (bar.value / yMax) * PLOT_H)
        out.push(`<g class="bar" data-cell="${esc(bar.cell)}"><title>${esc(bar.tooltip)}</title>`
          + `<rect x="${round(cx)}" y="${round(bottom - h)}" width="${BAR_W}" height="${round(h)}" fill="${bar.fill}"/>`
          + `${text(mid, bottom - h - 4, bar.top ?? formatRpsShort(bar.value), { size: 9, anchor: 'middle', fill: INK })}</g>`)
      }
      if (bar.label !== '') out.push(text(mid + 3, bottom + 10, bar.label, { size: 10, anchor: 'end', fill: bar.value === undefined ? FAIL : INK, rotate: -45 }))
      cx += BAR_W + BAR_GAP
    }
    const groupMid = (groupStart + cx - BAR_GAP) / 2
    if (group.label !== '') out.push(text(groupMid, bottom + LABEL_H - 4, group.label, { size: 11, anchor: 'middle', weight: 'bold' }))
    if (group.note !== undefined) out.push(text(groupMid, top - 4, group.note, { size: 10, anchor: 'middle', fill: MUTED }))
    cx += GROUP_GAP
  }
  return out.join('\n')
}
