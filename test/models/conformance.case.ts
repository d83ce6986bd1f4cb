// The one conformance suite every model passes (hono's common.case.test.ts): real server
// process, real sockets, the same bytes for every model. A model's test file calls
// runConformance(name, { skip }) and names a reason for every case it skips.
import { execFile, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uploadExpectingContinue } from '../helpers/expect-continue.js'

/** curl's --expect100-timeout in the curl case: ten times its 1 s default, far past any answer. */
const WAITED_OUT_MS = 10_000
import { bytewise, exchange, get, type RawResponse } from '../helpers/raw-http.js'
import { childPids, REPO_ROOT, startServe, type ServeProcess } from '../helpers/serve-process.js'
import { MALFORMED } from './malformed-requests.js'
import { isAlive } from './process-alive.js'

export interface Skip {
  reason: string
  tests: string[]
}

export interface ConformanceOptions {
  /** Extra serve flags (e.g. --workers=2). */
  args?: string[]
  /** The model answers every request with Connection: close. */
  closesEveryConnection?: boolean
  skip?: Skip[]
}

const WWW = join(REPO_ROOT, 'fixtures/www')
const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n'
// The upload the issue names: 64 KiB, the size at which curl surely sends Expect: 100-continue
// (curl 7.88 sends it for any -T upload and for POST bodies over 1 KiB).
const UPLOAD = Buffer.alloc(64 * 1024, 'u')
const CURL = spawnSync('curl', ['--version']).status === 0
const REQUIRED_HEADERS = ['date', 'server', 'content-type', 'content-length']

function expectWellFormed(response: RawResponse): void {
  for (const name of REQUIRED_HEADERS) expect(response.headers.has(name), `header ${name}`).toBe(true)
  expect(Number(response.headers.get('content-length'))).toBe(response.body.length)
}

export function runConformance(model: string, options: ConformanceOptions = {}): void {
  const skipped = new Map<string, string>()
  for (const skip of options.skip ?? []) for (const test of skip.tests) skipped.set(test, skip.reason)
  // Which of the keep-alive/close cases apply follows from the model, not from a skip list.
  if (options.closesEveryConnection) {
    skipped.set('keeps a connection alive across requests', 'the model closes every connection after one response')
    skipped.set('answers pipelined requests in order', 'the model answers the first request and closes')
  } else {
    skipped.set('answers only the first pipelined request on a close-per-request model', 'the model keeps connections alive')
  }
  if (!CURL) skipped.set('curl -T uploads 64 KiB without waiting out its Expect: 100-continue timer', 'curl is not installed (the raw client case above covers the same exchange)')
  const test = (name: string, fn: () => Promise<void>, timeout?: number): void => {
    const reason = skipped.get(name)
    if (reason !== undefined) it.skip(`${name} — skipped: ${reason}`, fn)
    else it(name, fn, timeout)
  }

  describe(`model ${model}`, () => {
    let server: ServeProcess
    beforeAll(async () => {
      server = await startServe([`--model=${model}`, '--headers-timeout-ms=1000', ...(options.args ?? [])])
    })
    afterAll(async () => {
      if (!server) return
      const exit = await server.stop()
      expect(exit.code).toBe(0)
    })

    test('serves the static home page byte for byte', async () => {
      const response = await get(server.port, '/')
      expect(response.status).toBe(200)
      expectWellFormed(response)
      expect(response.headers.get('content-type')).toMatch(/^text\/html/)
      expect(response.body.equals(readFileSync(join(WWW, 'index.html')))).toBe(true)
    })

    test('serves a large static file byte for byte', async () => {
      const response = await get(server.port, '/large.bin')
      expect(response.status).toBe(200)
      expect(response.body.equals(readFileSync(join(WWW, 'large.bin')))).toBe(true)
    })

    test('answers /hello with Hello, World!', async () => {
      const response = await get(server.port, '/hello')
      expect(response.status).toBe(200)
      expectWellFormed(response)
      expect(response.body.toString()).toBe('Hello, World!')
    })

    test('renders the stock table from the store', async () => {
      const response = await get(server.port, '/stocks.html')
      expect(response.status).toBe(200)
      expectWellFormed(response)
      expect(response.headers.get('content-type')).toMatch(/^text\/html/)
      expect((response.body.toString().match(/<tr/g) ?? []).length).toBeGreaterThanOrEqual(100)
    })

    test('follows and unfollows a stock through POST routes', async () => {
      const code = /\b(\d{6})\b/.exec((await get(server.port, '/stocks.html')).body.toString())![1]!
      const post = (path: string) =>
        exchange(server.port, [`POST ${path} HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`])
      await post(`/del/${code}.html`) // start from "not followed", whatever an earlier run left
      const added = (await post(`/add/${code}.html`)).responses[0]!
      expect(added.status).toBe(200)
      expect((await get(server.port, '/center.html')).body.toString()).toContain(code)
      const removed = (await post(`/del/${code}.html`)).responses[0]!
      expect(removed.status).toBe(200)
      expect((await get(server.port, '/center.html')).body.toString()).not.toContain(code)
    })

    test('answers HEAD with the GET headers and no body', async () => {
      const full = await get(server.port, '/')
      const result = await exchange(server.port, ['HEAD / HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n'], { head: [true] })
      expect(result.closed).toBe(true)
      expect(result.responses).toHaveLength(1)
      const response = result.responses[0]!
      expect(response.status).toBe(200)
      expect(response.headers.get('content-length')).toBe(String(full.body.length))
      // nothing may follow the head: the byte count is exactly the head
      expect(result.bytes.toString('latin1').endsWith('\r\n\r\n')).toBe(true)
    })

    test('answers 404 for a missing file and 405 for a method the route does not allow', async () => {
      expect((await get(server.port, '/no-such-page.html')).status).toBe(404)
      const result = await exchange(server.port, ['DELETE /hello HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n'])
      const response = result.responses[0]!
      expect(response.status).toBe(405)
      expect(response.headers.get('allow')).toBeTruthy()
    })

    test('keeps a connection alive across requests', async () => {
      const request = 'GET /hello HTTP/1.1\r\nHost: test\r\n\r\n'
      const result = await exchange(server.port, [request, request, request], { gapMs: 30, responses: 3 })
      expect(result.responses.map((r) => r.status)).toEqual([200, 200, 200])
      expect(result.closed).toBe(false)
    })

    test('answers pipelined requests in order', async () => {
      const paths = ['/hello', '/', '/no-such-page.html', '/stocks.html', '/hello']
      const bytes = paths.map((p) => `GET ${p} HTTP/1.1\r\nHost: test\r\n\r\n`).join('')
      const result = await exchange(server.port, [bytes], { responses: paths.length })
      expect(result.responses.map((r) => r.status)).toEqual([200, 200, 404, 200, 200])
      expect(result.responses[0]!.body.toString()).toBe('Hello, World!')
      expect(result.responses[1]!.headers.get('content-type')).toMatch(/^text\/html/)
    })

    test('answers only the first pipelined request on a close-per-request model', async () => {
      const bytes = 'GET /hello HTTP/1.1\r\nHost: test\r\n\r\nGET / HTTP/1.1\r\nHost: test\r\n\r\n'
      const result = await exchange(server.port, [bytes])
      expect(result.closed).toBe(true)
      expect(result.responses).toHaveLength(1)
      expect(result.responses[0]!.headers.get('connection')).toBe('close')
    })

    test('understands a request dribbled byte by byte', async () => {
      const result = await exchange(server.port, bytewise('GET /hello HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n'), { gapMs: 2 })
      expect(result.responses[0]?.status).toBe(200)
      expect(result.responses[0]?.body.toString()).toBe('Hello, World!')
    })

    test('understands a 3 KB header split across packets', async () => {
      const head = `GET /hello HTTP/1.1\r\nHost: test\r\nX-Long: ${'v'.repeat(3000)}\r\nConnection: close\r\n\r\n`
      const parts = [head.slice(0, 700), head.slice(700, 1500), head.slice(1500, 2900), head.slice(2900)]
      const result = await exchange(server.port, parts, { gapMs: 20 })
      expect(result.responses[0]?.status).toBe(200)
    })

    test('receives a request body in chunked encoding', async () => {
      // a stock nobody follows (not on the fixture's center page), so the follow must succeed
      const followed = (await get(server.port, '/center.html')).body.toString()
      const codes = [...(await get(server.port, '/stocks.html')).body.toString().matchAll(/\b(\d{6})\b/g)].map((m) => m[1]!)
      const code = codes.reverse().find((c) => !followed.includes(c))!
      const result = await exchange(server.port, [
        `POST /add/${code}.html HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n`,
      ])
      expect(result.responses[0]?.status).toBe(200)
      await exchange(server.port, [`POST /del/${code}.html HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`])
    })

    test('honours Connection: close', async () => {
      const result = await exchange(server.port, ['GET /hello HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n'])
      expect(result.closed).toBe(true)
      expect(result.responses).toHaveLength(1)
      expect(result.responses[0]!.headers.get('connection')).toBe('close')
    })

    test('answers Expect: 100-continue with one 100 Continue, then reads the body and answers it', async () => {
      const head = `PUT /hello HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: ${UPLOAD.length}\r\nConnection: close\r\n\r\n`
      // Waiting far longer than curl would, so a slow fork start cannot pass for a missing 100.
      const upload = await uploadExpectingContinue(server.port, head, UPLOAD, { waitMs: 10_000, timeoutMs: 15_000 })
      // Nothing but the 100 before the body: the final answer needs the whole body first.
      expect(upload.beforeBody).toBe(CONTINUE)
      expect(upload.continued).toBe(true)
      expect(upload.interims).toBe(1)
      expect(upload.responses.map((r) => r.status)).toEqual([405]) // /hello is GET only
    })

    test('sends no 100 Continue when the body came with the head', async () => {
      const request = `PUT /hello HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello`
      const result = await exchange(server.port, [request])
      expect(result.bytes.toString('latin1').startsWith('HTTP/1.1 405 ')).toBe(true)
    })

    test('answers 413 instead of 100 Continue when the declared body is over 1 MiB, and closes', async () => {
      const head = 'PUT /hello HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 2000000\r\n\r\n'
      const upload = await uploadExpectingContinue(server.port, head, UPLOAD)
      expect(upload.bodySent).toBe(false)
      expect(upload.interims).toBe(0)
      expect(upload.responses.map((r) => r.status)).toEqual([413])
      expect(upload.closed).toBe(true)
    })

    test('answers 417 to an expectation other than 100-continue before the body, and closes', async () => {
      const head = 'PUT /hello HTTP/1.1\r\nHost: test\r\nExpect: x-teapot\r\nContent-Length: 5\r\n\r\n'
      const upload = await uploadExpectingContinue(server.port, head, Buffer.from('hello'))
      expect(upload.bodySent).toBe(false)
      expect(upload.interims).toBe(0)
      expect(upload.responses.map((r) => r.status)).toEqual([417])
      expectWellFormed(upload.responses[0]!)
      expect(upload.closed).toBe(true)
    })

    test('curl -T uploads 64 KiB without waiting out its Expect: 100-continue timer', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'httpmodels-upload-'))
      try {
        const file = join(dir, 'upload.bin')
        writeFileSync(file, UPLOAD)
        const out = await new Promise<string>((resolve, reject) =>
          // curl waits for a 100 Continue up to --expect100-timeout (1 s by default); 10 s here, so a
          // server that never sends one shows as a 10 s upload however fast or loaded the machine
          // is, and one that does finishes in its own time (a few ms; fork: a new Node process,
          // 0.2–1.2 s when the machine is busy)
          execFile('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code} %{time_total}', '--expect100-timeout', String(WAITED_OUT_MS / 1000), '-T', file, `${server.origin}/hello`], (error, stdout) =>
            error ? reject(error) : resolve(stdout),
          ),
        )
        const [status, seconds] = out.trim().split(' ')
        expect(status).toBe('405')
        // without a 100 curl would have sent the body only when its timer fired
        expect(Number(seconds) * 1000).toBeLessThan(WAITED_OUT_MS / 2)
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    })

    test('closes an HTTP/1.0 connection that did not ask for keep-alive', async () => {
      const result = await exchange(server.port, ['GET /hello HTTP/1.0\r\n\r\n'])
      expect(result.closed).toBe(true)
      expect(result.responses[0]?.status).toBe(200)
    })

    test('answers 64 concurrent clients correctly', async () => {
      const home = readFileSync(join(WWW, 'index.html'))
      const results = await Promise.all(
        Array.from({ length: 64 }, (_, i) => (i % 2 === 0 ? get(server.port, '/hello') : get(server.port, '/'))),
      )
      results.forEach((response, i) => {
        expect(response.status).toBe(200)
        if (i % 2 === 0) expect(response.body.toString()).toBe('Hello, World!')
        else expect(response.body.equals(home)).toBe(true)
      })
    }, 60_000)

    for (const bad of MALFORMED) {
      test(`rejects ${bad.name} with ${bad.status} and closes`, async () => {
        const result = await exchange(server.port, [bad.bytes])
        expect(result.responses[0]?.status).toBe(bad.status)
        expect(result.closed).toBe(true)
      })
    }

    test('answers the requests before a malformed one in the same packet, then 400 and close', async () => {
      const bytes = 'GET /hello HTTP/1.1\r\nHost: test\r\n\r\nGET /hello HTTP/1.1\nHost: x\n\n'
      const result = await exchange(server.port, [bytes])
      expect(result.closed).toBe(true)
      // a close-per-request model answers the first request and closes before reading on
      expect(result.responses.map((r) => r.status)).toEqual(options.closesEveryConnection ? [200] : [200, 400])
    })

    test('answers 408 when a started head does not complete in time', async () => {
      const result = await exchange(server.port, ['GET /hello HTTP/1.1\r\nHost: te'], { timeoutMs: 4000 })
      expect(result.responses[0]?.status).toBe(408)
      expect(result.closed).toBe(true)
    })

    test('a malformed request does not disturb another connection mid-request', async () => {
      const slow = exchange(server.port, ['GET /hello HTTP/1.1\r\n', 'Host: test\r\nConnection: close\r\n\r\n'], { gapMs: 150 })
      const bad = await exchange(server.port, ['GET / HTTP/1.1\nHost: x\n\n'])
      expect(bad.responses[0]?.status).toBe(400)
      expect((await slow).responses[0]?.status).toBe(200)
    })

    test('still answers after all of the above', async () => {
      const response = await get(server.port, '/hello')
      expect(response.status).toBe(200)
    })
  })

  describe(`model ${model} shutdown`, () => {
    test('finishes an in-flight request on SIGTERM, exits 0 and leaves no child process', async () => {
      const server = await startServe([`--model=${model}`, '--app=./test/fixtures/slow-app.mjs:application', ...(options.args ?? [])])
      const inFlight = exchange(server.port, ['GET /?ms=400 HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n'])
      await new Promise((r) => setTimeout(r, 100))
      // once the server has exited its orphans are re-parented: record its children before
      const children = await childPids(server.child.pid!)
      const exit = server.stop('SIGTERM')
      const result = await inFlight
      expect(result.responses[0]?.status).toBe(200)
      expect(result.responses[0]?.body.toString()).toBe('slept 400\n')
      expect((await exit).code).toBe(0)
      await new Promise((r) => setTimeout(r, 200))
      expect(children.filter(isAlive)).toEqual([])
    }, 30_000)
  })
}
