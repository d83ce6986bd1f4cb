import { describe, expect, it } from 'vitest'
import { createLatencyHistogram, summarizeHistogram } from '../../../bench/stats/latency-histogram.js'
import { orderStatisticRanks, percentileBand, percentileOf } from '../../../bench/stats/percentile-band.js'

/** A summary of the values 1..n µs, each once: the k-th smallest is k. */
const uniform = (n: number) => {
  const h = createLatencyHistogram()
  for (let v = 1; v <= n; v++) h.recordValue(v)
  return summarizeHistogram(h, 'test')
}

describe('orderStatisticRanks', () => {
  it('brackets p99 of 10,000 samples between ranks 9,880 and 9,920 (Lancet: p98.8–p99.2)', () => {
    expect(orderStatisticRanks(10_000, 0.99)).toEqual({ low: 9_880, high: 9_920 })
  })

  it('narrows as samples grow: 100,000 samples give p98.94–p99.06', () => {
    const { low, high } = orderStatisticRanks(100_000, 0.99)
    expect(low / 1000).toBeCloseTo(98.94, 1)
    expect(high / 1000).toBeCloseTo(99.06, 1)
  })

  it('clamps to the samples there are when there are few', () => {
    expect(orderStatisticRanks(50, 0.99)).toEqual({ low: 48, high: 50 })
  })

  it('refuses a percentile outside (0, 1) and an empty sample', () => {
    expect(() => orderStatisticRanks(0, 0.5)).toThrow(RangeError)
    expect(() => orderStatisticRanks(10, 1)).toThrow(RangeError)
  })
})

describe('percentileBand', () => {
  it('reads the value and both ends of the band from the histogram', () => {
    const band = percentileBand(uniform(10_000), 99)!
    expect(band.samples).toBe(10_000)
    // 3 significant digits: values near 9,900 sit in buckets 8 µs wide
    expect(band.valueUs).toBeGreaterThanOrEqual(9_892)
    expect(band.valueUs).toBeLessThanOrEqual(9_908)
    expect(band.lowUs).toBeGreaterThanOrEqual(9_872)
    expect(band.lowUs).toBeLessThan(band.valueUs)
    expect(band.highUs).toBeGreaterThan(band.valueUs)
    expect(band.highUs).toBeLessThanOrEqual(9_928)
    expect(band.lowPercentile).toBeCloseTo(98.8, 5)
    expect(band.highPercentile).toBeCloseTo(99.2, 5)
  })

  it('gives a wide band for p99 of 200 samples: its upper end is the largest value seen', () => {
    const band = percentileBand(uniform(200), 99)!
    expect(band.highUs).toBe(200)
    expect(band.lowUs).toBeLessThanOrEqual(195)
  })

  it('has no band without a histogram or without samples', () => {
    const summary = uniform(10)
    expect(percentileBand({ ...summary, histogram: undefined }, 99)).toBeNull()
    expect(percentileBand(summarizeHistogram(createLatencyHistogram(), 'empty'), 99)).toBeNull()
  })
})

describe('percentileOf', () => {
  it('reads any percentile from the histogram, p95 included', () => {
    expect(percentileOf(uniform(1000), 95)).toBe(950)
  })

  it('falls back to the named percentiles when the histogram is missing, and gives null for others', () => {
    const summary = { ...uniform(1000), histogram: undefined }
    expect(percentileOf(summary, 99)).toBe(summary.p99)
    expect(percentileOf(summary, 95)).toBeNull()
  })
})
