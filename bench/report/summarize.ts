// Raw cell results → one summary per cell (model × scenario × mode × connections) over its repeats.
// Medians of repeats with the min–max spread, because a shared machine's noise is not Gaussian
// and one bad repeat should not move the headline (DESIGN.md "Benchmark method"). A cell with any
// failed repeat is failed as a whole: its numbers stay in the raw samples, never in a summary.

import { cellKey } from '../driver/matrix.js'
import type { CellResult } from '../driver/run-cell.js'
import type { ConnectionMode } from '../types.js'

/** The load generator used this much of one core or more: the cell measured the client (bench-anchors.md §7). */
export const CLIENT_BOUND_SHARE = 0.9

export interface CellSummary {
  model: string
  scenario: string
  mode: ConnectionMode
  connections: number
  repeats: number
  ok: boolean
  /** Each failed repeat's reason, prefixed with its repeat number. */
  failures: string[]
  /** Summed over repeats (failed ones too: they explain the failure). */
  requests: number
  errors: number
  non2xx: number
  timeouts: number
  /** Requests per second over repeats; absent when failed. */
  rps?: { median: number; min: number; max: number }
  /** Median over repeats of each percentile, µs. */
  latencyUs?: { p50: number; p90: number; p99: number; p999: number; max: number }
  latencySource?: string
  /** Close-per-request only: median connect time percentiles, µs. */
  connectUs?: { p50: number; p99: number }
  /** Server CPU-seconds per 1,000 requests (median over repeats), whole process tree. */
  cpuSecPer1k?: number
  /** Highest peak RSS of the server tree over repeats, bytes. */
  peakRssBytes?: number
  /** Load generator CPU-seconds per wall second (median); 1 = one full core. */
  clientCpuShare?: number
  /** Some repeat's client used ≥ CLIENT_BOUND_SHARE of a core: the number may be the client's ceiling. */
  clientBound: boolean
  /** Median req/s divided by the reference's for the same scenario, mode and connections. */
  ratio?: number
  /** Why there is no ratio (reference absent or failed), when there is none. */
  ratioNote?: string
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Summaries in first-seen order of the raw results. */
export function summarize(cells: readonly CellResult[], reference: string | null): CellSummary[] {
  const groups = new Map<string, CellResult[]>()
  for (const result of cells) {
    const key = cellKey(result.cell)
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [result])
    else group.push(result)
  }
  const summaries = [...groups.values()].map(summarizeGroup)
  addRatios(summaries, reference)
  return summaries
}

function summarizeGroup(results: CellResult[]): CellSummary {
  const { model, scenario, mode, connections } = results[0]!.cell
  const loads = results.flatMap((r) => (r.load === undefined ? [] : [r.load]))
  const failures = results.filter((r) => !r.ok).map((r) => `#${r.cell.repeat}: ${r.failure ?? 'failed'}`)
  const sum = (pick: (l: (typeof loads)[number]) => number): number => loads.reduce((acc, l) => acc + pick(l), 0)
  const summary: CellSummary = {
    model, scenario, mode, connections,
    repeats: results.length,
    ok: failures.length === 0 && loads.length === results.length,
    failures,
    requests: sum((l) => l.requests),
    errors: sum((l) => l.errors),
    non2xx: sum((l) => l.non2xx),
    timeouts: sum((l) => l.timeouts),
    clientBound: loads.some((l) => l.durationSec > 0 && l.clientCpuSec / l.durationSec >= CLIENT_BOUND_SHARE),
  }
  if (loads.length > 0) summary.clientCpuShare = median(loads.map((l) => (l.durationSec > 0 ? l.clientCpuSec / l.durationSec : 0)))
  if (!summary.ok) return summary

  const rps = loads.map((l) => l.requestsPerSec)
  summary.rps = { median: median(rps), min: Math.min(...rps), max: Math.max(...rps) }
  const pct = (k: 'p50' | 'p90' | 'p99' | 'p999' | 'max'): number => median(loads.map((l) => l.latencyUs[k]))
  summary.latencyUs = { p50: pct('p50'), p90: pct('p90'), p99: pct('p99'), p999: pct('p999'), max: pct('max') }
  summary.latencySource = loads[0]!.latencyUs.source
  const connects = loads.flatMap((l) => (l.connectUs === undefined ? [] : [l.connectUs]))
  if (connects.length > 0) summary.connectUs = { p50: median(connects.map((c) => c.p50)), p99: median(connects.map((c) => c.p99)) }
  const usages = results.flatMap((r) => (r.server === undefined || r.load === undefined || r.load.requests === 0 ? [] : [{ server: r.server, load: r.load }]))
  if (usages.length > 0) {
    summary.cpuSecPer1k = median(usages.map((u) => (u.server.cpuSec / u.load.requests) * 1000))
    summary.peakRssBytes = Math.max(...usages.map((u) => u.server.peakRssBytes))
  }
  return summary
}

function addRatios(summaries: CellSummary[], reference: string | null): void {
  const refs = new Map<string, CellSummary>()
  if (reference !== null) {
    for (const s of summaries) if (s.model === reference) refs.set(cellKey({ ...s, model: '' }), s)
  }
  for (const s of summaries) {
    if (!s.ok) continue
    const ref = refs.get(cellKey({ ...s, model: '' }))
    if (reference === null) s.ratioNote = 'n/a: no reference model in this run'
    else if (ref === undefined) s.ratioNote = `n/a: ${reference} did not run this cell`
    else if (!ref.ok || ref.rps === undefined || ref.rps.median <= 0) s.ratioNote = `n/a: ${reference} failed this cell`
    else s.ratio = s.rps!.median / ref.rps.median
  }
}

export interface ModePair {
  model: string
  scenario: string
  connections: number
  keepalive?: number
  close?: number
  /** close req/s ÷ keep-alive req/s: what a new connection per request costs (1 = nothing). */
  closeOverKeepalive?: number
}

/** Keep-alive vs close-per-request, per model × scenario × connections where either ran. */
export function pairModes(summaries: readonly CellSummary[]): ModePair[] {
  const pairs = new Map<string, ModePair>()
  for (const s of summaries) {
    const key = `${s.model}|${s.scenario}|${s.connections}`
    const pair = pairs.get(key) ?? { model: s.model, scenario: s.scenario, connections: s.connections }
    if (s.ok && s.rps !== undefined) pair[s.mode] = s.rps.median
    pairs.set(key, pair)
  }
  const out = [...pairs.values()]
  for (const p of out) if (p.keepalive !== undefined && p.close !== undefined && p.keepalive > 0) p.closeOverKeepalive = p.close / p.keepalive
  return out
}
