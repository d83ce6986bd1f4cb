// The verdict of `bench:compare` for one cell: Welch's t-test per metric (as Node's compare.R),
// the ratio current/base with its interval, and whether the cell regressed. A regression must be
// both significant (p below alpha, 0.01 by default) and practical (worse than a threshold: 10%
// fewer requests/s or 20% higher p99 by default), the rule in bench-anchors.md §5: significance
// alone flags 1% changes that nobody should act on, a threshold alone flags noise.

import type { AbSamples } from './ab-runs.js'
import type { CellSpec } from '../driver/matrix.js'
import { median } from '../stats/descriptive.js'
import { p99Us, requestsPerSec, unusableReason, type MeasuredRun } from '../driver/run-metrics.js'
import { welchTTest, type WelchResult } from '../stats/welch.js'



export interface CompareThresholds {
  /** Fractional drop in requests/s that matters (0.10 = 10% fewer). */
  throughput: number
  /** Fractional rise in p99 latency that matters (0.20 = 20% higher). */
  p99: number
  /** Significance level for "significantly worse". */
  alpha: number
}

export const DEFAULT_THRESHOLDS: CompareThresholds = { throughput: 0.1, p99: 0.2, alpha: 0.01 }

export type MetricName = 'req/s' | 'p99'

export interface MetricComparison {
  metric: MetricName
  /** Which direction is better for this metric. */
  better: 'higher' | 'lower'
  baseMedian: number
  currentMedian: number
  welch: WelchResult
  /** Worse by more than the threshold (point estimate of the ratio of means). */
  practicallyWorse: boolean
  significant: boolean
  regression: boolean
}

export interface CellComparison {
  cell: CellSpec
  baseRuns: number
  currentRuns: number
  /** Set when a run failed or had errors: the cell cannot be judged. */
  failure?: string
  metrics: MetricComparison[]
}

const METRICS: ReadonlyArray<{ metric: MetricName; better: 'higher' | 'lower'; read: (r: MeasuredRun) => number }> = [
  { metric: 'req/s', better: 'higher', read: requestsPerSec },
  { metric: 'p99', better: 'lower', read: p99Us },
]

/** Comparisons a run makes: every metric of every cell (what the false-positive estimate counts). */
export const comparisonsPerCell = METRICS.length

export function judgeCell(samples: AbSamples, thresholds: CompareThresholds = DEFAULT_THRESHOLDS): CellComparison {
  const result: CellComparison = {
    cell: samples.cell,
    baseRuns: samples.base.length,
    currentRuns: samples.current.length,
    metrics: [],
  }
  for (const side of ['base', 'current'] as const) {
    const bad = samples[side].map(unusableReason).find((reason) => reason !== undefined)
    if (bad !== undefined) {
      result.failure = `a ${side} run failed: ${bad}`
      return result
    }
  }
  // Welch's interval is drawn at 1 − alpha so "the interval excludes 1" and "p < alpha" agree.
  const level = 1 - thresholds.alpha
  for (const { metric, better, read } of METRICS) {
    const base = samples.base.map(read)
    const current = samples.current.map(read)
    const welch = welchTTest(base, current, level)
    const practicallyWorse =
      better === 'higher' ? welch.ratio < 1 - thresholds.throughput : welch.ratio > 1 + thresholds.p99
    const worseDirection = better === 'higher' ? welch.difference < 0 : welch.difference > 0
    const significant = welch.p < thresholds.alpha
    result.metrics.push({
      metric,
      better,
      baseMedian: median(base),
      currentMedian: median(current),
      welch,
      practicallyWorse,
      significant,
      regression: significant && worseDirection && practicallyWorse,
    })
  }
  return result
}

/** Exit status for a whole comparison: 1 when any cell regressed or could not be judged. */
export function compareExitCode(cells: readonly CellComparison[]): 0 | 1 {
  return cells.some((c) => c.failure !== undefined || c.metrics.some((m) => m.regression)) ? 1 : 0
}
