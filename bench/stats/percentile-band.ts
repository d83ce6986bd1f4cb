// A percentile read from a latency histogram, with its 95% confidence band from the sample count
// alone (Lancet, USENIX ATC'19: the order statistics at ranks n·p ± 1.96·√(n·p(1−p)) bracket the
// true p-quantile; research/open-loop-and-many-connections.md). The band assumes independent
// samples: near a server's knee they are correlated and the true band is wider, so it is a floor
// on the uncertainty, never a guarantee. Pure: no files, no processes, no clock.

import * as hdr from 'hdr-histogram-js'
import type { LatencySummary } from '../types.js'

/** Samples below which a p99 is not quoted without a warning (issue #10; Lancet: 10k → p98.8–p99.2). */
export const MIN_SAMPLES_FOR_P99 = 10_000

/** z for a two-sided 95% interval. */
const Z95 = 1.96

/** The 1-based ranks, within n sorted samples, that bracket the p-quantile (0 < p < 1) at 95%; clamped to [1, n]. */
export function orderStatisticRanks(n: number, p: number): { low: number; high: number } {
  if (!(n >= 1) || !(p > 0 && p < 1)) throw new RangeError(`orderStatisticRanks needs n ≥ 1 and 0 < p < 1, got n=${n}, p=${p}`)
  const centre = n * p
  const half = Z95 * Math.sqrt(n * p * (1 - p))
  return { low: Math.max(1, Math.floor(centre - half)), high: Math.min(n, Math.ceil(centre + half)) }
}

export interface PercentileBand {
  /** The percentile asked for, e.g. 99 or 99.9. */
  percentile: number
  /** Its value, µs. */
  valueUs: number
  /** The 95% band's ends, µs: the values at the bracketing ranks. */
  lowUs: number
  highUs: number
  /** The percentiles those ranks stand for (e.g. 98.8 and 99.2 for p99 of 10,000 samples). */
  lowPercentile: number
  highPercentile: number
  samples: number
}

/**
 * The `percentile` (0–100, exclusive) of a latency summary with its band, read from its encoded
 * histogram; null when the summary carries no histogram or no samples (then no band exists).
 */
export function percentileBand(summary: LatencySummary, percentile: number): PercentileBand | null {
  if (summary.histogram === undefined) return null
  const histogram = hdr.decodeFromCompressedBase64(summary.histogram, 32, false)
  try {
    const n = histogram.totalCount
    if (n === 0) return null
    const { low, high } = orderStatisticRanks(n, percentile / 100)
    const max = histogram.maxValue
    // HDR gives the top of a value's bucket, which can pass the largest value recorded: cap at max
    const at = (pct: number): number => Math.min(histogram.getValueAtPercentile(pct), max)
    return {
      percentile,
      valueUs: at(percentile),
      lowUs: at((100 * low) / n),
      highUs: at((100 * high) / n),
      lowPercentile: (100 * low) / n,
      highPercentile: (100 * high) / n,
      samples: n,
    }
  } finally {
    histogram.destroy()
  }
}

/** Any percentile of a summary: from its histogram when it has one, else from the named fields
 * (p50/p90/p99/p99.9 only); null when neither can say. */
export function percentileOf(summary: LatencySummary, percentile: number): number | null {
  const band = percentileBand(summary, percentile)
  if (band !== null) return band.valueUs
  const named: Record<number, number> = { 50: summary.p50, 90: summary.p90, 99: summary.p99, 99.9: summary.p999 }
  return named[percentile] ?? null
}
