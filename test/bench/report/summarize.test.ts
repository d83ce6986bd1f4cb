import { describe, expect, it } from 'vitest'
import { pairModes, summarize } from '../../../bench/report/summarize.js'
import { median } from '../../../bench/stats/descriptive.js'
import { renderTables } from '../../../bench/report/table.js'
import { sample } from '../fixtures/results-fixture.js'
import type { DriverCeiling } from '../../../bench/driver/driver-ceiling.js'

describe('summaries over repeats', () => {
  it('takes the median of an odd and an even number of values', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(() => median([])).toThrow(/at least 1 sample/)
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

  it("flags a cell client-bound at 80% of its driver's ceiling or more, whatever the client's CPU, and prints the ceilings", () => {
    const ceilings: DriverCeiling[] = [{ driver: 'autocannon', mode: 'keepalive', connections: 16, requestsPerSec: 50_000, clientCpuShare: 0.98, serverCpuShare: 0.6, durationSec: 2 }]
    const [near] = summarize([sample({ model: 'eventloop' }, { rps: 41_000, clientCpuSec: 1 })], null, ceilings) // 50% of a core, 82% of the ceiling
    const [below] = summarize([sample({ model: 'eventloop' }, { rps: 39_000, clientCpuSec: 1 })], null, ceilings)
    const [otherLevel] = summarize([sample({ model: 'eventloop', connections: 64 }, { rps: 45_000, clientCpuSec: 1 })], null, ceilings)
    expect(near).toMatchObject({ clientBound: true, ceilingShare: 0.82 })
    expect(below).toMatchObject({ clientBound: false, ceilingShare: 0.78 })
    expect(otherLevel!.clientBound).toBe(false) // no ceiling measured at c=64
    expect(otherLevel!.ceilingShare).toBeUndefined()
    const table = renderTables([near!], { color: false, reference: null, ceilings })
    expect(table).toMatch(/50% · 82% of ceiling client-bound/)
    expect(table).toMatch(/driver ceilings .* a cell at 80% of its driver's ceiling or more is client-bound\):\n  autocannon keepalive c=16: 50,000 req\/s, client CPU 98%, null server CPU 60%/)
    const serverBound = renderTables([near!], { color: false, reference: null, ceilings: [{ ...ceilings[0]!, clientCpuShare: 0.7, serverCpuShare: 0.97 }] })
    expect(serverBound).toMatch(/null server CPU 97% \(the null server was the bottleneck: autocannon can do more\)/)
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

describe('ratios paired round by round', () => {
  // eventloop and node-http in three interleaved rounds; round 2 was slow for both
  const rounds = (eventloop: number[], nodeHttp: number[], cpu: { e?: number[]; n?: number[] } = {}) => [1, 2, 3].flatMap((r) => [
    sample({ model: 'eventloop', repeat: r }, { rps: eventloop[r - 1]!, cpuSec: (cpu.e?.[r - 1] ?? 20) * eventloop[r - 1]! * 2 / 1e6 }),
    sample({ model: 'node-http', repeat: r }, { rps: nodeHttp[r - 1]!, cpuSec: (cpu.n?.[r - 1] ?? 30) * nodeHttp[r - 1]! * 2 / 1e6 }),
  ])

  it('divides each round by the reference in the same round, so a slow minute for both cancels', () => {
    const [e] = summarize(rounds([30_000, 15_000, 31_000], [20_000, 10_000, 20_000]), 'node-http')
    // a ratio of medians would say 30,000 / 20,000 too, but only by luck; the paired ratios agree round by round
    expect(e!.ratioSpread!.perRound.map((r) => +r.toFixed(3))).toEqual([1.5, 1.5, 1.55])
    expect(e!.ratio).toBe(1.5)
    expect(e!.ratioSpread!.noisy).toBe(false)
    expect(e!.cpuRatio!.median).toBeCloseTo(20 / 30)
  })

  it('sets aside a round where the reference ran over 30% dearer per request, and says which', () => {
    const [e] = summarize(rounds([30_000, 40_000, 31_000], [20_000, 12_000, 20_000], { n: [30, 50, 31] }), 'node-http')
    expect(e!.disturbedRounds).toEqual([2])
    expect(e!.ratioSpread!.perRound).toHaveLength(2)
    expect(e!.ratio).toBeCloseTo(1.525)
    const table = renderTables(summarize(rounds([30_000, 40_000, 31_000], [20_000, 12_000, 20_000], { n: [30, 50, 31] }), 'node-http'), { color: false, reference: 'node-http' })
    expect(table).toMatch(/disturbed rounds set aside .*hello keepalive c=16: round 2/)
  })

  it('marks a ratio whose rounds disagree past the A/A floor as noisy, in the table too', () => {
    const cells = rounds([30_000, 40_000, 30_000], [20_000, 20_000, 20_000])
    const [e] = summarize(cells, 'node-http')
    expect(e!.ratioSpread!.noisy).toBe(true)
    expect(renderTables(summarize(cells, 'node-http'), { color: false, reference: 'node-http' })).toMatch(/noisy 1\.50× \(1\.50–2\.00\)/)
  })

  it('reads latency percentiles from the rounds\' merged histograms, not the median of their percentiles', () => {
    const fast = Array.from({ length: 100 }, () => 100)
    const [s] = summarize([
      sample({ model: 'eventloop', repeat: 1 }, { rps: 1000, latencies: fast }),
      sample({ model: 'eventloop', repeat: 2 }, { rps: 1000, latencies: fast }),
      sample({ model: 'eventloop', repeat: 3 }, { rps: 1000, latencies: [...fast.slice(40), ...Array.from({ length: 60 }, () => 10_000)] }),
    ], null)
    // per round, p90 is 100, 100 and 10,000 µs: their median says 100 µs. One response in five
    // over the three rounds took 10 ms, so the p90 of what clients saw is 10 ms.
    expect(s!.latencyUs!.p90).toBeGreaterThanOrEqual(9_990)
    expect(s!.latencyUs!.p50).toBeLessThanOrEqual(101)
    expect(s!.latencySource).toMatch(/3 rounds merged/)
  })
})
