import { existsSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import type { LoadSpec } from '../../../bench/types.js'
import { parseWrkOutput, runWrk, WRK_PATH, wrkArgs, wrkScript } from '../../../bench/clients/wrk-client.js'
import { closedPort, startHttpServer, type LocalServer } from '../fixtures/local-servers.js'
import * as hdr from 'hdr-histogram-js'
import { mergeLatency } from '../../../bench/stats/merge-latency.js'

const spec = (origin: string, extra: Partial<LoadSpec> = {}): LoadSpec => ({
  origin, method: 'GET', path: '/', headers: {}, connections: 4, pipelining: 1,
  durationSec: 1, mode: 'keepalive', timeoutMs: 2000, ...extra,
})

let server: LocalServer | undefined
afterEach(async () => { await server?.close(); server = undefined })

// wrk is optional for users (apt-get install wrk); CI installs it, so there a missing wrk fails.
describe.skipIf(!existsSync(WRK_PATH) && process.env.CI !== 'true')('wrk client, run for real (skipped where wrk is not installed, except in CI)', () => {
  // wrk abandons the requests in flight at the deadline: the server may have answered up to
  // `connections` more than wrk counted.
  it('counts the keep-alive responses the server sent, less at most the ones in flight', async () => {
    server = await startHttpServer()
    const result = await runWrk(spec(server.origin))
    expect(result.driver).toBe('wrk')
    expect(result.errors).toBe(0)
    expect(result.requests).toBeGreaterThan(100)
    expect(server.counts.responses - result.requests).toBeGreaterThanOrEqual(0)
    expect(server.counts.responses - result.requests).toBeLessThanOrEqual(4)
    expect(result.bytesRead).toBeGreaterThan(result.requests * 5)
    expect(result.latencyUs.p50).toBeGreaterThan(0)
    expect(result.latencyUs.p99).toBeLessThanOrEqual(result.latencyUs.p999)
    expect(result.latencyUs.p999).toBeLessThanOrEqual(result.latencyUs.max)
    expect(result.latencyUs.source).toMatch(/HDR rebuilt from its distribution, its coordinated-omission fill undone/)
    expect(result.durationSec).toBeGreaterThan(0.9)
  })

  it('exports its whole latency distribution: one raw sample per response (its fill undone), merging across runs', async () => {
    server = await startHttpServer()
    const runs = [await runWrk(spec(server.origin, { connections: 1 })), await runWrk(spec(server.origin, { connections: 8 }))]
    for (const result of runs) {
      expect(result.errors + result.timeouts).toBe(0)
      const histogram = hdr.decodeFromCompressedBase64(result.latencyUs.histogram!, 32, false)
      // wrk records one latency per response; its fill would have added more than that
      expect(histogram.totalCount).toBe(result.requests)
      expect(result.latencyUs.p50).toBeLessThanOrEqual(result.latencyUs.p99)
      expect(result.latencyUs.max).toBeGreaterThanOrEqual(result.latencyUs.p999)
    }
    const merged = mergeLatency(runs.map((r) => r.latencyUs), 'merged')!
    expect(hdr.decodeFromCompressedBase64(merged.histogram!, 32, false).totalCount).toBe(runs[0]!.requests + runs[1]!.requests)
  })

  it("opens one connection per request with -H 'Connection: close'", async () => {
    server = await startHttpServer()
    const result = await runWrk(spec(server.origin, { mode: 'close' }))
    expect(result.mode).toBe('close')
    expect(result.errors).toBe(0)
    expect(result.requests).toBeGreaterThan(100)
    expect(server.counts.connections - result.requests).toBeGreaterThanOrEqual(0)
    expect(server.counts.connections - result.requests).toBeLessThanOrEqual(4 + 1) // in flight, plus wrk's start-up probe
  })

  it('counts responses with status 400 and above as non2xx (wrk counts status > 399)', async () => {
    server = await startHttpServer((_req, res, index) => {
      res.statusCode = index % 2 === 0 ? 404 : 200
      res.end('x')
    })
    const result = await runWrk(spec(server.origin))
    expect(result.non2xx).toBeGreaterThan(result.requests / 2 - 10)
    expect(result.non2xx).toBeLessThan(result.requests / 2 + 10)
  })

  it('sends the method, headers and body from the spec, quotes and backslashes intact', async () => {
    server = await startHttpServer((_req, res) => res.end('ok'), { recordRequests: true })
    const result = await runWrk(spec(server.origin, {
      method: 'POST', path: '/add/000007.html', headers: { 'X-Odd': 'a"b\\c\'d' }, body: 'line1\nline2 "q"', connections: 1,
    }))
    expect(result.requests).toBeGreaterThan(0)
    expect(server.counts.requests[0]).toMatchObject({ method: 'POST', url: '/add/000007.html', body: 'line1\nline2 "q"' })
    expect(server.counts.requests[0]!.headers['x-odd']).toBe('a"b\\c\'d')
  })

  it('walks a request cycle from its first entry, in turn (wrk calls request() once before sending anything)', async () => {
    server = await startHttpServer((_req, res) => res.end('ok'), { recordRequests: true })
    const result = await runWrk(spec(server.origin, {
      method: 'POST', path: '/add/1.html', connections: 1,
      requests: [{ method: 'POST', path: '/add/1.html' }, { method: 'POST', path: '/del/1.html' }, { method: 'GET', path: '/third' }],
    }))
    expect(result.requests).toBeGreaterThan(3)
    const paths = server.counts.requests.map((r) => r.url)
    expect(paths.slice(0, 4)).toEqual(['/add/1.html', '/del/1.html', '/third', '/add/1.html'])
  })

  it('pipelines when asked: every request in the batch is answered and counted', async () => {
    server = await startHttpServer()
    const result = await runWrk(spec(server.origin, { connections: 2, pipelining: 4 }))
    expect(result.errors).toBe(0)
    expect(result.requests).toBeGreaterThan(100)
    expect(server.counts.responses - result.requests).toBeGreaterThanOrEqual(0)
    expect(server.counts.responses - result.requests).toBeLessThanOrEqual(8)
  })

  it('reports a refused connection as an error instead of throwing', async () => {
    const port = await closedPort()
    const result = await runWrk(spec(`http://127.0.0.1:${port}`))
    expect(result.requests).toBe(0)
    expect(result.errors).toBeGreaterThan(0)
  })
})

describe('wrk output and arguments', () => {
  const text = [
    'Running 2s test @ http://127.0.0.1:18999/',
    '  1 threads and 4 connections',
    '  Thread Stats   Avg      Stdev     Max   +/- Stdev',
    '    Latency   350.06us  550.12us   5.36ms   91.79%',
    '    Req/Sec    13.37k     5.87k   20.03k    50.00%',
    '  Latency Distribution',
    '     50%  166.00us',
    '     75%  347.00us',
    '     90%  761.00us',
    '     99%    2.97ms',
    '  13316 requests in 1.00s, 1.22MB read',
    '  Socket errors: connect 1, read 2, write 3, timeout 4',
    '  Non-2xx or 3xx responses: 7',
    'Requests/sec:  13299.80',
    'Transfer/sec:      1.22MB',
  ].join('\n')

  it("parses wrk's human text when the done() line is missing, converting every unit to µs and bytes", () => {
    const numbers = parseWrkOutput(text)!
    expect(numbers.requests).toBe(13316)
    expect(numbers.durationSec).toBe(1)
    expect(numbers.bytesRead).toBe(Math.round(1.22 * 1024 * 1024))
    expect(numbers.socketErrors).toEqual({ connect: 1, read: 2, write: 3, timeout: 4 })
    expect(numbers.non2xx).toBe(7)
    expect(numbers.latencyUs).toMatchObject({ p50: 166, p90: 761, p99: 2970, max: 5360, p999: 0 })
  })

  it('prefers the exact numbers of the done() line', () => {
    const line = 'HTTPMODELS-WRK {"requests":13316,"duration":1001218,"bytes":1278336,"connect":0,"read":0,"write":0,"status":0,"timeout":0,"p50":166,"p90":761,"p99":2975,"p999":4941,"max":5361,"mean":350.057}'
    const numbers = parseWrkOutput(`${text}\n${line}\n`)!
    expect(numbers.bytesRead).toBe(1278336)
    expect(numbers.durationSec).toBeCloseTo(1.001218, 6)
    expect(numbers.latencyUs).toMatchObject({ p50: 166, p99: 2975, p999: 4941, max: 5361, mean: 350.057 })
  })

  it('returns null for output that holds no results', () => {
    expect(parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused')).toBeNull()
  })

  it("adds -H 'Connection: close' only in close mode and rounds durations to whole seconds", () => {
    const close = wrkArgs(spec('http://127.0.0.1:8080', { mode: 'close', durationSec: 1.6, timeoutMs: 250 }), '/tmp/x.lua')
    expect(close).toEqual(['-t1', '-c4', '-d2s', '--timeout', '1s', '--latency', '-s', '/tmp/x.lua', '-H', 'Connection: close', 'http://127.0.0.1:8080/'])
    expect(wrkArgs(spec('http://127.0.0.1:8080'), '/tmp/x.lua')).not.toContain('-H')
  })

  it('writes Lua strings with every special byte escaped', () => {
    const script = wrkScript(spec('http://127.0.0.1:8080', { method: 'POST', body: 'a"\n\\é' }))
    expect(script).toContain('wrk.body = "a\\034\\010\\092\\195\\169"')
  })
})
