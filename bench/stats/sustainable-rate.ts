// A model's sustainable rate: the highest offered rate at which its latency target held (issue
// #10), read from the points measured so far, and where to measure next (mutilate's --search:
// bisect between the highest passing and the lowest failing rate). Pure: points in, numbers out.

import type { SloOutcome } from './slo-verdict.js'

export interface RatePoint {
  rate: number
  outcome: SloOutcome
}

export interface SustainableRate {
  /** The highest rate that passed below the lowest that failed; null when none passed. */
  rate: number | null
  /** exact: a failing rate was measured above it; at-least: nothing above it failed (all passed, or
   * the client lagged there), so the true rate may be higher; below: even the lowest rate failed. */
  kind: 'exact' | 'at-least' | 'below' | 'unknown'
  /** The lowest failing rate above `rate` (the search's upper end), when one was measured. */
  failedAt: number | null
  /** The lowest rate where the client lagged, when that is what stopped the search. */
  laggedAt: number | null
  /** Rates that passed above a failure (noise or a non-monotonic server): the rate is the conservative one. */
  passedAboveFailure: number[]
}

/** The sustainable rate of one model × scenario × mode from its points (any order). */
export function sustainableRate(points: readonly RatePoint[]): SustainableRate {
  const sorted = [...points].sort((a, b) => a.rate - b.rate)
  const firstFail = sorted.find((p) => p.outcome === 'fail')?.rate ?? null
  const below = (p: RatePoint): boolean => firstFail === null || p.rate < firstFail
  const passes = sorted.filter((p) => p.outcome === 'pass' && below(p))
  const best = passes.length > 0 ? passes[passes.length - 1]!.rate : null
  const lagged = sorted.find((p) => p.outcome === 'client-lagging' && (best === null || p.rate > best) && below(p))?.rate ?? null
  const passedAboveFailure = firstFail === null ? [] : sorted.filter((p) => p.outcome === 'pass' && p.rate > firstFail).map((p) => p.rate)
  if (best === null) {
    if (firstFail !== null && lagged === null) return { rate: null, kind: 'below', failedAt: firstFail, laggedAt: null, passedAboveFailure }
    return { rate: null, kind: 'unknown', failedAt: firstFail, laggedAt: lagged, passedAboveFailure }
  }
  // a lagging point between the best pass and the first failure: the server may sustain more than we could offer
  const kind = firstFail !== null && lagged === null ? 'exact' : 'at-least'
  return { rate: best, kind, failedAt: firstFail, laggedAt: lagged, passedAboveFailure }
}

export interface SearchOptions {
  /** Bisection steps still allowed. */
  stepsLeft: number
  /** Stop when the bracket is narrower than this share of its upper end (mutilate stops at a fixed QPS step). */
  resolution: number
}

/** The next rate to measure: the middle of [highest pass, lowest failure], or null when the search
 * is done (no bracket, a lagging client inside it, no steps left, or the bracket is narrow enough). */
export function nextSearchRate(points: readonly RatePoint[], options: SearchOptions): number | null {
  if (options.stepsLeft <= 0) return null
  const found = sustainableRate(points)
  if (found.kind !== 'exact' || found.rate === null || found.failedAt === null) return null
  const lo = found.rate
  const hi = found.failedAt
  if ((hi - lo) / hi <= options.resolution) return null
  // three significant digits: two would round the middle of 1,300–1,400 onto an end and stall
  const mid = Number(((lo + hi) / 2).toPrecision(3))
  return mid > lo && mid < hi ? mid : null
}

/** A rate rounded to 2 significant digits (3 above 10,000/s), so tables read 4,500 rather than 4,517.3. */
export function roundRate(rate: number): number {
  if (!(rate > 0)) return 0
  return Number(rate.toPrecision(rate >= 10_000 ? 3 : 2))
}

/** `--rate=auto`'s ladder: fractions of a measured closed-loop capacity, rounded, distinct, ascending. */
export function rateLadder(capacity: number, fractions: readonly number[]): number[] {
  if (!(capacity > 0)) return []
  return [...new Set(fractions.map((f) => roundRate(capacity * f)).filter((r) => r > 0))].sort((a, b) => a - b)
}
