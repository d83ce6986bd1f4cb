import { describe, expect, it } from 'vitest'
import { nextSearchRate, rateLadder, roundRate, sustainableRate } from '../../../bench/stats/sustainable-rate.js'

const pass = (rate: number) => ({ rate, outcome: 'pass' as const })
const fail = (rate: number) => ({ rate, outcome: 'fail' as const })
const lag = (rate: number) => ({ rate, outcome: 'client-lagging' as const })

describe('sustainableRate', () => {
  it('is the highest passing rate below the lowest failing one', () => {
    expect(sustainableRate([pass(100), fail(900), pass(500), fail(700)])).toMatchObject({ rate: 500, kind: 'exact', failedAt: 700 })
  })

  it('is conservative when a rate passes above a failure, and names that rate', () => {
    expect(sustainableRate([pass(100), fail(300), pass(500), fail(700)])).toMatchObject({ rate: 100, kind: 'exact', failedAt: 300, passedAboveFailure: [500] })
  })

  it('is only a lower bound when nothing failed', () => {
    expect(sustainableRate([pass(100), pass(200)])).toMatchObject({ rate: 200, kind: 'at-least', failedAt: null })
  })

  it('is only a lower bound when the client lagged between the best pass and the first failure', () => {
    expect(sustainableRate([pass(100), lag(200), fail(300)])).toMatchObject({ rate: 100, kind: 'at-least', laggedAt: 200, failedAt: 300 })
  })

  it('says the target held nowhere when the lowest rate failed', () => {
    expect(sustainableRate([fail(100), fail(200)])).toMatchObject({ rate: null, kind: 'below', failedAt: 100 })
  })

  it('cannot say anything when the client lagged everywhere', () => {
    expect(sustainableRate([lag(100), lag(200)])).toMatchObject({ rate: null, kind: 'unknown', laggedAt: 100 })
  })
})

describe('nextSearchRate', () => {
  const options = { stepsLeft: 3, resolution: 0.05 }

  it('bisects between the highest pass and the lowest failure', () => {
    expect(nextSearchRate([pass(1000), fail(2000)], options)).toBe(1500)
  })

  it('narrows step by step until the bracket is within the resolution', () => {
    const points = [pass(1000), fail(2000)]
    const asked: number[] = []
    for (let step = 0; step < 10; step++) {
      const next = nextSearchRate(points, { stepsLeft: 10 - step, resolution: 0.05 })
      if (next === null) break
      asked.push(next)
      points.push(next <= 1300 ? pass(next) : fail(next)) // a server whose true limit is 1,300/s
    }
    expect(asked[0]).toBe(1500)
    expect(asked.length).toBeGreaterThanOrEqual(3)
    const found = sustainableRate(points)
    expect(found.rate).toBeLessThanOrEqual(1300)
    expect((found.failedAt! - found.rate!) / found.failedAt!).toBeLessThanOrEqual(0.05)
  })

  it('stops when no steps are left, nothing failed, or the client lagged inside the bracket', () => {
    expect(nextSearchRate([pass(1000), fail(2000)], { stepsLeft: 0, resolution: 0.05 })).toBeNull()
    expect(nextSearchRate([pass(1000), pass(2000)], options)).toBeNull()
    expect(nextSearchRate([pass(1000), lag(1500), fail(2000)], options)).toBeNull()
  })
})

describe('rateLadder and roundRate', () => {
  it('turns fractions of a capacity into rounded, distinct, ascending rates', () => {
    expect(rateLadder(31_282, [0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 1.0, 1.1])).toEqual([3100, 9400, 15_600, 21_900, 25_000, 28_200, 31_300, 34_400])
  })

  it('keeps small capacities meaningful (fork closes at ~5 connections/s)', () => {
    expect(rateLadder(4.9, [0.1, 0.5, 1.0])).toEqual([0.49, 2.5, 4.9])
    expect(roundRate(0.57)).toBe(0.57)
  })

  it('has no ladder without a capacity', () => {
    expect(rateLadder(0, [0.5])).toEqual([])
  })
})
