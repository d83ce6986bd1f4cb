import { describe, expect, it } from 'vitest'
import { median, pairModes, summarize } from '../../../bench/report/summarize.js'
import { renderTables } from '../../../bench/report/table.js'
import { sample } from '../fixtures/results-fixture.js'

describe('summaries over repeats', () => {
  it('takes the median of an odd and an even number of values', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([])).toBeNaN()
  })

  it('reports the median req/s with the min–max spread and the median of each latency percentile', () => {
    const [s] = summarize([
      sample({ model: 'eventloop', repeat: 1 }, { rps: 1000, p50: 90 }),
      sample({ model: 'eventloop', repeat: 2 }, { rps: 3000, p50: 300 }),
      sample({ model: 'eventloop', repeat: 3 }, { rps: 2000, p50: 100 }),
    ], null)
    expect(s!.repeats).toBe(3)
    expect(s!.rps).toEqual({ median: 2000, min: 1000, max: 3000 })
    expect(s!.latencyUs!.p50).toBe(100)
  })

  it('divides by node-http of the same scenario, mode and connections in the same run', () => {
    const summaries = summarize([
      sample({ model: 'eventloop' }, { rps: 30_000 }),
      sample({ model: 'node-http' }, { rps: 20_000 }),
      sample({ model: 'eventloop', mode: 'close' }, { rps: 6_000 }),
      sample({ model: 'node-http', mode: 'close' }, { rps: 5_000 }),
      sample({ model: 'eventloop', connections: 64 }, { rps: 1 }),
    ], 'node-http')
    const ratio = (mode: string, c: number, model = 'eventloop'): number | undefined =>
      summaries.find((s) => s.model === model && s.mode === mode && s.connections === c)!.ratio
    expect(ratio('keepalive', 16)).toBeCloseTo(1.5)
    expect(ratio('close', 16)).toBeCloseTo(1.2)
    expect(ratio('keepalive', 16, 'node-http')).toBe(1)
    expect(ratio('keepalive', 64)).toBeUndefined()
    expect(summaries.find((s) => s.connections === 64)!.ratioNote).toMatch(/node-http did not run this cell/)
  })

  it('says ratio n/a when node-http failed or was not in the run', () => {
    const failedRef = summarize([sample({ model: 'eventloop' }, { rps: 10 }), sample({ model: 'node-http' }, { rps: 10, errors: 3 })], 'node-http')
    expect(failedRef[0]!.ratio).toBeUndefined()
    expect(failedRef[0]!.ratioNote).toMatch(/node-http failed/)
    expect(summarize([sample({ model: 'eventloop' }, { rps: 10 })], null)[0]!.ratioNote).toMatch(/no reference/)
  })

  it('computes server CPU-seconds per 1,000 requests and keeps the highest peak RSS', () => {
    // 2 s at 5,000 req/s = 10,000 requests for 0.5 CPU-s → 0.05 s per 1k
    const [s] = summarize([
      sample({ model: 'eventloop', repeat: 1 }, { rps: 5000, cpuSec: 0.5, rss: 40e6 }),
      sample({ model: 'eventloop', repeat: 2 }, { rps: 5000, cpuSec: 0.5, rss: 60e6 }),
    ], null)
    expect(s!.cpuSecPer1k).toBeCloseTo(0.05)
    expect(s!.peakRssBytes).toBe(60e6)
  })

  it('flags a cell client-bound when the load generator used 90% of a core or more in any repeat', () => {
    const [bound] = summarize([sample({ model: 'eventloop' }, { rps: 90_000, clientCpuSec: 1.9 })], null) // 1.9 s over 2 s = 95%
    const [free] = summarize([sample({ model: 'eventloop' }, { rps: 9_000, clientCpuSec: 1.7 })], null) // 85%
    expect(bound!.clientBound).toBe(true)
    expect(bound!.clientCpuShare).toBeCloseTo(0.95)
    expect(free!.clientBound).toBe(false)
  })

  it('fails the whole cell when one repeat failed, keeps its counts and shows no number', () => {
    const [s] = summarize([
      sample({ model: 'eventloop', repeat: 1 }, { rps: 1000 }),
      sample({ model: 'eventloop', repeat: 2 }, { rps: 900, errors: 7 }),
    ], null)
    expect(s!.ok).toBe(false)
    expect(s!.rps).toBeUndefined()
    expect(s!.errors).toBe(7)
    expect(s!.failures).toEqual(['#2: 7 errors during measurement'])
    const table = renderTables([s!], { color: false, reference: null })
    expect(table).toMatch(/✗ FAILED: #2: 7 errors during measurement/)
    expect(table).not.toMatch(/1,000|950/)
    expect(table).toMatch(/1 of 1 cells FAILED/)
  })

  it('pairs keep-alive with close-per-request and gives their ratio', () => {
    const pairs = pairModes(summarize([
      sample({ model: 'eventloop' }, { rps: 40_000 }),
      sample({ model: 'eventloop', mode: 'close' }, { rps: 10_000 }),
    ], null))
    expect(pairs).toEqual([{ model: 'eventloop', scenario: 'hello', connections: 16, keepalive: 40_000, close: 10_000, closeOverKeepalive: 0.25 }])
  })

  it('prints a keep-alive vs close table only when both modes ran, without colour codes when asked', () => {
    const both = summarize([sample({ model: 'eventloop' }, { rps: 40_000 }), sample({ model: 'eventloop', mode: 'close' }, { rps: 10_000 })], null)
    const text = renderTables(both, { color: false, reference: null })
    expect(text).toMatch(/keep-alive vs close-per-request/)
    expect(text).toMatch(/0\.25×/)
    expect(text).not.toMatch(/\u001b\[/)
    expect(renderTables(summarize([sample({ model: 'eventloop' }, { rps: 1 })], null), { color: false, reference: null })).not.toMatch(/keep-alive vs close/)
  })
})
