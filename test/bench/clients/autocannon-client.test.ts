import { afterEach, describe, expect, it } from 'vitest'
import { runAutocannon } from '../../../bench/clients/autocannon-client.js'
import type { LoadSpec } from '../../../bench/types.js'
import { startHttpServer, startRawServer, type LocalServer } from '../fixtures/local-servers.js'

const spec = (origin: string, extra: Partial<LoadSpec> = {}): LoadSpec => ({
  origin, method: 'GET', path: '/', headers: {}, connections: 4, pipelining: 1,
  durationSec: 1, mode: 'keepalive', timeoutMs: 2000, ...extra,
})

let server: LocalServer | undefined
afterEach(async () => { await server?.close(); server = undefined })

describe('autocannon client', () => {
  // autocannon abandons the requests in flight when it stops, so the server may have answered up to
  // connections × pipelining more than the client counted, never fewer.
  it('counts the responses the server sent, less at most the ones in flight at the deadline', async () => {
    server = await startHttpServer()
    const result = await runAutocannon(spec(server.origin, { connections: 4 }))
    expect(result.errors).toBe(0)
    expect(result.requests).toBeGreaterThan(100)
    expect(server.counts.responses - result.requests).toBeGreaterThanOrEqual(0)
    expect(server.counts.responses - result.requests).toBeLessThanOrEqual(4)
    expect(server.counts.connections).toBe(4)
    expect(result.perSecond.reduce((a, b) => a + b, 0)).toBe(result.requests)
  })

  it('reports latency at µs resolution: p50 above zero against a sub-millisecond server', async () => {
    server = await startHttpServer()
    const result = await runAutocannon(spec(server.origin))
    expect(result.latencyUs.source).toBe('autocannon response events, µs')
    expect(result.latencyUs.p50).toBeGreaterThan(0)
    // a loopback hello answers well under a millisecond at the median: the value autocannon's own histogram rounds to 0
    expect(result.latencyUs.p50).toBeLessThan(5000)
    expect(result.latencyUs.p999).toBeLessThanOrEqual(result.latencyUs.max)
    expect(result.latencyUs.mean).toBeGreaterThan(0)
  })

  it('counts non-2xx responses', async () => {
    server = await startHttpServer((req, res) => {
      res.statusCode = 503
      res.end('busy')
    })
    const result = await runAutocannon(spec(server.origin))
    expect(result.requests).toBeGreaterThan(0)
    expect(result.non2xx).toBe(result.requests)
  })

  it('pipelines when asked and still counts every response', async () => {
    server = await startHttpServer()
    const result = await runAutocannon(spec(server.origin, { connections: 2, pipelining: 4 }))
    expect(result.errors).toBe(0)
    expect(server.counts.responses - result.requests).toBeGreaterThanOrEqual(0)
    expect(server.counts.responses - result.requests).toBeLessThanOrEqual(8)
  })

  it('counts connections the server resets as errors, not as responses', async () => {
    server = await startRawServer((socket) => { socket.once('data', () => socket.resetAndDestroy()) })
    const result = await runAutocannon(spec(server.origin))
    expect(result.requests).toBe(0)
    expect(result.errors).toBeGreaterThan(0)
  })

  it('counts unanswered requests as timeouts (whole seconds, at least 1), kept apart from errors', async () => {
    server = await startRawServer(() => { /* silent */ })
    const result = await runAutocannon(spec(server.origin, { connections: 2, timeoutMs: 300, durationSec: 1.5 }))
    expect(result.requests).toBe(0)
    expect(result.timeouts).toBeGreaterThanOrEqual(2)
    expect(result.errors).toBe(0)
  })

  it('refuses close mode, which autocannon cannot measure', async () => {
    await expect(runAutocannon(spec('http://127.0.0.1:1', { mode: 'close' }))).rejects.toThrow(/cannot measure close-per-request/)
  })
})
