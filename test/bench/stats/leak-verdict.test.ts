// The leak verdict: a steady climb is a leak; a warm-up that levels off, noise around a flat line,
// and a climb too small to matter are not.
import { describe, expect, it } from 'vitest'
import { leakVerdict } from '../../../bench/stats/leak-verdict.js'

const RSS = { warmupFraction: 0.2, minGrowth: 0.1, minAbsolute: Infinity }
const FDS = { warmupFraction: 0.2, minGrowth: Infinity, minAbsolute: 10 }
/** One sample every 2 s for `minutes`, value f(t). */
const series = (minutes: number, f: (t: number) => number) => Array.from({ length: (minutes * 60) / 2 + 1 }, (_, i) => ({ atSec: i * 2, value: f(i * 2) }))

describe('leakVerdict', () => {
  it('calls a steady climb of RSS a leak, with its slope per minute', () => {
    const v = leakVerdict(series(10, (t) => 100 + t / 30), RSS, 'MiB') // +2 MiB/min
    expect(v.suspected).toBe(true)
    expect(v.slopePerMin).toBeCloseTo(2, 9)
    expect(v.secondHalfSlopePerMin).toBeCloseTo(2, 9)
    expect(v.why).toMatch(/^looks like a leak: grew 16\.0 MiB over 8\.00 min \(2\.00 MiB\/min, R² 1\.00\)/)
  })

  it('does not call a warm-up that levels off a leak', () => {
    const v = leakVerdict(series(10, (t) => 150 - 60 * Math.exp(-t / 120)), RSS, 'MiB')
    expect(v.slopePerMin!).toBeGreaterThan(0)
    expect(v.suspected).toBe(false)
  })

  it('does not call noise around a flat level, or a climb under the threshold, a leak', () => {
    const noisy = leakVerdict(series(10, (t) => 40 + ((t * 7919) % 13) - 6), FDS, 'fds')
    expect(noisy.suspected).toBe(false)
    expect(noisy.why).toMatch(/^no leak seen/)
    const small = leakVerdict(series(10, (t) => 40 + t / 120), FDS, 'fds') // +0.5 fds/min: 4 over 8 min
    expect(small.suspected).toBe(false)
    expect(small.why).toMatch(/under the 10\.0 fds that would count/)
  })

  it('calls open fds that keep climbing a leak', () => {
    expect(leakVerdict(series(3, (t) => 40 + Math.floor(t / 5)), FDS, 'fds').suspected).toBe(true)
  })

  it('gives no verdict from too few samples', () => {
    const v = leakVerdict([{ atSec: 0, value: 1 }, { atSec: 1, value: 5 }], RSS, 'MiB')
    expect(v).toMatchObject({ suspected: false, slopePerMin: undefined })
    expect(v.why).toMatch(/too few samples/)
  })
})
