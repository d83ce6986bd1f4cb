// The open-loop section of a run's Markdown report and its hockey-stick chart, written beside it,
// rendered from RunResults.openLoop alone (render-report.ts appends it; a run of open-loop cells
// only gets a page of its own from openLoopOnlyMarkdown).

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RunResults } from '../driver/run-results.js'
import { runHeader } from './run-header.js'
import type { OpenLoopSection } from '../driver/open-loop-results.js'
import { latencyLoadLinesSvg } from './charts/latency-load-lines.js'
import { formatRps } from './format.js'
import { latencyLoadTable, sustainableTables } from './open-loop-tables.js'

export interface OpenLoopReport {
  lines: string[]
  svgPaths: string[]
}

/** The client's ceiling in one line: printed wherever open-loop numbers are, so a client limit is not read as a server's. */
export function ceilingLine(section: OpenLoopSection): string {
  const c = section.ceiling
  if (c === undefined) return "- **The open-loop client's own ceiling was not measured in this run**: a point flagged *client lagging* is the client's limit, not the server's."
  if (c.keptNone !== undefined) return `- **The open-loop client's own ceiling**: ${c.detail}. No ${c.mode} point was offered: each would have measured the client, not the server.`
  if (c.rate === null) return `- **The open-loop client's own ceiling**: ${c.detail}. No ladder was capped by it; a point flagged *client lagging* is the client's limit, not the server's.`
  return `- **The open-loop client's own ceiling on this machine: ${formatRps(c.rate)} req/s** (${c.mode}; ${c.detail}). Rates near or above it measure the client, not the server: auto ladders stop below it, and any point where the client fell behind its schedule is flagged *client lagging* and shown without a number.`
}

/** How the client was scheduled at its points (realtime where it could be: bench/host/realtime-priority.ts). */
export function schedulingLine(section: OpenLoopSection): string {
  const seen = [...new Set(section.points.flatMap((p) => (p.result?.clientScheduling !== undefined ? [p.result.clientScheduling] : [])))]
  if (seen.length === 0) return "- **The client's scheduling** was not recorded (results from before it was)."
  return `- **The client's scheduling**: ${seen.join('; ')}. Under SCHED_FIFO the client preempts the server the moment it wakes, so its schedule is not kept waiting behind the thing it measures; at its ordinary priority its lateness on a busy 2-core machine is larger.`
}

export function openLoopReport(results: RunResults, dir: string, base: string): OpenLoopReport | null {
  const section = results.openLoop
  if (section === undefined) return null
  const { config } = section
  const svg = latencyLoadLinesSvg(section.points, config.slo, section.ceiling)
  const svgPaths: string[] = []
  const file = `${base}-latency-load.svg`
  if (svg !== null) {
    writeFileSync(join(dir, file), svg)
    svgPaths.push(join(dir, file))
  }
  const rates = config.kind === 'list' ? `the rates ${config.rates!.map(formatRps).join(', ')} req/s` : `${config.fractions!.join(', ')} × each model's closed-loop capacity from this run's cells`
  const notes = section.series.flatMap((s) => s.notes.map((n) => `- ${s.model} · ${s.scenario} · ${s.mode}: ${n}`))
  const pointNotes = section.points.filter((p) => p.notes !== undefined && p.verdict.fewSamples === false).flatMap((p) => p.notes!.map((n) => `- ${p.model} · ${p.scenario} · ${p.mode} @ ${formatRps(p.rate)}/s: ${n}`))
  const few = section.points.filter((p) => p.ok && p.verdict.fewSamples).length
  const lines = [
    config.kind === 'curve' ? '## Latency under load (open loop, short curve)' : '## Latency under load (open loop)',
    '',
    `Requests were sent on a schedule — ${config.arrivals} arrivals at ${rates} — whatever the server did, and each latency runs from the request's *intended* send time, so a server that stalls cannot hide the stall by slowing the client down (coordinated omission). Keep-alive points share a pool of up to ${config.maxConnections} connections, one request in flight on each; a request whose turn comes while every connection is busy waits in the client, and that wait counts. Close points open a connection per request. Each point ran ${config.warmupSec} s at its rate first (discarded), then ${config.durationSec} s measured.`,
    '',
    `- **Sustainable rate**: the highest offered rate at which ${config.slo.label} held (latency p${config.slo.percentile} ≤ the bound, no errors, timeouts or non-2xx), found ${config.kind === 'curve' ? 'on the curve\'s few rates only (no search: a rough figure)' : `from the rates above, then up to ${config.searchSteps} bisection steps between the highest passing and the lowest failing rate (mutilate's --search)`}; a model's ladder stops after ${config.stopAfterFailures} rates in a row that failed or where the client lagged.`,
    `- **95% band**: the range the p${config.slo.percentile} could take from the sample count alone (order statistics n·p ± 1.96·√(n·p(1−p)), Lancet); it assumes independent samples, and near a knee they are not, so it is a floor on the uncertainty. ⚠ marks a point with fewer than ${config.minSamples.toLocaleString('en-US')} samples${few > 0 ? ` (${few} here)` : ''}: read its p${config.slo.percentile} with its band. *marginal*: the band straddles the bound.`,
    '- **service** runs from the actual write to the response (the server plus the wire); **lateness** is the client\'s own delay behind its schedule. A point where the client could not keep its schedule (achieved < 99% of target, its lateness p99 over 1 ms, or its event loop busy over 90% of the schedule, so that answers waited to be read) is **client lagging**: neither a pass nor a fail, and never a plain number.',
    schedulingLine(section),
    ceilingLine(section),
    '',
    '### Sustainable rate',
    '',
    ...sustainableTables(section),
    ...(svg !== null ? ['### Latency against offered load', '', `![Latency against offered load](${file})`, ''] : []),
    '### Every point',
    '',
    ...latencyLoadTable(section),
    '',
    ...(notes.length + pointNotes.length > 0 ? ['### Notes on open-loop points', '', ...notes, ...pointNotes, ''] : []),
  ]
  return { lines, svgPaths }
}

/** A whole page for a run of open-loop cells only (--rate=LIST: no closed-loop cells). */
export function openLoopOnlyMarkdown(results: RunResults, jsonName: string, report: OpenLoopReport): string {
  return [
    ...runHeader(results, jsonName),
    `- ${results.config.models.length} models (${results.config.models.join(', ')})${results.config.smoke ? '; **smoke run: numbers are not meaningful**' : ''}`,
    ...results.notes.map((n) => `- Note: ${n}`),
    '',
    ...report.lines,
  ].join('\n')
}
