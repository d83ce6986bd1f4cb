import { describe, expect, it } from 'vitest'
import { isDisturbed, needsExtraRound, pairedRatios, quietLevel, type RoundPair } from '../../../bench/stats/paired-rounds.js'

const pair = (round: number, modelRps: number, referenceRps: number, modelCpuUs = 20, referenceCpuUs = 30): RoundPair =>
  ({ round, modelRps, referenceRps, modelCpuUs, referenceCpuUs })

describe('paired ratios', () => {
  it('divides round by round, so a minute that slowed both servers alike cancels out', () => {
    // round 2 ran at half speed for both: a ratio of medians would not see that, a paired ratio does
    const r = pairedRatios([pair(1, 30_000, 20_000), pair(2, 15_000, 10_000), pair(3, 30_600, 20_000)])
    expect(r.throughput.perRound).toEqual([1.5, 1.5, 1.53])
    expect(r.throughput.median).toBe(1.5)
    expect(r.throughput.noisy).toBe(false)
    expect(r.cpu!.median).toBeCloseTo(20 / 30)
  })

  it('sets aside the rounds where the reference ran 30% dearer than its quietest, for every ratio', () => {
    const r = pairedRatios([pair(1, 30_000, 20_000, 20, 30), pair(2, 30_000, 12_000, 24, 50), pair(3, 31_000, 20_000, 20, 31)])
    expect(r.disturbedRounds).toEqual([2])
    expect(r.quietRounds).toEqual([1, 3])
    expect(r.throughput.perRound).toEqual([1.5, 1.55])
    expect(r.judgedOnDisturbed).toBe(false)
  })

  it('judges on every round, and says so, when none was quiet at the level given', () => {
    const r = pairedRatios([pair(1, 30_000, 20_000, 20, 50), pair(2, 30_000, 20_000, 20, 60)], 30)
    expect(r.judgedOnDisturbed).toBe(true)
    expect(r.throughput.perRound).toHaveLength(2)
  })

  it('marks a ratio noisy when a round strays past the A/A floor (12% req/s, 9% CPU)', () => {
    const r = pairedRatios([pair(1, 30_000, 20_000, 20, 30), pair(2, 36_000, 20_000, 20, 30), pair(3, 30_000, 20_000, 23, 30)])
    expect(r.throughput.median).toBe(1.5)
    expect(r.throughput.noisy).toBe(true) // 1.8 is 20% above 1.5
    expect(r.cpu!.noisy).toBe(true) // 0.767 is 15% above 0.667
    const steady = pairedRatios([pair(1, 30_000, 20_000), pair(2, 31_500, 20_000), pair(3, 29_000, 20_000)])
    expect(steady.throughput.noisy).toBe(false) // within 5%
  })

  it('leaves the CPU ratio out when a round has no CPU figure', () => {
    expect(pairedRatios([pair(1, 3, 2, NaN, 30)]).cpu).toBeUndefined()
  })

  it('finds the quiet level as the lowest positive reference cost, and calls 30% above it disturbed', () => {
    expect(quietLevel([40, 31, 0, 55])).toBe(31)
    expect(isDisturbed(40.3, 31)).toBe(false)
    expect(isDisturbed(40.4, 31)).toBe(true)
    expect(isDisturbed(1e9, Infinity)).toBe(false)
  })
})

describe('extra rounds for a group whose rounds were disturbed', () => {
  it('asks for none when every planned round was quiet', () => {
    expect(needsExtraRound([20, 22, 21], 3)).toBe(false)
  })
  it('asks for one more when a round of the reference ran over 30% dearer than its quietest', () => {
    expect(needsExtraRound([20, 30, 21], 3)).toBe(true)
    expect(needsExtraRound([20, 30, 21, 22], 3)).toBe(false)
  })
  it('stops at planned − 1 extra rounds on a machine that stays disturbed', () => {
    expect(needsExtraRound([20, 30, 31, 32], 3)).toBe(true)
    expect(needsExtraRound([20, 30, 31, 32, 33], 3)).toBe(false)
  })
  it('asks for none without reference figures, or with a single planned round', () => {
    expect(needsExtraRound([], 3)).toBe(false)
    expect(needsExtraRound([20], 1)).toBe(false)
  })
})
