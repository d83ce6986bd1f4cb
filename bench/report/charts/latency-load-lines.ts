// Chart: the "hockey stick" — latency from the intended send time against offered load, one
// colour per model, p99 a solid line and p50 a dashed one, both axes logarithmic (rates span fork's
// few per second to eventloop's tens of thousands; latency µs to seconds), the SLO's bound drawn
// across, and the open-loop client's own ceiling drawn down, so a client limit is never read as a
// server's. A point whose client lagged is not a plain number: a hollow mark at its p99 that breaks
// its line (as a starved cell's point is); a point with no answer sits in the band above the plot;
// one that could not be measured is a ✗ on the axis.

import type { OpenLoopCeilingRecord, OpenLoopPoint } from '../../driver/open-loop-results.js'
import type { Slo } from '../../stats/slo-verdict.js'
import { formatRps, formatRpsShort, formatUs } from '../format.js'
import { laggingReason } from '../open-loop-tables.js'
import { type Section, gridChart } from './grid.js'
import { AXIS_H, BAND_H, logPanel, TITLE_H } from './log-panel.js'
import { FAIL, MUTED, esc, line, modelColor, orderModels, round, swatch, text } from './svg.js'
import { modeLabel } from './throughput-bars.js'

const LEFT = 60
const PLOT_W = 360
const PLOT_H = 220

/** null when no point was measured. */
export function latencyLoadLinesSvg(points: readonly OpenLoopPoint[], slo: Slo, ceiling?: OpenLoopCeilingRecord): string | null {
  if (points.length === 0) return null
  const models = orderModels(points.map((p) => p.model))
  const modes = [...new Set(points.map((p) => p.mode))]
  const sections: Section[] = modes.map((mode) => ({
    title: modeLabel(mode),
    panels: [...new Set(points.filter((p) => p.mode === mode).map((p) => p.scenario))].map((scenario) => ({
      width: LEFT + PLOT_W + 24,
      height: TITLE_H + BAND_H + PLOT_H + AXIS_H,
      draw: (x: number, y: number) => drawPanel(x, y, scenario, points.filter((p) => p.mode === mode && p.scenario === scenario), models, slo, ceiling?.mode === mode ? ceiling : undefined),
    })),
  }))
  const dashed = '<line x1="0" y1="6" x2="12" y2="6" stroke="#666" stroke-width="2" stroke-dasharray="3 2"/>'
  return gridChart({
    title: 'Latency against offered load (open loop)',
    subtitle: `latency from the intended send time: p99 solid, p50 dashed; log axes; red line: SLO ${slo.label}; grey line: the client's own ceiling; hollow: client lagging (the client's number as much as the server's); top band: no answer`,
    legend: [...models.map((m) => ({ label: m, swatch: swatch(modelColor(m)) })), { label: 'p50', swatch: dashed }],
    sections,
  })
}

const answered = (p: OpenLoopPoint): boolean => p.ok && p.result !== undefined && p.result.requests > 0
const measured = (p: OpenLoopPoint): boolean => answered(p) && p.verdict.outcome !== 'client-lagging'

function drawPanel(x: number, y: number, scenario: string, points: OpenLoopPoint[], models: string[], slo: Slo, ceiling?: OpenLoopCeilingRecord): string {
  const rates = points.map((p) => p.rate)
  const waits = points.filter(answered).flatMap((p) => [p.result!.latencyUs.p50, p.result!.latencyUs.p99]).filter((v) => v > 0)
  const left = x + LEFT
  const { out, logX, logY, bandTop: band, top, bottom, xTicks } = logPanel({
    x, y, leftOffset: LEFT, plotW: PLOT_W, plotH: PLOT_H, title: scenario,
    band: { label: 'no answer', fill: '#fdecea', ink: FAIL },
    xRange: [Math.min(...rates), Math.max(...rates, ceiling?.rate ?? 0)], yRangeUs: [Math.min(...waits, slo.boundUs) / 1.5, Math.max(...waits, slo.boundUs) * 1.5],
    formatX: formatRpsShort, xTitle: 'offered load (requests/s)', yTitle: 'latency',
  })
  out.push(`<g class="slo">${line(left, logY(slo.boundUs), left + PLOT_W, logY(slo.boundUs), FAIL, 1.5, '6 3')}${text(left + PLOT_W - 4, logY(slo.boundUs) - 4, `SLO ${slo.label}`, { size: 10, anchor: 'end', fill: FAIL })}</g>`)
  if (ceiling?.rate != null && ceiling.rate >= xTicks[0]! && ceiling.rate <= xTicks[xTicks.length - 1]!) {
    out.push(`<g class="ceiling">${line(logX(ceiling.rate), top, logX(ceiling.rate), bottom, MUTED, 1.5, '2 3')}${text(logX(ceiling.rate) - 4, top + 12, `client ceiling ${formatRpsShort(ceiling.rate)}/s`, { size: 10, anchor: 'end', fill: MUTED })}</g>`)
  }
  const marks: string[] = []
  for (const model of models) {
    const color = modelColor(model)
    const mine = points.filter((p) => p.model === model).sort((a, b) => a.rate - b.rate)
    for (const [key, dash] of [['p99', undefined], ['p50', '5 3']] as const) {
      let path: string[] = []
      const flush = (): void => {
        if (path.length > 1) out.push(`<polyline class="series ${key}" data-model="${esc(model)}" points="${path.join(' ')}" fill="none" stroke="${color}" stroke-width="${key === 'p99' ? 2 : 1.5}"${dash === undefined ? '' : ` stroke-dasharray="${dash}"`}/>`)
        path = []
      }
      for (const p of mine) {
        const cell = esc(`${model}|${scenario}|${p.mode}|${p.rate}`)
        if (!measured(p)) {
          flush()
          if (key === 'p50') continue // one mark per point
          marks.push(answered(p)
            ? `<g class="point lagging" data-cell="${cell}"><title>${esc(`${model} @ ${formatRps(p.rate)}/s: client lagging (${laggingReason(p.result)}): p99 ${formatUs(p.result!.latencyUs.p99)} is the client's number as much as the server's`)}</title><circle cx="${round(logX(p.rate))}" cy="${round(logY(p.result!.latencyUs.p99))}" r="4" fill="#fff" stroke="${color}" stroke-width="2"/></g>`
            : p.ok ? `<g class="point lost" data-cell="${cell}"><title>${esc(`${model} @ ${formatRps(p.rate)}/s: no answer`)}</title><path d="M${round(logX(p.rate) - 5)},${round(band + 16)} l5,-9 l5,9 z" fill="${color}" stroke="${FAIL}"/></g>`
            : `<g class="point failed" data-cell="${cell}"><title>${esc(`${model} @ ${formatRps(p.rate)}/s: ${p.failure ?? p.verdict.why}`)}</title>${text(logX(p.rate), bottom - 3, '✗', { size: 14, anchor: 'middle', fill: FAIL, weight: 'bold' })}</g>`)
          continue
        }
        const us = p.result!.latencyUs[key]
        path.push(`${round(logX(p.rate))},${round(logY(us))}`)
        if (key === 'p99') {
          const stroke = p.verdict.outcome === 'fail' ? FAIL : '#fff'
          marks.push(`<g class="point ${p.verdict.outcome}" data-cell="${cell}"><title>${esc(`${model} @ ${formatRps(p.rate)}/s: p99 ${formatUs(us)}, p50 ${formatUs(p.result!.latencyUs.p50)} — ${p.verdict.outcome}`)}</title><circle cx="${round(logX(p.rate))}" cy="${round(logY(us))}" r="3.5" fill="${color}" stroke="${stroke}"/></g>`)
        }
      }
      flush()
    }
  }
  return [...out, ...marks].join('\n')
}
