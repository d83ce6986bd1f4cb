import { describe, expect, it } from 'vitest'
import { createLatencyHistogram, summarizeHistogram } from '../../../bench/stats/latency-histogram.js'
import { mergeLatency } from '../../../bench/stats/merge-latency.js'

const summaryOf = (values: number[]) => {
  const h = createLatencyHistogram()
  for (const v of values) h.recordValue(v)
  return summarizeHistogram(h, 'test')
}

describe('mergeLatency', () => {
  it('reads percentiles from the summed histograms, not the mean of the parts\' percentiles', () => {
    // 99 fast answers in one run, one run of 100 slow ones: the merged p50 is slow-run territory only at the top half
    const fast = summaryOf(Array.from({ length: 100 }, () => 100))
    const slow = summaryOf(Array.from({ length: 100 }, () => 10_000))
    const merged = mergeLatency([fast, slow], 'merged')!
    expect(merged.p90).toBeGreaterThanOrEqual(9_990) // the top half is all slow
    expect(merged.p50).toBeLessThanOrEqual(101) // the bottom half is all fast
    expect(merged.max).toBeGreaterThanOrEqual(9_990)
    expect(merged.mean).toBeCloseTo(5_050, -1)
    expect((fast.p90 + slow.p90) / 2).not.toBeCloseTo(merged.p90, -2) // what averaging would have said
  })

  it('gives the numbers of one histogram that recorded everything, within HDR\'s 3 significant digits', () => {
    const a = [5, 17, 250, 3_000, 40_000]
    const b = [1, 2, 3, 900, 1_000_000]
    const merged = mergeLatency([summaryOf(a), summaryOf(b)], 'test')!
    const whole = summaryOf([...a, ...b])
    for (const key of ['p50', 'p90', 'p99', 'p999', 'max', 'mean'] as const) {
      // an encoded histogram keeps buckets, not values: the max comes back as its bucket's top
      expect(Math.abs(merged[key] - whole[key]), key).toBeLessThanOrEqual(whole[key] * 0.001)
    }
  })

  it('keeps count of the values that are lower bounds (requests unanswered at the end of a part)', () => {
    const merged = mergeLatency([{ ...summaryOf([3_000_000]), lowerBounds: 1 }, summaryOf([100]), { ...summaryOf([2_000_000, 5]), lowerBounds: 1 }], 'test')!
    expect(merged.lowerBounds).toBe(2)
    expect(mergeLatency([summaryOf([1])], 'test')!.lowerBounds).toBeUndefined()
  })

  it('refuses to merge when a part has no histogram, rather than guessing', () => {
    const { histogram: _dropped, ...bare } = summaryOf([1, 2, 3])
    expect(mergeLatency([summaryOf([4]), bare], 'test')).toBeNull()
  })
})
