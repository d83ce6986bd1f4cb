// `--target`: servers the bench did not start, measured beside the models — verified, loaded,
// tabulated, divided by — with CPU and RSS from a stats endpoint where one is named. Needs the build
// (the load worker, the serve CLI): `npm test` builds first.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { main } from '../../../bench/cli/bench.js'
import type { RunResults } from '../../../bench/driver/run-results.js'
import { startNullServer } from '../../../bench/driver/null-server.js'
import { defaultDocRoot } from '../../../bench/host/paths.js'
import { startHttpServer } from '../fixtures/local-servers.js'
import { startServe } from '../../helpers/serve-process.js'

const cleanups: Array<() => Promise<unknown> | void> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function bench(argv: string[]): Promise<{ code: number; stdout: string; stderr: string; results: RunResults }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-targets-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  let stdout = ''
  let stderr = ''
  // autocannon: its smoke cells take well under wrk's shortest run (1 s), and the client is not what these tests are about
  const code = await main([...argv, '--driver=autocannon', '--ceiling=0', `--out=${dir}`], { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } })
  const file = readdirSync(dir).find((f) => f.endsWith('.json'))
  if (file === undefined) throw new Error(`no results file; stderr:\n${stderr}`)
  return { code, stdout, stderr, results: JSON.parse(readFileSync(join(dir, file), 'utf8')) as RunResults }
}

async function nullTarget(): Promise<string> {
  const server = await startNullServer({ host: '127.0.0.1', port: 0, root: defaultDocRoot() })
  cleanups.push(() => server.close())
  return `http://127.0.0.1:${server.port}`
}

describe('a foreign target', () => {
  it('is verified on status and body, measured beside a model, and divided by when it is the reference', async () => {
    const origin = await nullTarget()
    const { code, stdout, results } = await bench(['--smoke', `--target=null=${origin}`, '--model=eventloop', '--reference=null', '--scenario=hello,static', '--mode=keepalive'])
    expect(results.cells.map((c) => `${c.cell.scenario}:${c.cell.model}`)).toEqual(['hello:eventloop', 'hello:null', 'static:eventloop', 'static:null'])
    for (const cell of results.cells) expect(cell.ok, `${cell.cell.model}: ${cell.failure}`).toBe(true)
    expect(code).toBe(0)
    const target = results.cells.find((c) => c.cell.model === 'null' && c.cell.scenario === 'static')!
    expect(target.verification!.checked.join('; ')).toMatch(/status 200; not an httpmodels server \(Server: httpmodels-null\).*body sha256 [0-9a-f]{12}… \(fixture file fixtures\/www\/index\.html\)/)
    expect(target.server).toBeUndefined() // no stats endpoint: its CPU and RSS are not known
    expect(results.config).toMatchObject({ models: ['eventloop'], targets: [{ name: 'null', origin }], reference: 'null' })
    expect(stdout).toMatch(/null +│ hello +│ keepalive +│ +16 +│ +[\d,]+ +│ +\(1 round\) +│ +1\.00×/)
    expect(stdout).toMatch(/× null/)
  })

  it('fails a cell whose answer is wrong, and refuses the write scenario it cannot audit', async () => {
    const wrong = await startHttpServer((_req, res) => res.end('Hello, Wrong!'))
    cleanups.push(() => wrong.close())
    const { code, results } = await bench(['--smoke', `--target=wrong=${wrong.origin}`, '--scenario=hello,write', '--mode=keepalive'])
    expect(code).toBe(1)
    expect(results.config.models).toEqual([]) // only the target: no model, no reference
    expect(results.config.reference).toBeNull()
    const [hello, write] = results.cells
    expect(hello!.failure).toMatch(/verification failed: GET \/hello: body sha256 .* differs/)
    expect(write!.failure).toBe('write needs the stock app\'s write audit, and target wrong is not an httpmodels server (Server: (none))')
  })

  it('fails a cell, in one line, when the target does not answer', async () => {
    const { code, results } = await bench(['--smoke', '--target=gone=http://127.0.0.1:9', '--scenario=hello', '--mode=keepalive'])
    expect(code).toBe(1)
    expect(results.cells[0]!.failure).toMatch(/^target gone \(http:\/\/127\.0\.0\.1:9\) did not answer GET \/: .*ECONNREFUSED/)
  })
})

describe('one of our servers as a target', () => {
  it('gets every check, and its CPU and RSS from its stats endpoint', async () => {
    const server = await startServe(['--model=eventloop', '--stats-port=0'])
    cleanups.push(() => server.stop())
    const stats = /stats on (http:\/\/\S+)/.exec(server.stdout())![1]!
    const { code, results } = await bench(['--smoke', `--target=remote=${server.origin}`, `--target-stats=${stats}`, '--scenario=hello,template', '--mode=keepalive'])
    for (const cell of results.cells) expect(cell.ok, cell.failure).toBe(true)
    expect(code).toBe(0)
    const template = results.cells.find((c) => c.cell.scenario === 'template')!
    expect(template.verification!.checked.join(' ')).toMatch(/headers date, server, content-type, content-length.*reference fetch from node-http/)
    for (const cell of results.cells) {
      expect(cell.server!.cpuSec).toBeGreaterThan(0)
      expect(cell.server!.peakRssBytes).toBeGreaterThan(10 * 2 ** 20)
    }
  })

  it('fails its cells when the named stats endpoint does not answer', async () => {
    const server = await startServe(['--model=eventloop'])
    cleanups.push(() => server.stop())
    const { results } = await bench(['--smoke', `--target=remote=${server.origin}`, '--target-stats=http://127.0.0.1:9', '--scenario=hello', '--mode=keepalive'])
    expect(results.cells[0]!.failure).toMatch(/^target remote's stats endpoint http:\/\/127\.0\.0\.1:9 did not answer: .*ECONNREFUSED/)
  })
})
