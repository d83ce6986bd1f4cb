// The open-loop tables, as Markdown rows rendered from RunResults.openLoop: each model's
// sustainable rate per scenario with keep-alive and close side by side, and every point's latency
// against load. A client-lagging point is never a plain number (its figures only in parentheses,
// as a starved cell's req/s: they are the client's as much as the server's); a failed one never a
// number at all.

import type { OpenLoopPoint, OpenLoopSection, OpenLoopSeries } from '../driver/open-loop-results.js'
import type { SustainableRate } from '../stats/sustainable-rate.js'
import type { ConnectionMode } from '../types.js'
import { orderModels } from './charts/svg.js'
import { formatRps, formatUs } from './format.js'

export function markdownTable(head: string[], rows: string[][], textColumns = 3): string[] {
  const cell = (s: string): string => s.replace(/\|/g, '\\|')
  return [`| ${head.map(cell).join(' | ')} |`, `|${head.map((_, i) => (i < textColumns ? ' --- ' : ' ---: ')).join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)]
}

/** Why the client lagged, without the flag's own name the client may have put in front. */
export const laggingReason = (result: { clientLagging?: string } | undefined): string => (result?.clientLagging ?? 'behind its schedule').replace(/^client[- ]lagging:?\s*/i, '')

/** "4,500/s", "≥ 9,000/s", "< 500/s", or why there is no rate. */
export function sustainableCell(series: OpenLoopSeries | undefined): string {
  if (series === undefined) return '—'
  if (series.failure !== undefined) return `✗ ${series.failure}`
  return describeSustainable(series.sustainable)
}

export function describeSustainable(s: SustainableRate): string {
  switch (s.kind) {
    case 'exact':
      return `**${formatRps(s.rate!)}/s** (fails at ${formatRps(s.failedAt!)})`
    case 'at-least':
      return s.laggedAt !== null
        ? `≥ ${formatRps(s.rate!)}/s (client lagging from ${formatRps(s.laggedAt)}/s: not a server limit)`
        : `≥ ${formatRps(s.rate!)}/s (the highest rate offered)`
    case 'below':
      return `< ${formatRps(s.failedAt!)}/s (the lowest rate offered failed)`
    case 'unknown':
      return s.laggedAt !== null ? `unknown: client lagging from ${formatRps(s.laggedAt)}/s` : 'not measured'
  }
}

/** The SLO's percentile at the sustainable rate, with its band: "2.10 ms (1.9–2.4 ms)". */
function atRate(points: readonly OpenLoopPoint[], series: OpenLoopSeries | undefined): string {
  const rate = series?.sustainable.rate
  if (series === undefined || rate == null) return ''
  const p = points.find((x) => x.model === series.model && x.scenario === series.scenario && x.mode === series.mode && x.rate === rate)
  if (p?.sloValueUs == null) return ''
  const band = p.band === undefined ? '' : ` (${formatUs(p.band.lowUs)}–${formatUs(p.band.highUs)})`
  return `${formatUs(p.sloValueUs)}${band}${p.verdict.fewSamples ? ` ⚠ ${p.samples.toLocaleString('en-US')} samples` : ''}${p.verdict.marginal ? ' marginal' : ''}`
}

/** One table per scenario: model × (keep-alive, close) sustainable rate and the SLO's percentile there. */
export function sustainableTables(section: OpenLoopSection): string[] {
  const pct = `p${section.config.slo.percentile}`
  const modes = section.config.modes
  const label = (m: ConnectionMode): string => (m === 'keepalive' ? 'keep-alive' : 'close')
  const out: string[] = []
  for (const scenario of section.config.scenarios) {
    const series = section.series.filter((s) => s.scenario === scenario)
    if (series.length === 0) continue
    const head = ['model', ...modes.flatMap((m) => [`${label(m)}: sustainable rate`, `${pct} there (95% band)`, ...(section.config.kind === 'list' ? [] : [`${label(m)} closed-loop capacity`])])]
    const rows = orderModels(series.map((s) => s.model)).map((model) => [model, ...modes.flatMap((mode) => {
      const s = series.find((x) => x.model === model && x.mode === mode)
      return [sustainableCell(s), atRate(section.points, s), ...(section.config.kind === 'list' ? [] : [s?.capacity === undefined ? '—' : `${formatRps(s.capacity)}/s`])]
    })])
    out.push(`#### ${scenario} — sustainable rate under ${section.config.slo.label}`, '', ...markdownTable(head, rows, 1), '')
  }
  return out
}

/** Every point: offered and achieved rate, latency from the intended send, service time, lateness, pool, samples, verdict. */
export function latencyLoadTable(section: OpenLoopSection): string[] {
  const pct = `p${section.config.slo.percentile}`
  const head = ['model', 'scenario', 'mode', 'offered/s', 'achieved/s', 'p50', 'p90', `${pct} (95% band)`, 'p99.9', 'max', 'service p50', 'service p99', 'lateness p99', 'connections', 'samples', `SLO ${section.config.slo.label}`]
  const order = orderModels(section.points.map((p) => p.model))
  const { scenarios, modes } = section.config
  const sorted = [...section.points].sort((a, b) => scenarios.indexOf(a.scenario) - scenarios.indexOf(b.scenario) || modes.indexOf(a.mode) - modes.indexOf(b.mode) || order.indexOf(a.model) - order.indexOf(b.model) || a.rate - b.rate)
  return markdownTable(head, sorted.map((p) => {
    const key = [p.model, p.scenario, p.mode, `${formatRps(p.rate)}${p.phase === 'search' ? ' (search)' : ''}`]
    const r = p.result
    if (!p.ok || r === undefined) return [...key, '**✗ FAILED**', '', '', '', '', '', '', '', '', '', '', p.failure ?? '']
    const lagging = p.verdict.outcome === 'client-lagging'
    const shown = (text: string): string => (lagging ? `(${text})` : text)
    const l = r.latencyUs
    const band = p.band === undefined ? '' : lagging ? ` [${formatUs(p.band.lowUs)}–${formatUs(p.band.highUs)}]` : ` (${formatUs(p.band.lowUs)}–${formatUs(p.band.highUs)})`
    const value = p.sloValueUs === null ? '–' : shown(`${formatUs(p.sloValueUs)}${band}`)
    const lost = r.errors + r.timeouts + r.non2xx > 0 ? ` (${r.errors} err, ${r.timeouts} t.o., ${r.non2xx} non-2xx)` : ''
    const verdict = lagging ? `**client lagging**: ${laggingReason(r)}` : `${p.verdict.outcome}${p.verdict.marginal ? ' (marginal)' : ''}`
    return [...key, formatRps(r.achievedRate), shown(formatUs(l.p50)), shown(formatUs(l.p90)), value, shown(formatUs(l.p999)), shown(formatUs(l.max)), shown(formatUs(r.serviceUs.p50)), shown(formatUs(r.serviceUs.p99)), formatUs(r.latenessUs.p99), String(r.connectionsUsed),
      `${p.samples.toLocaleString('en-US')}${p.verdict.fewSamples ? ' ⚠' : ''}`, `${verdict}${lost}`]
  }), 3)
}
