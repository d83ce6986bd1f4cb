import { afterEach, describe, expect, it } from 'vitest'
import { buildCloseRequest, runCloseClient } from '../../../bench/clients/close-client.js'
import { contentLength, parseStatus } from '../../../bench/clients/response-head.js'
import type { LoadSpec } from '../../../bench/types.js'
import { answerThenClose, closedPort, startHttpServer, startRawServer, type LocalServer } from '../fixtures/local-servers.js'

const spec = (origin: string, extra: Partial<LoadSpec> = {}): LoadSpec => ({
  origin, method: 'GET', path: '/', headers: {}, connections: 4, pipelining: 1,
  durationSec: 1, mode: 'close', timeoutMs: 2000, ...extra,
})

let server: LocalServer | undefined
afterEach(async () => { await server?.close(); server = undefined })

describe('close-client against real servers', () => {
  // The rule: no connection starts after the deadline and every one started before it is followed
  // to its end, so the client's completed responses equal the server's finished responses exactly.
  it('counts exactly the responses the server finished, one connection per request', async () => {
    server = await startHttpServer()
    const result = await runCloseClient(spec(server.origin))
    expect(result.errors).toBe(0)
    expect(result.timeouts).toBe(0)
    expect(result.requests).toBeGreaterThan(100)
    expect(result.requests).toBe(server.counts.responses)
    expect(server.counts.connections).toBe(result.requests)
    expect(result.perSecond.reduce((a, b) => a + b, 0)).toBe(result.requests)
    expect(result.requestsPerSec).toBeCloseTo(result.requests / result.durationSec, 6)
    expect(result.durationSec).toBeGreaterThanOrEqual(1)
    expect(result.durationSec).toBeLessThan(1.5)
  })

  it('records connect time and response time separately, both above zero, in µs', async () => {
    server = await startHttpServer()
    const result = await runCloseClient(spec(server.origin))
    expect(result.connectUs).toBeDefined()
    expect(result.connectUs!.p50).toBeGreaterThan(0)
    expect(result.latencyUs.p50).toBeGreaterThan(0)
    expect(result.connectUs!.source).not.toBe(result.latencyUs.source)
    expect(result.latencyUs.source).toMatch(/µs/)
    for (const summary of [result.latencyUs, result.connectUs!]) {
      expect(summary.p50).toBeLessThanOrEqual(summary.p90)
      expect(summary.p90).toBeLessThanOrEqual(summary.p99)
      expect(summary.p99).toBeLessThanOrEqual(summary.p999)
      expect(summary.p999).toBeLessThanOrEqual(summary.max)
    }
  })

  it('counts non-2xx responses as completed requests and as non2xx', async () => {
    server = await startHttpServer((_req, res, index) => {
      res.statusCode = index % 2 === 0 ? 404 : 200
      res.end('x')
    })
    const result = await runCloseClient(spec(server.origin))
    expect(result.requests).toBe(server.counts.responses)
    expect(result.non2xx).toBe(Math.ceil(result.requests / 2))
  })

  it('counts the bytes of every response and reads a body without Content-Length to the close', async () => {
    const response = 'HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nhello, read to close'
    server = await startRawServer(answerThenClose(response))
    const result = await runCloseClient(spec(server.origin))
    expect(result.errors).toBe(0)
    expect(result.requests).toBe(server.counts.responses)
    expect(result.bytesRead).toBe(result.requests * response.length)
  })

  it('gathers a response head that arrives one byte per write', async () => {
    server = await startRawServer(answerThenClose('HTTP/1.1 201 Created\r\nContent-Length: 5\r\n\r\nhello', { split: true }))
    const result = await runCloseClient(spec(server.origin, { connections: 2 }))
    expect(result.errors).toBe(0)
    expect(result.requests).toBeGreaterThan(0)
    expect(result.requests).toBe(server.counts.responses)
    expect(result.non2xx).toBe(0)
  })

  it('counts a response cut short of its Content-Length as an error, not a response', async () => {
    server = await startRawServer(answerThenClose('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this'))
    const result = await runCloseClient(spec(server.origin))
    expect(result.requests).toBe(0)
    expect(result.errors).toBe(server.counts.responses)
    expect(result.errors).toBeGreaterThan(0)
  })

  it('counts connections the server resets as errors', async () => {
    server = await startRawServer((socket) => { socket.once('data', () => socket.resetAndDestroy()) })
    const result = await runCloseClient(spec(server.origin))
    expect(result.requests).toBe(0)
    expect(result.errors).toBeGreaterThan(0)
    expect(result.errors).toBe(server.counts.connections)
  })

  it('counts refused connections as errors and still stops at the deadline', async () => {
    const port = await closedPort()
    const result = await runCloseClient(spec(`http://127.0.0.1:${port}`, { durationSec: 0.5, connections: 2 }))
    expect(result.requests).toBe(0)
    expect(result.errors).toBeGreaterThan(0)
    expect(result.durationSec).toBeLessThan(1)
  })

  it('counts a request the server never answers as a timeout and ends within the deadline plus one timeout', async () => {
    server = await startRawServer(() => { /* reads nothing, answers nothing */ })
    const started = Date.now()
    const result = await runCloseClient(spec(server.origin, { durationSec: 1, timeoutMs: 300, connections: 3 }))
    const elapsedMs = Date.now() - started
    expect(result.requests).toBe(0)
    expect(result.errors).toBe(0)
    // 3 loops, each timing out every ~300 ms (+ sweep) for 1 s, then one last in-flight timeout
    expect(result.timeouts).toBeGreaterThanOrEqual(6)
    expect(elapsedMs).toBeLessThan(1000 + 300 + 400)
  })

  it('sends the method, headers and body it is given, with Connection: close', async () => {
    server = await startHttpServer((_req, res) => res.end('ok'), { recordRequests: true })
    const result = await runCloseClient(spec(server.origin, {
      method: 'POST', path: '/add/000007.html', headers: { 'X-Test': 'yes', Connection: 'keep-alive' }, body: 'a=1', connections: 1, durationSec: 0.3,
    }))
    expect(result.requests).toBeGreaterThan(0)
    const seen = server.counts.requests[0]!
    expect(seen).toMatchObject({ method: 'POST', url: '/add/000007.html', body: 'a=1' })
    expect(seen.headers).toMatchObject({ 'x-test': 'yes', connection: 'close', 'content-length': '3', host: server.origin.slice(7) })
  })
})

describe('close-client rules', () => {
  it('refuses targets outside loopback and 198.18.0.0/15 with a clear error', async () => {
    await expect(runCloseClient(spec('http://example.com:80'))).rejects.toThrow(/only http:\/\/127\.0\.0\.1:PORT, .* 198\.18\.0\.0\/15/)
  })

  it('refuses keep-alive mode: it only does close-per-request', async () => {
    await expect(runCloseClient(spec('http://127.0.0.1:1', { mode: 'keepalive' }))).rejects.toThrow(/only runs mode 'close'/)
  })

  it('builds the request once with exactly one Connection: close and a Host', () => {
    const bytes = buildCloseRequest(spec('http://127.0.0.1:8080', { headers: { connection: 'keep-alive', Accept: '*/*' } }), '127.0.0.1:8080')
    const text = bytes.toString('latin1')
    expect(text).toBe('GET / HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nAccept: */*\r\nConnection: close\r\n\r\n')
  })

  it('parses status lines with and without a reason phrase and rejects anything else', () => {
    expect(parseStatus('HTTP/1.1 200 OK\r\n')).toBe(200)
    expect(parseStatus('HTTP/1.0 404\r\n')).toBe(404)
    expect(parseStatus('HTTP/1.1 20 OK\r\n')).toBe(0)
    expect(parseStatus('HTTP/2 200 OK\r\n')).toBe(0)
    expect(parseStatus('garbage')).toBe(0)
  })

  it('reads Content-Length case-insensitively, treats chunked and absent as read-to-close, and flags a bad one', () => {
    expect(contentLength('HTTP/1.1 200 OK\r\ncontent-LENGTH: 12\r\n')).toBe(12)
    expect(contentLength('HTTP/1.1 200 OK\r\nServer: x\r\n')).toBe(-1)
    expect(contentLength('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n')).toBe(-1)
    expect(contentLength('HTTP/1.1 200 OK\r\nContent-Length: -5\r\n')).toBe(-2)
  })
})
