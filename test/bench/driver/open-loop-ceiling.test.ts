import { describe, expect, it } from 'vitest'
import { searchOpenLoopCeiling, type OpenLoopRunner } from '../../../bench/driver/open-loop-ceiling.js'
import type { OpenLoopResult, OpenLoopSpec } from '../../../bench/types.js'

/** A stand-in client that keeps any rate up to `limit` and lags above it; it records the rates asked.
 * Above `queuesAbove` it keeps its schedule, but the answers queue (latency p50 of 50 ms). */
function fakeClient(limit: number, asked: number[] = [], queuesAbove = Infinity): OpenLoopRunner {
  return async (spec: OpenLoopSpec) => {
    asked.push(spec.rate)
    const lags = spec.rate > limit
    const queues = spec.rate > queuesAbove
    const result = {
      driver: 'test-double', mode: spec.mode, arrivals: spec.arrivals, targetRate: spec.rate,
      achievedRate: lags ? limit : spec.rate, durationSec: spec.durationSec, scheduled: spec.rate, sent: spec.rate,
      requests: spec.rate, non2xx: 0, errors: 0, timeouts: 0, connectionsUsed: 4,
      latencyUs: { p50: queues ? 50_000 : 50, p90: 60, p99: 80, p999: 90, max: 100, mean: 55, source: 'fake' },
      serviceUs: { p50: 40, p90: 50, p99: 70, p999: 80, max: 90, mean: 45, source: 'fake' },
      latenessUs: { p50: 10, p90: 20, p99: lags ? 5000 : 100, p999: 200, max: 300, mean: 12, source: 'fake' },
      clientCpuSec: 0.5, perSecond: [spec.rate],
      ...(lags ? { clientLagging: 'client-lagging: its own lateness p99 5000 µs > 1000 µs' } : {}),
    } satisfies OpenLoopResult
    return { result, serverCpuSec: 0.2 }
  }
}

describe('searchOpenLoopCeiling', () => {
  it('doubles the rate until the client lags, then narrows the gap to within a few percent of its limit', async () => {
    const asked: number[] = []
    const ceiling = await searchOpenLoopCeiling({ startRate: 1000, refine: 4 }, fakeClient(21_000, asked))
    expect(asked.slice(0, 6)).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000])
    expect(asked).toHaveLength(10)
    expect(ceiling.rate).toBeLessThanOrEqual(21_000)
    expect(ceiling.rate).toBeGreaterThan(21_000 * 0.93)
    expect(ceiling.laggedAt!.rate).toBeGreaterThan(21_000)
    expect(ceiling.laggedAt!.reason).toMatch(/lateness/)
    expect(ceiling.steps.map((s) => s.rate)).toEqual(asked)
    expect(ceiling.failure).toBeUndefined()
  })

  it('stops where the null server\'s median latency passes 1 ms, though the client kept its schedule: the machine is saturated', async () => {
    const ceiling = await searchOpenLoopCeiling({ startRate: 1000, refine: 0 }, fakeClient(1e9, [], 10_000))
    expect(ceiling.rate).toBe(8000)
    expect(ceiling.laggedAt).toEqual({ rate: 16_000, reason: expect.stringMatching(/^latency p50 50000 µs against the null server \(> 1000 µs\): the client and the null server together saturate the machine$/) })
  })

  it('halves down from the first rate when the client lags there, then narrows the gap', async () => {
    const asked: number[] = []
    const ceiling = await searchOpenLoopCeiling({ startRate: 2000, refine: 2 }, fakeClient(600, asked))
    expect(asked.slice(0, 3)).toEqual([2000, 1000, 500])
    expect(asked).toHaveLength(5)
    expect(ceiling.rate).toBeLessThanOrEqual(600)
    expect(ceiling.rate).toBeGreaterThanOrEqual(500)
    expect(ceiling.laggedAt!.rate).toBeGreaterThan(600)
  })

  it('reports a ceiling of 0 with the reason when even the lowest rate lags', async () => {
    const ceiling = await searchOpenLoopCeiling({ startRate: 2000, minRate: 500 }, fakeClient(100))
    expect(ceiling.rate).toBe(0)
    expect(ceiling.laggedAt).toEqual({ rate: 500, reason: expect.stringMatching(/client-lagging/) })
    expect(ceiling.steps.map((s) => s.rate)).toEqual([2000, 1000, 500])
  })

  it('says the client held every rate when it never lagged up to maxRate', async () => {
    const ceiling = await searchOpenLoopCeiling({ startRate: 1000, maxRate: 8000 }, fakeClient(1e9))
    expect(ceiling.rate).toBe(8000)
    expect(ceiling.laggedAt).toBeUndefined()
    expect(ceiling.steps.map((s) => s.rate)).toEqual([1000, 2000, 4000, 8000])
  })

  it('records a failed run as the failure, keeping the rates measured before it', async () => {
    let calls = 0
    const ceiling = await searchOpenLoopCeiling({ startRate: 1000 }, async (spec) => {
      if (++calls === 3) throw new Error('load worker exited (code 1)\nstack')
      return fakeClient(1e9)(spec)
    })
    expect(ceiling.failure).toBe('load worker exited (code 1)')
    expect(ceiling.rate).toBe(2000)
    expect(ceiling.steps).toHaveLength(2)
  })
})
