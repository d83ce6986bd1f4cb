import { describe, expect, it } from 'vitest'
import { calibrateIterationsPerUs, makeSlowdown, parseSlowdownUs, slowdown } from '../../../servers/app/slowdown.js'

function cpuUsOf(fn: () => void, calls: number): number {
  const before = process.cpuUsage()
  for (let i = 0; i < calls; i++) fn()
  const used = process.cpuUsage(before)
  return (used.user + used.system) / calls
}

describe('the test-only slowdown knob', () => {
  it('is off (undefined, nothing to call) when HTTPMODELS_SLOWDOWN_US is unset', () => {
    expect(process.env.HTTPMODELS_SLOWDOWN_US).toBeUndefined()
    expect(slowdown).toBeUndefined()
    expect(makeSlowdown(0, 100)).toBeUndefined()
  })
  it('reads microseconds, treats empty as off and rejects anything else with a clear error', () => {
    expect(parseSlowdownUs(undefined)).toBe(0)
    expect(parseSlowdownUs('')).toBe(0)
    expect(parseSlowdownUs('12.5')).toBe(12.5)
    expect(() => parseSlowdownUs('fast')).toThrow(/HTTPMODELS_SLOWDOWN_US must be microseconds/)
    expect(() => parseSlowdownUs('-3')).toThrow(/between 0 and/)
    expect(() => parseSlowdownUs('1e9')).toThrow(/between 0 and/)
  })
  it('burns about the requested CPU per call, measured as process CPU time, not wall time', () => {
    const perUs = calibrateIterationsPerUs()
    expect(perUs).toBeGreaterThan(1)
    const burn = makeSlowdown(1000, perUs)!
    const used = cpuUsOf(burn, 100)
    // Calibration keeps the fastest trial, so contention can only make a call cost more; a shared
    // 2-core machine gets generous bounds.
    expect(used).toBeGreaterThan(700)
    expect(used).toBeLessThan(1800)
  })
  it('scales linearly: five times the microseconds costs about five times the CPU', () => {
    const perUs = calibrateIterationsPerUs()
    const small = cpuUsOf(makeSlowdown(200, perUs)!, 200)
    const large = cpuUsOf(makeSlowdown(1000, perUs)!, 200)
    expect(large / small).toBeGreaterThan(3.5)
    expect(large / small).toBeLessThan(6.5)
  })
})
