// Raw cell results → one summary per cell (model × scenario × mode × connections) over its rounds.
// req/s and CPU per request are medians of rounds with their min–max, because a shared machine's
// noise is not Gaussian and one bad round should not move the headline (DESIGN.md "Benchmark
// method"); latency percentiles come from the rounds' merged HDR histograms, never a median of
// percentiles. Ratios to the reference are paired: model ÷ reference in the same round, rounds
// where the reference ran dear set aside, median and spread of the rest (stats/paired-rounds.ts);
// a ratio whose rounds disagree past the A/A floor is marked noisy. A cell with any failed round
// is failed as a whole: its numbers stay in the raw samples, never in a summary.

import { cellKey } from '../driver/matrix.js'
import type { CellResult } from '../driver/run-cell.js'
import { CEILING_SHARE, ceilingFor, type DriverCeiling } from '../driver/driver-ceiling.js'
import { median } from '../stats/descriptive.js'
import { mergeLatency } from '../stats/merge-latency.js'
import { pairedRatios, quietLevel, type RatioSpread, type RoundPair } from '../stats/paired-rounds.js'
import type { ConnectionMode, LatencySummary, LoadResult } from '../types.js'
import { type FairnessSummary, isStarved, summarizeFairness } from './fairness-summary.js'

/** The load generator used this much of one core or more: the cell measured the client (bench-anchors.md §7). */
export const CLIENT_BOUND_SHARE = 0.9

export interface CellSummary {
  model: string
  scenario: string
  mode: ConnectionMode
  connections: number
  /** Rounds (or, in results files from before rounds, repeats) the cell was measured in. */
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
  /** Percentiles of all rounds' responses (their histograms merged), µs. */
  latencyUs?: { p50: number; p90: number; p99: number; p999: number; max: number }
  latencySource?: string
  /** Close-per-request only: connect time percentiles of all rounds, µs. */
  connectUs?: { p50: number; p99: number }
  /** Server CPU-seconds per 1,000 requests (median over repeats), whole process tree. */
  cpuSecPer1k?: number
  /** Highest peak RSS of the server tree over repeats, bytes. */
  peakRssBytes?: number
  /** Load generator CPU-seconds per wall second (median); 1 = one full core. */
  clientCpuShare?: number
  /** Some repeat's client used ≥ CLIENT_BOUND_SHARE of a core, or the median req/s reached
   * CEILING_SHARE of its driver's ceiling: the number may be the client's ceiling. */
  clientBound: boolean
  /** Median req/s over the ceiling of the driver that measured it at the same mode and connections (driver-ceiling.ts), when one was measured. */
  ceilingShare?: number
  /** req/s ÷ the reference's in the same round (paired), median over the quiet rounds. */
  ratio?: number
  /** The same ratio's spread over the quiet rounds, and whether it is noisy. */
  ratioSpread?: RatioSpread
  /** Server CPU per request ÷ the reference's in the same round (lower is cheaper), median and spread. */
  cpuRatio?: RatioSpread
  /** Rounds set aside because the reference ran over 30% dearer than its quietest round in this
   * group (the machine was disturbed); `judgedOnDisturbed` when no round was quiet. */
  disturbedRounds?: number[]
  judgedOnDisturbed?: boolean
  /** Why there is no ratio (reference absent or failed), when there is none. */
  ratioNote?: string
  /** Responses per connection and starved connections (fairness-summary.ts); `unknown` when not counted. */
  fairness?: FairnessSummary
}

/** Summaries in first-seen order of the raw results. */
export function summarize(cells: readonly CellResult[], reference: string | null, ceilings?: readonly DriverCeiling[]): CellSummary[] {
  const groups = new Map<string, CellResult[]>()
  for (const result of cells) {
    const key = cellKey(result.cell)
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [result])
    else group.push(result)
  }
  const summaries = [...groups.values()].map(summarizeGroup)
  addCeilingShares(summaries, groups, ceilings)
  addRatios(summaries, cells, reference)
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
    fairness: summarizeFairness(results),
  }
  if (loads.length > 0) summary.clientCpuShare = median(loads.map((l) => (l.durationSec > 0 ? l.clientCpuSec / l.durationSec : 0)))
  if (!summary.ok) return summary

  const rps = loads.map((l) => l.requestsPerSec)
  summary.rps = { median: median(rps), min: Math.min(...rps), max: Math.max(...rps) }
  const latency = combineLatency(loads.map((l) => l.latencyUs))
  summary.latencyUs = { p50: latency.p50, p90: latency.p90, p99: latency.p99, p999: latency.p999, max: latency.max }
  summary.latencySource = latency.source
  const connects = loads.flatMap((l) => (l.connectUs === undefined ? [] : [l.connectUs]))
  if (connects.length > 0) {
    const connect = combineLatency(connects)
    summary.connectUs = { p50: connect.p50, p99: connect.p99 }
  }
  const usages = results.flatMap((r) => (r.server === undefined || r.load === undefined || r.load.requests === 0 ? [] : [{ server: r.server, load: r.load }]))
  if (usages.length > 0) {
    summary.cpuSecPer1k = median(usages.map((u) => (u.server.cpuSec / u.load.requests) * 1000))
    summary.peakRssBytes = Math.max(...usages.map((u) => u.server.peakRssBytes))
  }
  return summary
}

/** Each passed cell's share of its driver's ceiling; at CEILING_SHARE or above it is client-bound. */
function addCeilingShares(summaries: CellSummary[], groups: Map<string, CellResult[]>, ceilings: readonly DriverCeiling[] | undefined): void {
  if (ceilings === undefined) return
  for (const s of summaries) {
    const load = groups.get(cellKey(s))?.[0]?.load
    if (!s.ok || s.rps === undefined || load === undefined) continue
    const ceiling = ceilingFor(ceilings, load.driver, load.mode, s.connections)
    if (ceiling === undefined) continue
    s.ceilingShare = s.rps.median / ceiling.requestsPerSec
    if (s.ceilingShare >= CEILING_SHARE) s.clientBound = true
  }
}

/** The rounds' latency as one distribution: merged histograms where every round kept one, else
 * (results files from before histograms were stored, or a client that reports only percentiles)
 * the median of each percentile, and the source says so. */
function combineLatency(parts: readonly LatencySummary[]): LatencySummary {
  const source = parts[0]!.source
  if (parts.length === 1) return parts[0]!
  const merged = mergeLatency(parts, `${source}; ${parts.length} rounds merged`)
  if (merged !== null) return merged
  const pct = (k: 'p50' | 'p90' | 'p99' | 'p999' | 'max' | 'mean'): number => median(parts.map((p) => p[k]))
  return { p50: pct('p50'), p90: pct('p90'), p99: pct('p99'), p999: pct('p999'), max: pct('max'), mean: pct('mean'), source: `${source}; median of ${parts.length} rounds' percentiles (no histograms to merge)` }
}

const cpuUsPerRequest = (r: CellResult): number =>
  r.server !== undefined && r.load !== undefined && r.load.requests > 0 ? (r.server.cpuSec / r.load.requests) * 1e6 : NaN

function addRatios(summaries: CellSummary[], cells: readonly CellResult[], reference: string | null): void {
  const refs = new Map<string, CellSummary>()
  if (reference !== null) {
    for (const s of summaries) if (s.model === reference) refs.set(cellKey({ ...s, model: '' }), s)
  }
  // each cell's rounds by round number: the unit ratios are paired on
  const rounds = new Map<string, Map<number, CellResult>>()
  for (const c of cells) {
    const key = cellKey(c.cell)
    if (!rounds.has(key)) rounds.set(key, new Map())
    rounds.get(key)!.set(c.cell.repeat, c)
  }
  for (const s of summaries) {
    if (!s.ok) continue
    const ref = refs.get(cellKey({ ...s, model: '' }))
    // a starved cell's req/s came from the connections it served: not a throughput to compare
    if (isStarved(s.fairness)) s.ratioNote = 'n/a: starved connections'
    else if (ref !== undefined && isStarved(ref.fairness)) s.ratioNote = `n/a: ${reference} starved connections`
    else if (reference === null) s.ratioNote = 'n/a: no reference model in this run'
    else if (ref === undefined) s.ratioNote = `n/a: ${reference} did not run this cell`
    else if (!ref.ok || ref.rps === undefined || ref.rps.median <= 0) s.ratioNote = `n/a: ${reference} failed this cell`
    else pair(s, rounds.get(cellKey(s))!, rounds.get(cellKey(ref))!)
  }
}

/** Paired ratios of one summary against the reference's rounds, judged at the group's quiet level. */
function pair(s: CellSummary, own: ReadonlyMap<number, CellResult>, ref: ReadonlyMap<number, CellResult>): void {
  const loadOf = (r: CellResult | undefined): LoadResult | undefined => (r?.ok === true ? r.load : undefined)
  const pairs: RoundPair[] = []
  for (const [round, mine] of own) {
    const theirs = ref.get(round)
    const a = loadOf(mine)
    const b = loadOf(theirs)
    if (a === undefined || b === undefined || b.requestsPerSec <= 0) continue
    pairs.push({ round, modelRps: a.requestsPerSec, referenceRps: b.requestsPerSec, modelCpuUs: cpuUsPerRequest(mine), referenceCpuUs: cpuUsPerRequest(theirs!) })
  }
  if (pairs.length === 0) {
    s.ratioNote = 'n/a: no round where both ran'
    return
  }
  const level = quietLevel([...ref.values()].map(cpuUsPerRequest).filter((us) => Number.isFinite(us)))
  const paired = pairedRatios(pairs, level)
  s.ratio = paired.throughput.median
  s.ratioSpread = paired.throughput
  if (paired.cpu !== undefined) s.cpuRatio = paired.cpu
  if (paired.disturbedRounds.length > 0) s.disturbedRounds = paired.disturbedRounds
  if (paired.judgedOnDisturbed) s.judgedOnDisturbed = true
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
    if (s.ok && s.rps !== undefined && !isStarved(s.fairness)) pair[s.mode] = s.rps.median
    pairs.set(key, pair)
  }
  const out = [...pairs.values()]
  for (const p of out) if (p.keepalive !== undefined && p.close !== undefined && p.keepalive > 0) p.closeOverKeepalive = p.close / p.keepalive
  return out
}
