import { mkdtempSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { exchange, get } from './helpers/raw-http.js'
import { serveFails, startServe } from './helpers/serve-process.js'

/** The whole stderr is one line, and it says `what`. */
function expectOneLine(stderr: string, what: RegExp): void {
  const lines = stderr.trimEnd().split('\n')
  expect(lines, stderr).toHaveLength(1)
  expect(lines[0]).toMatch(what)
}

describe('serve CLI', () => {
  it('prints one ready line with the port it picked for --port=0 and serves on it', async () => {
    const server = await startServe(['--model=eventloop'])
    try {
      expect(server.stdout()).toMatch(/^httpmodels eventloop listening on http:\/\/127\.0\.0\.1:\d+\n$/)
      expect(server.port).toBeGreaterThan(0)
      expect((await get(server.port, '/hello')).status).toBe(200)
    } finally {
      expect((await server.stop('SIGINT')).code).toBe(0)
    }
  })

  it('rejects an unknown flag with one line and exit code 2', async () => {
    const result = await serveFails(['--model=eventloop', '--bogus=1'])
    expect(result.code).toBe(2)
    expectOneLine(result.stderr, /bogus/)
  })

  it('rejects an unknown model naming the known ones', async () => {
    const result = await serveFails(['--model=gevent'])
    expect(result.code).toBe(2)
    expectOneLine(result.stderr, /unknown model "gevent".*eventloop/)
  })

  it('rejects a port that is not a number', async () => {
    const result = await serveFails(['--model=eventloop', '--port=http'])
    expect(result.code).toBe(2)
    expectOneLine(result.stderr, /--port must be a non-negative integer/)
  })

  it('requires --model', async () => {
    const result = await serveFails([])
    expect(result.code).toBe(2)
    expectOneLine(result.stderr, /--model is required/)
  })

  it('reports an occupied port in one line', async () => {
    const blocker = net.createServer()
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r))
    const port = (blocker.address() as net.AddressInfo).port
    try {
      const result = await serveFails(['--model=eventloop', `--port=${port}`])
      expect(result.code).toBe(1)
      expectOneLine(result.stderr, new RegExp(`port ${port} on 127.0.0.1 is already in use`))
    } finally {
      blocker.close()
    }
  })

  it('reports an unreachable database in one line', async () => {
    // port 9 (discard) is closed on this machine: the connection is refused at once
    const result = await serveFails(['--model=eventloop', '--port=0', '--db=mysql://root@127.0.0.1:9/stock_db'])
    expect(result.code).toBe(1)
    expectOneLine(result.stderr, /database|ECONNREFUSED/i)
  })

  it('rejects a --db that is neither memory nor a mysql URL', async () => {
    const result = await serveFails(['--model=eventloop', '--db=postgres://x'])
    expect(result.code).toBe(2)
    expectOneLine(result.stderr, /--db must be "memory" or a mysql:\/\//)
  })

  it('loads another gateway app with --app=module:export', async () => {
    const server = await startServe(['--model=eventloop', '--app=./test/fixtures/slow-app.mjs:application'])
    try {
      const response = await get(server.port, '/?ms=1')
      expect(response.body.toString()).toBe('slept 1\n')
    } finally {
      await server.stop()
    }
  })

  it('reports an --app export that is not an app in one line', async () => {
    const result = await serveFails(['--model=eventloop', '--port=0', '--app=./test/fixtures/slow-app.mjs:notAnApp'])
    expect(result.code).toBe(1)
    expectOneLine(result.stderr, /notAnApp/)
  })

  it('prints usage for --help and exits 0', async () => {
    const result = await serveFails(['--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/usage: npm run serve -- --model=<name>/)
  })

  it('takes options and parser limits from --config, with flags winning over the file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'httpmodels-config-')), 'serve.json')
    writeFileSync(file, JSON.stringify({ model: 'node-http', port: 1, limits: { maxTargetBytes: 100 } }))
    // --model and --port (from startServe) beat the file's model and port 1
    const server = await startServe([`--config=${file}`, '--model=eventloop'])
    try {
      expect(server.stdout()).toMatch(/^httpmodels eventloop listening/)
      const result = await exchange(server.port, [`GET /${'a'.repeat(150)} HTTP/1.1\r\nHost: test\r\n\r\n`])
      expect(result.responses[0]?.status).toBe(414)
      expect((await get(server.port, '/hello')).status).toBe(200)
    } finally {
      await server.stop()
    }
  })

  it('rejects an unknown key in the --config file in one line', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'httpmodels-config-')), 'serve.json')
    writeFileSync(file, JSON.stringify({ model: 'eventloop', threads: 4 }))
    const result = await serveFails([`--config=${file}`])
    expect(result.code).toBe(2)
    expectOneLine(result.stderr, /unknown option "threads"/)
  })
})
