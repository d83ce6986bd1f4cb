// Per-connection accounting of every client that can count (issue 14), against servers that serve
// some connections and not others (fixtures/unfair-servers.ts). Which client slot the server sees
// first is up to the kernel, so counts are compared as distributions, sorted.
import { afterEach, describe, expect, it } from 'vitest'
import { runAutocannon } from '../../../bench/clients/autocannon-client.js'
import { runCloseClient } from '../../../bench/clients/close-client.js'
import { connectionFairness } from '../../../bench/stats/fairness.js'
import type { LoadResult, LoadSpec } from '../../../bench/types.js'
import type { LocalServer } from '../fixtures/local-servers.js'
import { startEveryKthServer, startFirstConnectionsServer, startHoldFirstServer } from '../fixtures/unfair-servers.js'

const spec = (origin: string, extra: Partial<LoadSpec> = {}): LoadSpec => ({
  origin, method: 'GET', path: '/', headers: {}, connections: 6, pipelining: 1,
  durationSec: 1.5, mode: 'keepalive', timeoutMs: 10_000, ...extra,
})

const fairnessOf = (r: LoadResult) => connectionFairness({ perConnection: r.perConnection!, longestGapUs: r.longestGapUs! }, r.durationSec)
const descending = (xs: readonly number[]): number[] => [...xs].sort((a, b) => b - a)

let server: LocalServer | undefined
afterEach(async () => { await server?.close(); server = undefined })

describe('autocannon, counting per connection', () => {
  // one 1.5 s run against a server that answers only its first two of six connections, read by two tests
  let firstTwo: Promise<LoadResult> | undefined
  const againstFirstTwo = (): Promise<LoadResult> => (firstTwo ??= (async () => {
    server = await startFirstConnectionsServer(2)
    return runAutocannon(spec(server.origin))
  })())

  it('flags the four connections a server never answers as starved, and counts only the two it serves', async () => {
    const r = await againstFirstTwo()
    expect(r.perConnection).toHaveLength(6)
    expect(r.perConnection!.reduce((a, b) => a + b, 0)).toBe(r.requests)
    const sorted = descending(r.perConnection!)
    expect(sorted[1]).toBeGreaterThan(50)
    expect(sorted.slice(2)).toEqual([0, 0, 0, 0])
    expect(fairnessOf(r)).toMatchObject({ connections: 6, served: 2, starved: 4, minResponses: 0 })
  })

  it('keeps the unanswered requests with their ages, and counts each in the latency histogram at its age as a lower bound', async () => {
    const r = await againstFirstTwo()
    // one request in flight per connection at the end: the four starved ones sent at the start
    expect(r.outstanding).toHaveLength(6)
    const starved = r.perConnection!.flatMap((n, i) => (n === 0 ? [i] : []))
    const ages = r.outstanding!.filter((o) => starved.includes(o.connection)).map((o) => o.ageUs)
    expect(ages).toHaveLength(4)
    for (const age of ages) {
      expect(age).toBeGreaterThan(0.9 * r.durationSec * 1e6 - 200_000)
      expect(age).toBeLessThanOrEqual(r.durationSec * 1e6)
    }
    expect(r.latencyUs.lowerBounds).toBe(6)
    expect(r.latencyUs.max).toBeGreaterThanOrEqual(Math.min(...ages))
    expect(r.longestWaitUs).toBe(r.latencyUs.max)
    // the starved connections' whole-run silence is their longest gap
    for (const i of starved) expect(r.longestGapUs![i]).toBeGreaterThan(0.9 * r.durationSec * 1e6 - 200_000)
  })

  it('counts responses per connection in proportion to how often a server answers each (connection k every k-th turn)', async () => {
    server = await startEveryKthServer(20)
    const r = await runAutocannon(spec(server.origin, { connections: 4 }))
    const [first, second, third, fourth] = descending(r.perConnection!)
    // about 75, 37, 25 and 18 answers in 1.5 s of 20 ms turns
    expect(first! / second!).toBeCloseTo(2, 0)
    expect(first! / third!).toBeGreaterThan(2.5)
    expect(first! / third!).toBeLessThan(3.5)
    expect(first! / fourth!).toBeGreaterThan(3.4)
    expect(first! / fourth!).toBeLessThan(4.8)
    // Jain's index of 1, 1/2, 1/3, 1/4: (25/12)² / (4 · 205/144) = 0.762
    expect(fairnessOf(r).jain).toBeGreaterThan(0.72)
    expect(fairnessOf(r).jain).toBeLessThan(0.8)
    expect(fairnessOf(r).starved).toBe(0)
  })

  it('starves exactly the connections whose turns come further apart than half the run', async () => {
    // 400 ms turns over 2 s: connections 1 and 2 wait at most 400 and 800 ms (< 1 s), 3 and 4 wait 1.2 and 1.6 s
    server = await startEveryKthServer(400)
    const r = await runAutocannon(spec(server.origin, { connections: 4, durationSec: 2 }))
    expect(fairnessOf(r)).toMatchObject({ starved: 2 })
    const gaps = [...r.longestGapUs!].sort((a, b) => a - b)
    expect(gaps[1]).toBeLessThan(r.durationSec * 1e6 / 2)
    expect(gaps[2]).toBeGreaterThan(r.durationSec * 1e6 / 2)
  })
})

describe('the close-client, counting per connect→request→close loop', () => {
  it('flags the loops whose connections a server holds unanswered, counts their timed-out requests as lower bounds, and the served loops\' responses', async () => {
    server = await startHoldFirstServer(2)
    const r = await runCloseClient(spec(server.origin, { mode: 'close', connections: 4, durationSec: 1, timeoutMs: 1500 }))
    expect(r.perConnection).toHaveLength(4)
    const sorted = descending(r.perConnection!)
    expect(sorted[1]).toBeGreaterThan(20)
    expect(sorted.slice(2)).toEqual([0, 0])
    expect(r.perConnection!.reduce((a, b) => a + b, 0)).toBe(r.requests)
    expect(r.timeouts).toBe(2)
    expect(fairnessOf(r)).toMatchObject({ connections: 4, served: 2, starved: 2 })
    // the close-client follows every exchange to its end: nothing outstanding, the two held ones timed out
    expect(r.outstanding).toEqual([])
    expect(r.latencyUs.lowerBounds).toBe(2)
    // recorded at the age they reached when given up: the timeout, to within a millisecond of timer and
    // clock-stamp skew (once seen 1,499,276 µs on a busy machine)
    expect(r.latencyUs.max).toBeGreaterThanOrEqual(1_499_000)
    expect(r.longestWaitUs).toBe(r.latencyUs.max)
  })

  it('counts every loop as served when the server answers them all', async () => {
    server = await startHoldFirstServer(0)
    const r = await runCloseClient(spec(server.origin, { mode: 'close', connections: 4, durationSec: 1 }))
    expect(fairnessOf(r)).toMatchObject({ served: 4, starved: 0 })
    expect(r.latencyUs.lowerBounds).toBe(0)
  })
})
