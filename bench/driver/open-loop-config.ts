// What the open-loop phase of a bench run is asked to do (issue #10), validated by
// cli/open-loop-args.ts and recorded in every results file: which rates (a list, or fractions of
// each model's closed-loop capacity measured in the same run), how requests arrive, the latency
// target a sustainable rate is searched against, and how long each point runs.

import type { Slo } from '../stats/slo-verdict.js'
import type { Arrivals, ConnectionMode } from '../types.js'

/** `--rate=auto`: fractions of each model's closed-loop capacity, below, at and past it. */
export const AUTO_LADDER = [0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 1.0, 1.1] as const

export const OPEN_LOOP_DEFAULTS = {
  arrivals: 'poisson' as Arrivals,
  slo: 'p99:10ms',
  /** The cap on the keep-alive pool (wrk2 opens a fixed number; vegeta grows without one). */
  maxConnections: 256,
  /** Bisection steps after the ladder (mutilate's --search); each halves the bracket. */
  searchSteps: 3,
  /** Stop bisecting when the bracket is within 5% of its upper end. */
  resolution: 0.05,
  /** Samples before a p99 is quoted without a warning (Lancet: 10k → p98.8–p99.2). */
  minSamples: 10_000,
  /** A model's ladder stops after this many rates in a row that did not pass (failed, or the client
   * lagged): past its knee every higher rate only queues longer, past the client's own limit every
   * higher rate lags too, and each would cost a full point of the run's time (more when requests
   * pile up: each is followed to its answer or its timeout). */
  stopAfterFailures: 2,
} as const

/**
 * The default run's short latency curve (no --rate, no --scenario): hello over keep-alive at three
 * fractions of each model's closed-loop capacity, 0.5 s warm-up + 2 s each, no bisection. Eight
 * models × 3 points × 2.5 s + their servers ≈ 65 s of the ~10-minute default run.
 */
export const LATENCY_CURVE = {
  scenarios: ['hello'],
  modes: ['keepalive'] as ConnectionMode[],
  fractions: [0.3, 0.6, 0.9],
  durationSec: 2,
  warmupSec: 0.5,
  searchSteps: 0,
} as const

export interface OpenLoopConfig {
  /** list: --rate=LIST; auto: --rate=auto's ladder; curve: the default run's short section. */
  kind: 'list' | 'auto' | 'curve'
  /** The rates of a list, req/s, ascending. */
  rates?: number[]
  /** The fractions of capacity of auto and curve. */
  fractions?: number[]
  scenarios: string[]
  modes: ConnectionMode[]
  arrivals: Arrivals
  slo: Slo
  maxConnections: number
  /** Measured seconds per point (after its warm-up at the target rate, which is discarded). */
  durationSec: number
  warmupSec: number
  searchSteps: number
  resolution: number
  minSamples: number
  stopAfterFailures: number
}
