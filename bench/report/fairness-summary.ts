// The fairness of one summarized cell over its repeats (or rounds): from each measured load's own
// per-connection accounting, or from the fairness probe a cell ran when its client could not count
// (driver/fairness-probe.ts), or `unknown` with the reason — never a clean-looking blank. Over
// several repeats the worst one speaks for the cell (most starved connections, then the least
// even): a model that starved its clients in one repeat did starve them.

import type { CellResult } from '../driver/run-cell.js'
import { type ConnectionFairness, connectionFairness, STARVED_SHARE } from '../stats/fairness.js'
import type { LoadResult } from '../types.js'

export type FairnessSummary =
  | { source: 'unknown'; why: string }
  | (ConnectionFairness & {
    /** 'load': the measured load counted itself; 'probe': a counting client's short load in the same cell. */
    source: 'load' | 'probe'
    /** The client that counted. */
    client: LoadResult['driver']
    /** The repeat (or round) these figures are from. */
    repeat: number
    /** Requests unanswered when that load ended; those of them that had waited more than
     * STARVED_SHARE of the measured time; the oldest one's age, µs. */
    outstanding: number
    outstandingLong: number
    oldestOutstandingUs: number
    /** The longest any request of that load waited, answered or not, µs. */
    longestWaitUs?: number
  })

/** Fairness that was counted (by the load or a probe). */
export type CountedFairness = Exclude<FairnessSummary, { source: 'unknown' }>

export function summarizeFairness(results: readonly CellResult[]): FairnessSummary {
  const known: CountedFairness[] = []
  for (const r of results) {
    const counted = counts(r.load) ? { load: r.load!, source: 'load' as const } : counts(r.fairnessProbe) ? { load: r.fairnessProbe!, source: 'probe' as const } : null
    if (counted === null) continue
    const { load, source } = counted
    const ages = (load.outstanding ?? []).map((o) => o.ageUs)
    known.push({
      ...connectionFairness({ perConnection: load.perConnection!, longestGapUs: load.longestGapUs! }, load.durationSec),
      source,
      client: load.driver,
      repeat: r.cell.repeat,
      outstanding: ages.length,
      outstandingLong: ages.filter((age) => age > STARVED_SHARE * load.durationSec * 1e6).length,
      oldestOutstandingUs: Math.max(0, ...ages),
      ...(load.longestWaitUs !== undefined ? { longestWaitUs: load.longestWaitUs } : {}),
    })
  }
  if (known.length === 0) return { source: 'unknown', why: whyUnknown(results) }
  return known.reduce((worst, f) => (f.starved > worst.starved || (f.starved === worst.starved && (f.jain ?? 0) < (worst.jain ?? 0)) ? f : worst))
}

export const isStarved = (f: FairnessSummary | undefined): f is CountedFairness => f !== undefined && f.source !== 'unknown' && f.starved > 0

const counts = (load: LoadResult | undefined): boolean =>
  load !== undefined && load.perConnection !== undefined && load.longestGapUs !== undefined && load.perConnection.length > 0

function whyUnknown(results: readonly CellResult[]): string {
  const loads = results.flatMap((r) => (r.load === undefined ? [] : [r.load]))
  if (loads.length === 0) return 'not measured'
  const driver = loads[0]!.driver
  if (driver === 'wrk') return 'wrk cannot count per connection and no fairness probe ran'
  return `no per-connection counts recorded (${driver}; results written before they were kept)`
}
