// Chart: what a newcomer waits while a crowd is held — the steady probe's p99 against the crowd's
// size N, one line per model, one panel per crowd scenario, both axes logarithmic (crowds span
// 10 to 10,000, waits 1 ms to seconds). A model that stopped answering is not a number: its
// point sits in a band above the plot marked "no answer in T" (or "refused"), and its line breaks.

import type { CrowdSummary } from '../crowd-summary.js'
import { isCensored } from '../../stats/per-connection.js'
import { formatUs } from '../format.js'
import { type Section, gridChart } from './grid.js'
import { AXIS_H, BAND_H, logPanel, TITLE_H } from './log-panel.js'
import { FAIL, esc, modelColor, orderModels, round, swatch } from './svg.js'

const LEFT = 56
const PLOT_W = 320
const PLOT_H = 200

type Point = { n: number; us: number } | { n: number; lost: string }

/** The probe p99 of one summary as a point: a wait, or why there is none (null when the cell did not run). */
function pointOf(s: CrowdSummary): Point | null {
  const p = s.probe.steady
  if (!s.ok || p === undefined || p.sent === 0) return null
  if (p.answered === 0 && p.noAnswer === 0) return { n: s.connections, lost: 'refused' }
  const us = p.latencyUs?.p99 ?? 0
  if (p.answered === 0 || isCensored(us, p.timeoutMs)) return { n: s.connections, lost: `no answer in ${p.timeoutMs / 1000} s` }
  return { n: s.connections, us }
}

/** null when no crowd cell has a steady probe. */
export function probeP99LinesSvg(summaries: readonly CrowdSummary[]): string | null {
  const measured = summaries.filter((s) => pointOf(s) !== null)
  if (measured.length === 0) return null
  const models = orderModels(measured.map((s) => s.model))
  const scenarios = [...new Set(measured.map((s) => s.scenario))]
  const section: Section = {
    panels: scenarios.map((scenario) => ({
      width: LEFT + PLOT_W + 24,
      height: TITLE_H + BAND_H + PLOT_H + AXIS_H,
      draw: (x: number, y: number) => drawPanel(x, y, scenario, measured.filter((s) => s.scenario === scenario), models),
    })),
  }
  return gridChart({
    title: 'What a newcomer waits while a crowd is held',
    subtitle: 'steady probe p99 (fresh connection per request, from its intended send time) against crowd size N; log axes; top band: no answer',
    legend: models.map((m) => ({ label: m, swatch: swatch(modelColor(m)) })),
    sections: [section],
  })
}

function drawPanel(x: number, y: number, scenario: string, cells: CrowdSummary[], models: string[]): string {
  const points = cells.map((s) => ({ model: s.model, point: pointOf(s)! }))
  const ns = [...new Set(points.map((p) => p.point.n))].sort((a, b) => a - b)
  const waits = points.flatMap((p) => ('us' in p.point ? [p.point.us] : []))
  const { out, logX, logY, bandTop: band } = logPanel({
    x, y, leftOffset: LEFT, plotW: PLOT_W, plotH: PLOT_H, title: scenario,
    band: { label: 'no answer', fill: '#fdecea', ink: FAIL },
    xRange: [ns[0]!, ns[ns.length - 1]!], yRangeUs: [Math.min(...waits, 1000) / 1.5, Math.max(...waits, 1000) * 1.5],
    formatX: (n) => n.toLocaleString('en-US'), xTitle: 'connections held (N)', yTitle: 'probe p99',
  })

  const marks: string[] = []
  for (const model of models) {
    const color = modelColor(model)
    const mine = points.filter((p) => p.model === model).sort((a, b) => a.point.n - b.point.n)
    let path: string[] = []
    const flush = (): void => {
      if (path.length > 1) out.push(`<polyline class="series" data-model="${esc(model)}" points="${path.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`)
      path = []
    }
    for (const { point } of mine) {
      const cell = esc(`${model}|${scenario}|${point.n}`)
      if ('lost' in point) {
        flush()
        marks.push(`<g class="point lost" data-cell="${cell}"><title>${esc(`${model} N=${point.n}: ${point.lost}`)}</title><path d="M${round(logX(point.n) - 5)},${round(band + 16)} l5,-9 l5,9 z" fill="${color}" stroke="${FAIL}"/></g>`)
        continue
      }
      path.push(`${round(logX(point.n))},${round(logY(point.us))}`)
      marks.push(`<g class="point" data-cell="${cell}"><title>${esc(`${model} N=${point.n}: p99 ${formatUs(point.us)}`)}</title><circle cx="${round(logX(point.n))}" cy="${round(logY(point.us))}" r="3.5" fill="${color}" stroke="#fff"/></g>`)
    }
    flush()
  }
  return [...out, ...marks].join('\n')
}
