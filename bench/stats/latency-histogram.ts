// HDR histograms in microseconds, and their reduction to the LatencySummary every load client reports.
// Microseconds because loopback responses take tens to hundreds of µs: autocannon's own histogram
// (1 ms lowest discernible value, autocannon lib/histUtil.js) reads them all as 0.
import * as hdr from 'hdr-histogram-js'
import type { LatencySummary } from '../types.js'

export type LatencyHistogram = hdr.Histogram

/** 3 significant digits (0.1% value error, HdrHistogram's usual setting); tracks 1 µs to 60 s and grows past it. */
export function createLatencyHistogram(): LatencyHistogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 60_000_000,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  })
}

/** Record one duration given in milliseconds (performance.now() / process.hrtime differences) as whole µs. */
export function recordMs(histogram: LatencyHistogram, ms: number): void {
  histogram.recordValue(ms > 0 ? Math.round(ms * 1000) : 0)
}

/**
 * p50/p90/p99/p99.9, max and mean in µs. HDR percentiles return the highest value equivalent to the
 * bucket, which can exceed the largest value recorded; they are capped at the true max so that
 * p99.9 ≤ max always holds. An empty histogram gives all zeros (no responses, no latency).
 */
export function summarizeHistogram(histogram: LatencyHistogram, source: string): LatencySummary {
  if (histogram.totalCount === 0) return emptyLatencySummary(source)
  const max = histogram.maxValue
  const at = (percentile: number): number => Math.min(histogram.getValueAtPercentile(percentile), max)
  return {
    p50: at(50),
    p90: at(90),
    p99: at(99),
    p999: at(99.9),
    max,
    mean: Math.round(histogram.mean * 10) / 10,
    source,
    histogram: hdr.encodeIntoCompressedBase64(histogram),
  }
}

export function emptyLatencySummary(source: string): LatencySummary {
  return { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0, source }
}
