// Crowd cells → one summary per model × scenario × N over its repeats, and the figures every table,
// chart and progress line shows the same way: a probe that stopped answering reads "no answer in
// 3 s", never as a latency; a connection the server refused, reset or closed unanswered is counted.
// Medians over repeats for scalars; probe latencies are merged histograms, never averaged.

import type { CrowdCellResult } from '../driver/crowd-results.js'
import type { ProbePhaseReport } from '../clients/probe-client.js'
import { mergeLatency } from '../stats/merge-latency.js'
import { coreShare, isCensored } from '../stats/per-connection.js'
import type { LatencySummary } from '../types.js'
import { formatBytes, formatUs } from './format.js'
import { median } from '../stats/descriptive.js'

export interface ProbeFigures {
  sent: number
  answered: number
  noAnswer: number
  /** Refused, reset or closed without an answer. */
  failed: number
  latencyUs: LatencySummary | null
  timeoutMs: number
}

export interface CrowdSummary {
  model: string
  scenario: string
  connections: number
  repeats: number
  ok: boolean
  skipped?: string
  failures: string[]
  /** Medians over repeats. */
  in?: number
  refused?: number
  reset?: number
  closedWithoutResponse?: number
  closedAfterResponse?: number
  waiting?: number
  /** Burst start → the last connection in, s; and whether every one got in. */
  takeInSec?: number | null
  allIn?: boolean
  burstEndedBy?: string
  listenOverflows?: number | null
  /** Connections open while held. */
  open?: number
  probe: Record<string, ProbeFigures>
  rssPerConnectionBytes?: number | null
  kernelTcpBytesPerConnection?: number | null
  rssHeldBytes?: number
  cpuShare?: number
  sweepUs?: number | null
  /** The server's own sweeps over the held crowd (nonblocking), µs: median over repeats of each cell's p50. */
  serverSweepUs?: number | null
  active?: { rps: number; p99Us: number; requests: number; errors: number } | { failure: string }
  statuses?: Record<string, number>
  answeredAfterMs?: { p50: number; max: number; count: number } | null
  endedAfterMs?: { p50: number; max: number; count: number } | null
  /** At the end of the cell. */
  endCounts?: { open: number; reset: number; closedWithoutResponse: number }
  bytesRead?: number
}

const keyOf = (r: CrowdCellResult): string => `${r.cell.model}|${r.cell.scenario}|${r.cell.connections}`

export function summarizeCrowds(results: readonly CrowdCellResult[]): CrowdSummary[] {
  const groups = new Map<string, CrowdCellResult[]>()
  for (const r of results) groups.set(keyOf(r), [...(groups.get(keyOf(r)) ?? []), r])
  return [...groups.values()].map(summarizeGroup)
}

function summarizeGroup(group: CrowdCellResult[]): CrowdSummary {
  const first = group[0]!
  const base = { model: first.cell.model, scenario: first.cell.scenario, connections: first.cell.connections, repeats: group.length }
  if (group.every((r) => r.skipped !== undefined)) return { ...base, ok: false, skipped: first.skipped!, failures: [], probe: {} }
  const failures = group.filter((r) => !r.ok).map((r) => `#${r.cell.repeat}: ${r.skipped ?? r.failure ?? 'failed'}`)
  if (failures.length > 0) return { ...base, ok: false, failures, probe: {} }
  const med = (pick: (r: CrowdCellResult) => number | null | undefined): number | null => {
    const values = group.map(pick).filter((v): v is number => typeof v === 'number' && Number.isFinite(v))
    return values.length === 0 ? null : median(values)
  }
  const end = (name: keyof NonNullable<CrowdCellResult['burst']>['counts']): number => med((r) => r.burst?.counts[name]) ?? 0
  const end2 = (name: keyof NonNullable<CrowdCellResult['burst']>['counts']): number => med((r) => r.end?.counts[name]) ?? 0
  const active = group.map((r) => r.active).filter((a) => a !== undefined)
  return {
    ...base,
    ok: true,
    failures: [],
    in: end('in'), refused: end('refused'), reset: end('reset'), closedWithoutResponse: end('closedWithoutResponse'), closedAfterResponse: end('closedAfterResponse'), waiting: end('waiting'),
    takeInSec: med((r) => (r.burst?.lastInMs == null ? null : r.burst.lastInMs / 1000)),
    allIn: group.every((r) => r.burst?.counts.in === r.cell.connections),
    burstEndedBy: first.burst?.endedBy ?? '',
    listenOverflows: med((r) => r.burst?.listenOverflows),
    open: med((r) => r.held?.counts.open) ?? 0,
    probe: mergeProbes(group),
    rssPerConnectionBytes: med((r) => r.held?.rssPerConnectionBytes),
    kernelTcpBytesPerConnection: med((r) => r.held?.kernelTcpBytesPerConnection),
    rssHeldBytes: med((r) => r.held?.rssHeldBytes) ?? 0,
    cpuShare: med((r) => (r.held === undefined ? null : coreShare(r.held.cpuSec, r.held.windowSec))) ?? 0,
    sweepUs: med((r) => r.sweepUs),
    serverSweepUs: med((r) => r.serverSweeps?.us?.p50),
    ...(active.length > 0 ? { active: summarizeActive(active) } : {}),
    statuses: first.end?.statuses ?? {},
    answeredAfterMs: first.end?.answeredAfterMs ?? null,
    endedAfterMs: first.end?.endedAfterMs ?? null,
    endCounts: { open: end2('open'), reset: end2('reset'), closedWithoutResponse: end2('closedWithoutResponse') },
    bytesRead: med((r) => r.end?.bytesRead) ?? 0,
  }
}

function summarizeActive(active: Array<NonNullable<CrowdCellResult['active']>>): CrowdSummary['active'] {
  const loads = active.filter((a): a is Exclude<typeof a, { failure: string }> => !('failure' in a))
  if (loads.length === 0) return { failure: (active[0] as { failure: string }).failure }
  return {
    rps: median(loads.map((l) => l.requestsPerSec)),
    p99Us: median(loads.map((l) => l.latencyUs.p99)),
    requests: loads.reduce((n, l) => n + l.requests, 0),
    errors: loads.reduce((n, l) => n + l.errors + l.timeouts, 0),
  }
}

function mergeProbes(group: CrowdCellResult[]): Record<string, ProbeFigures> {
  const byPhase = new Map<string, ProbePhaseReport[]>()
  const timeoutMs = group[0]!.probe?.timeoutMs ?? 0
  for (const r of group) for (const p of r.probe?.phases ?? []) byPhase.set(p.phase, [...(byPhase.get(p.phase) ?? []), p])
  const out: Record<string, ProbeFigures> = {}
  for (const [phase, parts] of byPhase) {
    const sum = (pick: (p: ProbePhaseReport) => number): number => parts.reduce((n, p) => n + pick(p), 0)
    out[phase] = {
      sent: sum((p) => p.sent), answered: sum((p) => p.answered), noAnswer: sum((p) => p.noAnswer),
      failed: sum((p) => p.refused + p.reset + p.closed),
      latencyUs: parts.length === 1 ? parts[0]!.latencyUs : mergeLatency(parts.map((p) => p.latencyUs), parts[0]!.latencyUs.source),
      timeoutMs,
    }
  }
  return out
}

/** A probe percentile as a reader should see it: a wait, or "no answer in T", or how many were refused. */
export function probeFigure(p: ProbeFigures | undefined, pick: 'p50' | 'p99' | 'max'): string {
  if (p === undefined || p.sent === 0) return '–'
  const seconds = `${p.timeoutMs / 1000} s`
  if (p.answered === 0 && p.noAnswer === 0) return `refused ${p.failed}/${p.sent}`
  if (p.latencyUs === null) return '–'
  const value = p.latencyUs[pick]
  if (p.answered === 0 || isCensored(value, p.timeoutMs)) return `no answer in ${seconds}`
  return formatUs(value)
}

/** The probe's counts when not every probe was answered, e.g. "12 unanswered, 3 refused of 60"; '' when all were. */
export function probeLosses(p: ProbeFigures | undefined): string {
  if (p === undefined || p.answered === p.sent) return ''
  const parts = [p.noAnswer > 0 ? `${p.noAnswer} unanswered` : '', p.failed > 0 ? `${p.failed} refused/reset` : ''].filter((s) => s !== '')
  return `${parts.join(', ')} of ${p.sent}`
}

/** One line for the progress display and the failed/skipped lists. */
export function crowdOutcome(r: CrowdCellResult): string {
  if (r.skipped !== undefined) return `not run: ${r.skipped}`
  if (!r.ok) return `FAILED: ${r.failure ?? 'unknown reason'}`
  const [s] = summarizeCrowds([r])
  if (s === undefined || !s.ok) return 'no result'
  const n = r.cell.connections
  const intake = s.in === n ? `all ${n.toLocaleString('en-US')} in after ${formatSec(s.takeInSec)}` : `${s.in} of ${n.toLocaleString('en-US')} in`
  const lost = [s.refused ? `${s.refused} refused` : '', s.reset ? `${s.reset} reset` : '', s.closedWithoutResponse ? `${s.closedWithoutResponse} closed unanswered` : ''].filter((x) => x !== '').join(', ')
  const perConn = s.rssPerConnectionBytes == null ? '' : `, ${formatBytes(s.rssPerConnectionBytes)}/connection`
  return `${intake}${lost === '' ? '' : ` (${lost})`}; steady probe p99 ${probeFigure(s.probe.steady, 'p99')}${perConn}`
}

export const formatSec = (sec: number | null | undefined): string => (sec == null ? '–' : sec < 10 ? `${sec.toFixed(2)} s` : `${sec.toFixed(1)} s`)
