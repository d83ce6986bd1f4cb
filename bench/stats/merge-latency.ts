// Latency of several runs (repeats, rounds, client processes or hosts) as one: their encoded HDR
// histograms added together, then read. Percentiles are never averaged: the p99 of two runs is
// not the mean of their p99s (research/open-loop-and-many-connections.md, "Merge histograms").

import * as hdr from 'hdr-histogram-js'
import { createLatencyHistogram, emptyLatencySummary, summarizeHistogram } from './latency-histogram.js'
import type { LatencySummary } from '../types.js'

/**
 * One summary from the histograms of `parts`, or null when any part lacks its histogram (a
 * client that reports only percentiles, or a results file from before histograms were kept):
 * then no exact merge exists, and the caller must say what it shows instead.
 */
export function mergeLatency(parts: readonly LatencySummary[], source: string): LatencySummary | null {
  if (parts.length === 0) return emptyLatencySummary(source)
  if (parts.some((p) => p.histogram === undefined)) return null
  const merged = createLatencyHistogram()
  for (const part of parts) merged.add(hdr.decodeFromCompressedBase64(part.histogram!, 32, false))
  // the unanswered requests recorded at their age stay counted as lower bounds in the whole
  const lowerBounds = parts.reduce((n, p) => n + (p.lowerBounds ?? 0), 0)
  return { ...summarizeHistogram(merged, source), ...(lowerBounds > 0 ? { lowerBounds } : {}) }
}
