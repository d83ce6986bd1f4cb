import { describe, expect, it } from 'vitest'
import { arrivalSchedule } from '../../../bench/stats/arrival-schedule.js'
import { lindleyWaits, mdOneMeanWait, meanWaitInWindow } from '../../../bench/stats/single-server-wait.js'

describe('the M/D/1 mean wait', () => {
  it('is ρS / (2(1 − ρ))', () => {
    expect(mdOneMeanWait(0, 5)).toBe(0)
    expect(mdOneMeanWait(0.5, 2)).toBeCloseTo(1, 12)
    expect(mdOneMeanWait(0.8, 5)).toBeCloseTo(10, 12)
  })

  it('refuses a server loaded at or over its capacity', () => {
    expect(() => mdOneMeanWait(1, 5)).toThrow(/utilization must be in \[0, 1\)/)
    expect(() => mdOneMeanWait(-0.1, 5)).toThrow(/utilization/)
  })
})

describe('Lindley\'s recursion on one schedule', () => {
  it('gives no wait when each request comes after the last one is served', () => {
    expect(lindleyWaits([0, 5, 10, 20], 5)).toEqual([0, 0, 0, 0])
  })

  it('queues requests that arrive together, one service time apart', () => {
    expect(lindleyWaits([0, 0, 0, 12], 5)).toEqual([0, 5, 10, 3])
  })

  it('averages only the arrivals in the measured window', () => {
    // waits 0, 5, 10, 3: the window [0.5, 13) ms holds none of them but 12 ms → 3
    expect(meanWaitInWindow([0, 0, 0, 12], 5, 0.5, 13)).toBe(3)
    expect(() => meanWaitInWindow([0, 1], 5, 2, 3)).toThrow(/no arrival/)
  })

  it('agrees with the formula over a long Poisson schedule (200,000 arrivals at ρ = 0.6)', () => {
    const schedule = arrivalSchedule('poisson', 120, 7) // λ = 120/s, S = 5 ms → ρ = 0.6
    const arrivals = Array.from({ length: 200_000 }, () => schedule.next())
    const mean = meanWaitInWindow(arrivals, 5, 0, Infinity)
    expect(mean / mdOneMeanWait(0.6, 5)).toBeGreaterThan(0.95)
    expect(mean / mdOneMeanWait(0.6, 5)).toBeLessThan(1.05)
  })
})
