// The many-connections results in the terminal and in Markdown: one row per model × scenario × N.
// Two halves, as the issue asks: taking the crowd in (how long, how many got in, what the server
// refused, reset or closed unanswered, and what a newcomer waited meanwhile), then the crowd held
// (the probe's steady wait, memory per connection, CPU, and the scenario's own figure).

import Table from 'cli-table3'
import { type CrowdSummary, formatSec, probeFigure, probeLosses } from './crowd-summary.js'
import { formatBytes, formatRps, formatShare, formatUs } from './format.js'

export const TAKE_IN_HEAD = ['model', 'scenario', 'N', 'in', 'take-in time', 'refused / reset / closed unanswered', 'SYNs dropped (full accept queue)', 'probe while taking in: p50 / p99']
export const HELD_HEAD = ['model', 'scenario', 'N', 'held open', 'steady probe p50 / p99 / max', 'probe losses', 'one sweep over the crowd: in the server / replica', 'RSS per connection', 'kernel TCP per connection', 'server CPU while held', 'scenario figure']

export function takeInRow(s: CrowdSummary): string[] {
  const key = [s.model, s.scenario, s.connections.toLocaleString('en-US')]
  if (!s.ok) return [...key, s.skipped !== undefined ? `not run: ${s.skipped}` : `✗ FAILED: ${s.failures.join('; ')}`, '', '', '', '']
  const burst = s.probe.burst
  return [
    ...key,
    s.allIn === true ? `all ${s.in!.toLocaleString('en-US')}` : `${s.in!.toLocaleString('en-US')} (${s.waiting} waiting)`,
    `${formatSec(s.takeInSec)}${s.burstEndedBy === 'cap' ? ' (cap reached)' : ''}`,
    `${s.refused} / ${s.reset} / ${s.closedWithoutResponse}`,
    s.listenOverflows == null ? '–' : s.listenOverflows.toLocaleString('en-US'),
    `${probeFigure(burst, 'p50')} / ${probeFigure(burst, 'p99')}`,
  ]
}

export function heldRow(s: CrowdSummary): string[] {
  const key = [s.model, s.scenario, s.connections.toLocaleString('en-US')]
  if (!s.ok) return [...key, s.skipped !== undefined ? 'not run' : '✗ FAILED', '', '', '', '', '', '', '']
  const steady = s.probe.steady
  return [
    ...key,
    (s.open ?? 0).toLocaleString('en-US'),
    `${probeFigure(steady, 'p50')} / ${probeFigure(steady, 'p99')} / ${probeFigure(steady, 'max')}`,
    probeLosses(steady) || 'none',
    sweepFigure(s),
    (s.open ?? 0) === 0 ? 'nothing held' : formatBytes(s.rssPerConnectionBytes),
    (s.open ?? 0) === 0 ? '–' : formatBytes(s.kernelTcpBytesPerConnection, true),
    formatShare(s.cpuShare),
    scenarioFigure(s),
  ]
}

/**
 * nonblocking's pass over every client as the server timed it, and how many such passes the steady
 * probe's p99 is; the replica (the same reads on the crowd's own sockets) for every model, as the
 * unit a polling loop would pay there.
 */
export function sweepFigure(s: CrowdSummary): string {
  const replica = s.sweepUs == null ? '–' : formatUs(s.sweepUs)
  if (s.serverSweepUs == null) return `– / ${replica}`
  const p99 = s.probe.steady?.latencyUs?.p99
  const ratio = p99 === undefined || !(s.serverSweepUs > 0) ? '' : ` (steady p99 = ${(p99 / s.serverSweepUs).toFixed(1)} sweeps)`
  return `${formatUs(s.serverSweepUs)} / ${replica}${ratio}`
}

/** What only this scenario measures: the active load beside an idle crowd, the 408s of slowloris, the bytes slow readers got. */
export function scenarioFigure(s: CrowdSummary): string {
  if (s.scenario === 'idle') {
    if (s.active === undefined) return ''
    if ('failure' in s.active) return `active load failed: ${s.active.failure}`
    return `active keep-alive: ${formatRps(s.active.rps)} req/s, p99 ${s.active.requests === 0 ? '–' : formatUs(s.active.p99Us)}${s.active.errors > 0 ? `, ${s.active.errors} errors/timeouts` : ''}`
  }
  if (s.scenario === 'slowloris') {
    const statuses = Object.entries(s.statuses ?? {}).map(([status, n]) => `${n} × ${status}`).join(', ')
    const a = s.answeredAfterMs
    const answered = a == null ? 'no answer' : `${statuses} after p50 ${formatSec(a.p50 / 1000)} / max ${formatSec(a.max / 1000)}`
    const e = s.endCounts
    const rest = e === undefined ? '' : [e.reset + e.closedWithoutResponse > 0 ? `${e.reset + e.closedWithoutResponse} dropped unanswered` : '', e.open > 0 ? `${e.open} still open at the end` : ''].filter((x) => x !== '').join(', ')
    return `${answered}${rest === '' ? '' : `; ${rest}`}`
  }
  return `read ${formatBytes(s.bytesRead)} in all`
}

export function crowdTable(summaries: readonly CrowdSummary[], color: boolean): string {
  const style = color ? { head: ['cyan'], border: ['grey'], compact: true } : { head: [], border: [], compact: true }
  const takeIn = new Table({ head: TAKE_IN_HEAD, style })
  const held = new Table({ head: HELD_HEAD, style })
  for (const s of summaries) {
    const a = takeInRow(s)
    const b = heldRow(s)
    takeIn.push(s.ok ? a : [...a.slice(0, 3), { colSpan: 5, content: a[3]! }])
    held.push(s.ok ? b : [...b.slice(0, 3), { colSpan: 8, content: b[3]! }])
  }
  const failed = summaries.filter((s) => !s.ok && s.skipped === undefined).length
  return [
    'many connections — taking the crowd in (burst start → last connection in)',
    takeIn.toString(),
    'many connections — the crowd held (the probe: a fresh connection per request, latency from its intended send time)',
    held.toString(),
    failed === 0 ? `${summaries.length} crowd cells measured${summaries.some((s) => s.skipped !== undefined) ? ' or shown as not run' : ''}.` : `${failed} of ${summaries.length} crowd cells FAILED.`,
  ].join('\n')
}
