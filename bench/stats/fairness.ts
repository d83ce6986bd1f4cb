// How evenly one closed-loop run served its connections, from its ConnectionAccount
// (connection-ledger.ts). A model that answers some connections and leaves others waiting — a
// thread pool smaller than the connections, a full queue, an unfair accept — must not look better
// for it (DESIGN.md "Benchmark method": every client is accounted for).
//
// The figures: the share of connections that got at least one response; the fewest, median and
// most responses per connection; Jain's fairness index, (Σx)² / (n·Σx²): 1 when every connection
// got the same, 1/n when one got everything (R. Jain, D. Chiu, W. Hawe, "A Quantitative Measure of
// Fairness and Discrimination for Resource Allocation in Shared Computer Systems", DEC-TR-301,
// 1984); and the starved connections.

import type { ConnectionAccount } from './connection-ledger.js'
import { median } from './descriptive.js'

/**
 * A connection is starved when it went without any response for more than this share of the
 * measured time (issue 14's rule: "no response for more than half the measured time"). Half, so
 * that a connection served late but for most of the run is not starved, while one that waited
 * through most of it is, whatever the run's length.
 */
export const STARVED_SHARE = 0.5

export interface ConnectionFairness {
  connections: number
  /** Connections that got at least one response. */
  served: number
  servedShare: number
  minResponses: number
  medianResponses: number
  maxResponses: number
  /** Jain's index over responses per connection; null when no connection got any response. */
  jain: number | null
  /** Connections with no response for more than STARVED_SHARE of the measured time. */
  starved: number
}

/** (Σx)² / (n·Σx²); null for no values or all zeros, where it is undefined. */
export function jainIndex(values: readonly number[]): number | null {
  let sum = 0
  let squares = 0
  for (const x of values) {
    sum += x
    squares += x * x
  }
  return values.length === 0 || squares === 0 ? null : (sum * sum) / (values.length * squares)
}

/** Indexes of the connections whose longest silence exceeds STARVED_SHARE of `measuredUs`. */
export function starvedConnections(longestGapUs: readonly number[], measuredUs: number): number[] {
  const limit = measuredUs * STARVED_SHARE
  return longestGapUs.flatMap((gap, i) => (gap > limit ? [i] : []))
}

export function connectionFairness(account: ConnectionAccount, measuredSec: number): ConnectionFairness {
  const counts = account.perConnection
  if (counts.length === 0) throw new RangeError('connectionFairness: a load has at least one connection')
  if (account.longestGapUs.length !== counts.length) throw new RangeError('connectionFairness: one longest gap per connection')
  const served = counts.filter((n) => n > 0).length
  return {
    connections: counts.length,
    served,
    servedShare: served / counts.length,
    minResponses: Math.min(...counts),
    medianResponses: median(counts),
    maxResponses: Math.max(...counts),
    jain: jainIndex(counts),
    starved: starvedConnections(account.longestGapUs, measuredSec * 1e6).length,
  }
}
