import { describe, expect, it } from 'vitest'
import { arrivalSchedule, seededRandom } from '../../../bench/stats/arrival-schedule.js'

const offsets = (schedule: { next(): number }, n: number): number[] => Array.from({ length: n }, () => schedule.next())
const gapsOf = (at: number[]): number[] => at.map((t, i) => t - (i === 0 ? 0 : at[i - 1]!))

describe('arrivalSchedule', () => {
  it('gives the same Poisson schedule for the same seed and a different one for another seed', () => {
    expect(offsets(arrivalSchedule('poisson', 1000, 42), 50)).toEqual(offsets(arrivalSchedule('poisson', 1000, 42), 50))
    expect(offsets(arrivalSchedule('poisson', 1000, 43), 50)).not.toEqual(offsets(arrivalSchedule('poisson', 1000, 42), 50))
  })

  it('spaces uniform arrivals exactly 1/rate apart, the first at the start', () => {
    const at = offsets(arrivalSchedule('uniform', 400), 1000)
    expect(at[0]).toBe(0)
    expect(at[999]).toBeCloseTo(2497.5, 9)
    for (const gap of gapsOf(at).slice(1)) expect(gap).toBeCloseTo(2.5, 9)
  })

  it('draws Poisson gaps that are exponential with mean 1/rate (mean, spread and tail)', () => {
    const gaps = gapsOf(offsets(arrivalSchedule('poisson', 2000, 7), 200_000))
    const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length
    const sd = Math.sqrt(gaps.reduce((a, g) => a + (g - mean) ** 2, 0) / gaps.length)
    expect(mean).toBeGreaterThan(0.5 * 0.99)
    expect(mean).toBeLessThan(0.5 * 1.01)
    // an exponential's standard deviation equals its mean, and P(gap > mean) = 1/e
    expect(sd / mean).toBeGreaterThan(0.98)
    expect(sd / mean).toBeLessThan(1.02)
    const longer = gaps.filter((g) => g > 0.5).length / gaps.length
    expect(longer).toBeGreaterThan(Math.exp(-1) - 0.005)
    expect(longer).toBeLessThan(Math.exp(-1) + 0.005)
    expect(gaps.every((g) => g >= 0)).toBe(true)
  })

  it('puts rate·T arrivals in a window of length T, wherever the window lies', () => {
    const at = offsets(arrivalSchedule('poisson', 5000, 3), 120_000)
    const inWindow = (from: number, to: number): number => at.filter((t) => t >= from && t < to).length
    // Poisson(50,000) has a standard deviation of 224: 2% is over four of them
    expect(Math.abs(inWindow(1000, 11_000) - 50_000)).toBeLessThan(1000)
    expect(Math.abs(inWindow(12_000, 22_000) - 50_000)).toBeLessThan(1000)
  })

  it('refuses a rate that is not a positive number and arrivals it does not know', () => {
    expect(() => arrivalSchedule('poisson', 0)).toThrow(/positive/)
    expect(() => arrivalSchedule('uniform', Number.NaN)).toThrow(/positive/)
    expect(() => arrivalSchedule('bursty' as 'poisson', 10)).toThrow(/poisson or uniform/)
  })
})

describe('seededRandom', () => {
  it('stays in [0, 1) and is spread evenly over it', () => {
    const random = seededRandom(9)
    const buckets = new Array<number>(10).fill(0)
    let outside = 0
    for (let i = 0; i < 100_000; i++) {
      const u = random()
      if (u < 0 || u >= 1) outside++
      else buckets[Math.floor(u * 10)]!++
    }
    expect(outside).toBe(0)
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(500)
  })
})
