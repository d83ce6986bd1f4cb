// The open-loop client's bookkeeping against small servers in this process (127.0.0.1, port 0):
// the schedule it keeps, the pool it grows, close mode, timeouts as lower bounds, and the flag it
// raises when it cannot keep its schedule. Each load is bounded (≤ 1.5 s, a few hundred requests).
// How well it measures a real queue is proved apart, in *.timing.test.ts.
import * as hdr from 'hdr-histogram-js'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runOpenLoop, validateOpenLoopSpec } from '../../../bench/clients/open-loop-client.js'
import { runOpenLoopInWorker } from '../../../bench/clients/load-session.js'
import type { OpenLoopSpec } from '../../../bench/types.js'
import { ensureBenchBuilt } from '../fixtures/build.js'
import { closedPort, startHttpServer, startRawServer, type LocalServer } from '../fixtures/local-servers.js'

const spec = (origin: string, extra: Partial<OpenLoopSpec> = {}): OpenLoopSpec => ({
  origin, method: 'GET', path: '/', headers: {}, mode: 'keepalive', rate: 200, arrivals: 'uniform',
  durationSec: 1, warmupSec: 0.2, maxConnections: 16, timeoutMs: 2000, seed: 1, ...extra,
})

/** A node:http server answering each request after `delayMs`, tracking how many are in flight at once. */
async function delayedServer(delayMs: number): Promise<LocalServer & { mostAtOnce: () => number }> {
  let now = 0
  let most = 0
  const server = await startHttpServer((_req, res) => {
    most = Math.max(most, ++now)
    setTimeout(() => { now--; res.end('late') }, delayMs)
  })
  return Object.assign(server, { mostAtOnce: () => most })
}

let server: LocalServer | undefined
afterEach(async () => { await server?.close(); server = undefined })

describe('runOpenLoop', () => {
  it('sends exactly the requests its schedule puts in the window and records each, the warm-up left out', async () => {
    server = await startHttpServer()
    const result = await runOpenLoop(spec(server.origin))
    // uniform at 200/s: one due every 5 ms; the window [0.2 s, 1.2 s) holds exactly 200 of them
    expect(result.scheduled).toBe(200)
    expect(result.sent).toBe(200)
    expect(result.requests).toBe(200)
    expect(result.errors + result.timeouts + result.non2xx).toBe(0)
    // the server also answered the warm-up's 40 (due at 0, 5, … 195 ms)
    expect(server.counts.responses).toBe(240)
    expect(result.durationSec).toBe(1)
    expect(result.achievedRate).toBeGreaterThan(190)
    expect(result.achievedRate).toBeLessThanOrEqual(200)
    expect(result.perSecond.reduce((a, b) => a + b, 0)).toBe(200)
    expect(result.latencyUs.p50).toBeGreaterThan(0)
    // latency runs from the intended time, service from the write, which cannot come before it
    expect(result.latencyUs.mean).toBeGreaterThanOrEqual(result.serviceUs.mean)
    expect(result.driver).toBe('open-loop')
  })

  it('keeps per-second latency histograms that together hold every recorded request', async () => {
    server = await startHttpServer()
    const result = await runOpenLoop(spec(server.origin, { durationSec: 1.5, arrivals: 'poisson', rate: 300 }))
    expect(result.latencyIntervals).toHaveLength(2)
    const counts = result.latencyIntervals!.map((encoded) => hdr.decodeFromCompressedBase64(encoded).totalCount)
    expect(counts.reduce((a, b) => a + b, 0)).toBe(result.requests)
    expect(counts[0]).toBeGreaterThan(counts[1]!) // a full second against half of one
  })

  it('reproduces a Poisson schedule from its seed, and draws another from another seed', async () => {
    server = await startHttpServer()
    const one = await runOpenLoop(spec(server.origin, { arrivals: 'poisson', rate: 500, durationSec: 0.5, warmupSec: 0, seed: 11 }))
    const again = await runOpenLoop(spec(server.origin, { arrivals: 'poisson', rate: 500, durationSec: 0.5, warmupSec: 0, seed: 11 }))
    const other = await runOpenLoop(spec(server.origin, { arrivals: 'poisson', rate: 500, durationSec: 0.5, warmupSec: 0, seed: 12 }))
    expect(again.scheduled).toBe(one.scheduled)
    expect(one.scheduled).toBeGreaterThan(180)
    expect(one.scheduled).toBeLessThan(320)
    expect(other.scheduled).not.toBe(one.scheduled)
  })

  it('grows its keep-alive pool to the requests in flight, and no further', async () => {
    const slow = await delayedServer(50)
    server = slow
    // 200/s, each answered after 50 ms: about 10 in flight at once
    const result = await runOpenLoop(spec(slow.origin, { maxConnections: 64 }))
    expect(result.requests).toBe(200)
    expect(result.connectionsUsed).toBeGreaterThanOrEqual(9)
    // "no further": a pool that opened a connection per request would use ~240 (its cap here is 64);
    // on a busy machine late timers bunch a few more in flight than the ideal 10 (17 was seen)
    expect(result.connectionsUsed).toBeLessThanOrEqual(24)
    expect(server.counts.connections).toBe(result.connectionsUsed)
    expect(result.latencyUs.p50).toBeGreaterThanOrEqual(50_000)
    expect(result.latencyUs.p50).toBeLessThan(70_000)
  })

  it('holds requests in the client when the pool is at its cap, and counts that wait in latency, not in its lateness', async () => {
    const slow = await delayedServer(50)
    server = slow
    // 3 connections serve at most 60/s; 200/s are due for 0.5 s: the rest wait for a connection
    const result = await runOpenLoop(spec(slow.origin, { maxConnections: 3, durationSec: 0.5, warmupSec: 0, timeoutMs: 5000 }))
    expect(result.connectionsUsed).toBe(3)
    expect(slow.mostAtOnce()).toBe(3)
    expect(result.requests).toBe(result.scheduled)
    // the last of 100 requests waits for ~97 ahead of it at 60/s: well over a second from its intended time
    expect(result.latencyUs.max).toBeGreaterThan(1_000_000)
    expect(result.serviceUs.max).toBeLessThan(200_000)
    expect(result.latenessUs.p99).toBeLessThan(result.serviceUs.p50)
  })

  it('records a request unanswered after timeoutMs at timeoutMs, as a lower bound, and gives its connection up', async () => {
    server = await startRawServer(() => { /* reads, never answers */ })
    const result = await runOpenLoop(spec(server.origin, { rate: 50, durationSec: 0.4, warmupSec: 0, timeoutMs: 200 }))
    expect(result.scheduled).toBe(20)
    expect(result.timeouts).toBe(20)
    expect(result.requests).toBe(0)
    expect(result.latencyUs.lowerBounds).toBe(20)
    // HDR keeps 3 significant digits: 200,000 µs within 0.1%
    expect(result.latencyUs.p50).toBeGreaterThanOrEqual(199_800)
    expect(result.latencyUs.max).toBeLessThanOrEqual(200_200)
    // each timed-out connection is dropped; a new one carries the next request
    expect(server.counts.connections).toBeGreaterThanOrEqual(20)
  })

  it('times out requests still waiting for a connection too: none vanishes', async () => {
    const slow = await delayedServer(300)
    server = slow
    const result = await runOpenLoop(spec(slow.origin, { rate: 100, maxConnections: 1, durationSec: 0.5, warmupSec: 0, timeoutMs: 400 }))
    expect(result.scheduled).toBe(50)
    expect(result.requests + result.timeouts + result.errors).toBe(result.scheduled)
    expect(result.timeouts).toBeGreaterThan(40)
    expect(result.latencyUs.lowerBounds).toBe(result.timeouts)
  })

  it('opens a connection per request in close mode, at most maxConnections at once', async () => {
    const slow = await delayedServer(40)
    server = slow
    const result = await runOpenLoop(spec(slow.origin, { mode: 'close', rate: 100, maxConnections: 2, durationSec: 0.5, warmupSec: 0, timeoutMs: 5000 }))
    expect(result.requests).toBe(50)
    expect(result.connectionsUsed).toBe(50)
    expect(server.counts.connections).toBe(50)
    expect(slow.mostAtOnce()).toBe(2)
    expect(result.mode).toBe('close')
  })

  it('counts refused connections as errors and still ends on time', async () => {
    const port = await closedPort()
    const started = Date.now()
    const result = await runOpenLoop(spec(`http://127.0.0.1:${port}`, { rate: 100, durationSec: 0.5, warmupSec: 0 }))
    expect(result.requests).toBe(0)
    expect(result.errors).toBe(result.scheduled)
    expect(result.scheduled).toBe(50)
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('counts connections the server resets mid-request as errors', async () => {
    server = await startRawServer((socket) => socket.once('data', () => socket.resetAndDestroy()))
    const result = await runOpenLoop(spec(server.origin, { rate: 100, durationSec: 0.3, warmupSec: 0 }))
    expect(result.requests).toBe(0)
    expect(result.errors).toBe(30)
  })

  it('flags itself client-lagging when its own event loop stalls, and says why', async () => {
    server = await startHttpServer()
    const run = runOpenLoop(spec(server.origin, { rate: 500, durationSec: 1, warmupSec: 0 }))
    // block this process (the client's event loop) for 300 ms in the middle of the window
    await new Promise((resolve) => setTimeout(resolve, 400))
    const until = Date.now() + 300
    while (Date.now() < until) { /* the client cannot send */ }
    const result = await run
    expect(result.clientLagging).toMatch(/lateness p99/)
    expect(result.latenessUs.max).toBeGreaterThanOrEqual(250_000)
    // the requests due during the stall went out late, all at once, and are in the latency
    expect(result.latencyUs.max).toBeGreaterThanOrEqual(250_000)
    expect(result.requests).toBe(result.scheduled)
  })

  it('refuses a spec it cannot honour', () => {
    expect(() => validateOpenLoopSpec(spec('http://127.0.0.1:1', { rate: 0 }))).toThrow(/rate/)
    expect(() => validateOpenLoopSpec(spec('http://127.0.0.1:1', { arrivals: 'bursty' as 'poisson' }))).toThrow(/arrivals/)
    expect(() => validateOpenLoopSpec(spec('http://127.0.0.1:1', { maxConnections: 0 }))).toThrow(/maxConnections/)
    expect(() => validateOpenLoopSpec(spec('http://10.0.0.1:80'))).toThrow(/refused/)
  })
})

describe('runOpenLoopInWorker', () => {
  beforeAll(() => ensureBenchBuilt(), 120_000)

  it('runs the client in a worker process and reports that process\'s CPU', async () => {
    server = await startHttpServer()
    const result = await runOpenLoopInWorker(spec(server.origin, { rate: 300, durationSec: 0.5, warmupSec: 0.1 }))
    expect(result.driver).toBe('open-loop')
    expect(result.scheduled).toBe(150)
    expect(result.requests).toBe(150)
    expect(result.clientCpuSec).toBeGreaterThan(0)
    expect(result.clientCpuSec).toBeLessThan(2)
  })
})
