// Chart 2: requests/s as concurrency grows, one line per model, one panel per scenario and mode.
// This is where the course's lesson shows: an iterative server stays flat or collapses while the
// event loop climbs. Levels are spaced evenly (1, 16, 64, 256 are a log sweep); a failed cell is
// a red ✗ on the axis and breaks its model's line.

import { formatRps, formatRpsShort } from '../format.js'
import type { CellSummary } from '../summarize.js'
import { type Section, gridChart } from './grid.js'
import { FAIL, GRID, INK, MUTED, esc, line, modelColor, niceTicks, orderModels, round, swatch, text } from './svg.js'
import { modeLabel } from './throughput-bars.js'
import { STARVED_LEGEND, starvedPoint } from './starved-mark.js'
import { isStarved } from '../fairness-summary.js'

const LEFT = 50
const PLOT_W = 300
const PLOT_H = 190
const TITLE_H = 26
const AXIS_H = 40

/** null when no scenario ran at more than one concurrency level. */
export function connectionsLinesSvg(summaries: readonly CellSummary[]): string | null {
  const models = orderModels(summaries.map((s) => s.model))
  const modes = [...new Set(summaries.map((s) => s.mode))]
  const sections: Section[] = modes.map((mode) => ({ title: modeLabel(mode), panels: [] }))
  for (const [m, mode] of modes.entries()) {
    for (const scenario of new Set(summaries.map((s) => s.scenario))) {
      const cells = summaries.filter((s) => s.scenario === scenario && s.mode === mode)
      const levels = [...new Set(cells.map((s) => s.connections))].sort((a, b) => a - b)
      if (levels.length < 2) continue
      sections[m]!.panels.push({ width: LEFT + PLOT_W + 20, height: TITLE_H + PLOT_H + AXIS_H, draw: (x, y) => drawPanel(x, y, scenario, cells, levels, models) })
    }
  }
  const panels = sections.flatMap((s) => s.panels)
  if (panels.length === 0) return null
  return gridChart({
    title: 'Throughput vs concurrent connections',
    subtitle: 'requests/s (median of repeats) at each concurrency level; ✗ = failed cell (no number); ○ = starved connections',
    legend: [...models.map((m) => ({ label: m, swatch: swatch(modelColor(m)) })), STARVED_LEGEND],
    sections,
  })
}

function drawPanel(x: number, y: number, title: string, cells: CellSummary[], levels: number[], models: string[]): string {
  const top = y + TITLE_H
  const bottom = top + PLOT_H
  const left = x + LEFT
  const max = Math.max(0, ...cells.map((s) => s.rps?.median ?? 0))
  const ticks = niceTicks(max * 1.08)
  const yMax = ticks[ticks.length - 1]!
  const xOf = (i: number): number => left + 16 + (i * (PLOT_W - 32)) / Math.max(1, levels.length - 1)
  const yOf = (v: number): number => bottom - (v / yMax) * PLOT_H
  const out: string[] = [text(left, y + 16, title, { size: 13, weight: 'bold' })]
  for (const t of ticks) {
    out.push(line(left, yOf(t), left + PLOT_W, yOf(t), GRID))
    out.push(text(left - 5, yOf(t) + 4, formatRpsShort(t), { size: 10, anchor: 'end', fill: MUTED }))
  }
  out.push(text(x + 12, top + PLOT_H / 2, 'req/s', { size: 10, anchor: 'middle', fill: MUTED, rotate: -90 }))
  out.push(line(left, bottom, left + PLOT_W, bottom, INK))
  levels.forEach((c, i) => out.push(text(xOf(i), bottom + 15, String(c), { size: 10, anchor: 'middle' })))
  out.push(text(left + PLOT_W / 2, bottom + 32, 'concurrent connections', { size: 11, anchor: 'middle', fill: MUTED }))

  const points: string[] = [] // drawn after every line so no line covers a point
  for (const model of models) {
    const color = modelColor(model)
    let path: string[] = []
    const flush = (): void => {
      if (path.length > 1) out.push(`<polyline class="series" data-model="${esc(model)}" points="${path.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`)
      path = []
    }
    levels.forEach((c, i) => {
      const s = cells.find((cell) => cell.model === model && cell.connections === c)
      if (s === undefined) return flush()
      const cell = esc(`${model}|${s.scenario}|${s.mode}|${c}`)
      if (!s.ok || s.rps === undefined) {
        flush()
        points.push(`<g class="point failed" data-cell="${cell}"><title>${esc(`${model} c=${c}: FAILED: ${s.failures.join('; ')}`)}</title>${text(xOf(i), bottom - 3, '✗', { size: 14, anchor: 'middle', fill: FAIL, weight: 'bold' })}</g>`)
        return
      }
      if (isStarved(s.fairness)) {
        flush()
        points.push(starvedPoint(xOf(i), yOf(s.rps.median), `${model}|${s.scenario}|${s.mode}|${c}`, `${model} c=${c}: starved connections (${formatRps(s.rps.median)} req/s from the ones it served)`))
        return
      }
      path.push(`${round(xOf(i))},${round(yOf(s.rps.median))}`)
      points.push(`<g class="point" data-cell="${cell}"><title>${esc(`${model} c=${c}: ${formatRps(s.rps.median)} req/s${s.clientBound ? ' (client-bound)' : ''}`)}</title><circle cx="${round(xOf(i))}" cy="${round(yOf(s.rps.median))}" r="3.5" fill="${color}" stroke="#fff"/></g>`)
    })
    flush()
  }
  return [...out, ...points].join('\n')
}
