// The null server (bench/driver/null-server.ts): prebuilt answers at the end of each request head,
// right enough to pass the bench's own verification on hello and static, and its CLI entry.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { NULL_SERVER_NAME, startNullServer, type RunningNullServer } from '../../../bench/driver/null-server.js'
import { expectedBody } from '../../../bench/driver/expected-body.js'
import { scenario } from '../../../bench/driver/scenarios.js'
import { verifyScenario } from '../../../bench/driver/verify.js'
import { startServerProcess } from '../../../bench/driver/server-process.js'
import { defaultDocRoot, defaultServeEntry, nullServerEntry } from '../../../bench/host/paths.js'
import { bytewise, exchange } from '../../helpers/raw-http.js'

let server: RunningNullServer | undefined
afterEach(async () => { await server?.close(); server = undefined })

const start = async (): Promise<RunningNullServer> => (server = await startNullServer({ host: '127.0.0.1', port: 0, root: defaultDocRoot() }))
const GET = (path: string, extra = ''): string => `GET ${path} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`

describe('the null server', () => {
  it("passes the bench's own verification of hello and static, keep-alive and close", async () => {
    const { port } = await start()
    const context = { root: defaultDocRoot(), db: 'memory', serveEntry: defaultServeEntry(), referenceModel: 'node-http' }
    for (const name of ['hello', 'static'] as const) {
      const s = scenario(name)
      for (const mode of ['keepalive', 'close'] as const) {
        const verified = await verifyScenario(`http://127.0.0.1:${port}`, s, await expectedBody(s, context), mode)
        expect(verified.ok, `${name} ${mode}: ${verified.failure}`).toBe(true)
      }
    }
  })

  it('answers pipelined requests in order, heads split anywhere, over one connection', async () => {
    const { port } = await start()
    const bytes = bytewise(GET('/hello') + GET('/') + GET('/hello'))
    const result = await exchange(port, [Buffer.concat(bytes.slice(0, 7)), Buffer.concat(bytes.slice(7, 40)), Buffer.concat(bytes.slice(40))], { responses: 3 })
    expect(result.closed).toBe(false)
    expect(result.responses.map((r) => r.body.length)).toEqual([13, readFileSync(`${defaultDocRoot()}/index.html`).length, 13])
    expect(result.responses[0]!.headers.get('server')).toBe(NULL_SERVER_NAME)
  })

  it('answers Connection: close, then closes, ignoring what was pipelined after it', async () => {
    const { port } = await start()
    const result = await exchange(port, [GET('/hello', 'Connection: close\r\n') + GET('/hello')])
    expect(result.closed).toBe(true)
    expect(result.responses).toHaveLength(1)
    expect(result.responses[0]!.headers.get('connection')).toBe('close')
  })

  it('answers a path it does not know with a prebuilt 404', async () => {
    const { port } = await start()
    const result = await exchange(port, [GET('/hello/x') + GET('/nope')], { responses: 2 })
    expect(result.responses.map((r) => r.status)).toEqual([404, 404])
  })
})

describe('the null server CLI', () => {
  it('keeps the serve contract: a ready line with the port it picked, SIGTERM exits 0', async () => {
    const process = await startServerProcess({ entry: nullServerEntry(), args: ['--port=0'] })
    expect(process.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const exit = await process.stop()
    expect(exit).toMatchObject({ code: 0, signal: null, leftoverPids: [] })
  })

  it.each([
    [['--port=70000'], /--port must be 0–65535, not "70000"/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('refuses %j with one line on stderr and exit code 2', (argv, message) => {
    const r = spawnSync(process.execPath, [nullServerEntry(), ...argv], { encoding: 'utf8' })
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(message)
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1)
  })
})
