// End-to-end runs of the bench CLI (in-process main, real server processes and load clients)
// against test/bench/fixtures/fake-serve.mjs, which keeps the serve CLI's contract. Needs the build
// (dist/bench/clients/load-worker.js): `npm test` builds first.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { type RunResults, RESULTS_SCHEMA } from '../../../bench/driver/run-results.js'
import { main, type RunIo } from '../../../bench/cli/bench.js'
import { TEST_DOUBLE_ENV } from '../../../bench/clients/test-double-client.js'
import { WRK_PATH } from '../../../bench/clients/wrk-client.js'

const fakeServe = fileURLToPath(new URL('../fixtures/fake-serve.mjs', import.meta.url))
const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

async function bench(argv: string[], fault?: string, seams: Partial<RunIo> = {}): Promise<{ code: number; stdout: string; stderr: string; results: RunResults; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-driver-'))
  dirs.push(dir)
  let stdout = ''
  let stderr = ''
  // driver ceilings take a second or more per run: only the tests about them measure them
  const ceiling = argv.some((a) => a.startsWith('--ceiling')) ? [] : ['--ceiling=0']
  const code = await main([...argv, ...ceiling, `--out=${dir}`], {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    serveEntry: fakeServe,
    serverEnv: { ...process.env, FAKE_SERVE_FAULT: fault ?? '' },
    ...seams,
  })
  const file = readdirSync(dir).find((f) => f.endsWith('.json'))
  if (file === undefined) throw new Error(`no results file in ${dir}; stderr:\n${stderr}`)
  return { code, stdout, stderr, dir, results: JSON.parse(readFileSync(join(dir, file), 'utf8')) as RunResults }
}

describe('a bench run', () => {
  it('runs eventloop and node-http on hello in both modes, writes the results file and the report, exits 0', async () => {
    const { code, stdout, stderr, results, dir } = await bench(['--smoke', '--model=eventloop', '--scenario=hello'])
    expect(stderr).toMatch(/node-http added as the reference/)
    expect(code).toBe(0)
    expect(results.schema).toBe(RESULTS_SCHEMA)
    expect(results.node).toBe(process.version)
    expect(results.machine.cores).toBeGreaterThan(0)
    expect(results.git.commit).toMatch(/^[0-9a-f]{40}$/)
    expect(results.config).toMatchObject({ models: ['eventloop', 'node-http'], scenarios: ['hello'], modes: ['keepalive', 'close'], durationSec: 1, repeat: 1, smoke: true })
    // 2 models × 1 scenario × 2 modes × 1 level × 1 repeat, every one a raw sample
    expect(results.cells).toHaveLength(4)
    expect(results.config.driver).toBe('auto')
    expect(results.drivers).toEqual({ keepalive: existsSync(WRK_PATH) ? 'wrk' : 'autocannon', close: 'close-client' })
    for (const cell of results.cells) {
      expect(cell.ok, cell.failure).toBe(true)
      expect(cell.load!.requests).toBeGreaterThan(0)
      // --driver=auto: wrk for keep-alive where installed (CI installs it), the close-client for close
      expect(cell.load!.driver).toBe(results.drivers![cell.cell.mode])
      if (cell.load!.driver === 'wrk') {
        // wrk cannot count per connection: a probe with the counting client did (fairness-probe.ts)
        expect(cell.fairnessProbe!.perConnection).toHaveLength(16)
      } else {
        // both other clients count per connection, so no probe is needed
        expect(cell.load!.perConnection).toHaveLength(16)
        expect(cell.load!.perConnection!.reduce((a, b) => a + b, 0)).toBe(cell.load!.requests)
        expect(cell.fairnessProbe).toBeUndefined()
      }
      expect(cell.server!.cpuSec).toBeGreaterThan(0)
      expect(cell.verification!.checked.join(' ')).toMatch(/body sha256 .*literal "Hello, World!"/)
      expect(cell.exit).toMatchObject({ code: 0, signal: null })
    }
    expect(stdout).toMatch(/eventloop +│ hello +│ keepalive/)
    expect(stdout).toMatch(/keep-alive vs close-per-request/)
    expect(stdout).toMatch(/4 cells, all passed/)
    const files = readdirSync(dir).sort()
    expect(files.filter((f) => f.endsWith('.md'))).toHaveLength(1)
    const markdown = readFileSync(join(dir, files.find((f) => f.endsWith('.md'))!), 'utf8')
    expect(markdown).toContain(`drivers: keep-alive ${results.drivers!.keepalive}, close-per-request close-client (--driver=auto)`)
    expect(files.filter((f) => f.endsWith('.svg')).map((f) => f.replace(/^.*-/, ''))).toEqual(['modes.svg', 'throughput.svg'])
  })

  it('prints the results JSON on stdout with --json and the tables on stderr', async () => {
    const { code, stdout, stderr, results } = await bench(['--smoke', '--model=node-http', '--scenario=hello', '--mode=keepalive', '--json'])
    expect(code).toBe(0)
    expect(JSON.parse(stdout)).toEqual(results)
    expect(stderr).toMatch(/node-http +│ hello/)
  })

  it('fails a cell whose verification fails, loudly in the table and the JSON, and exits 1', async () => {
    const { code, stdout, results } = await bench(['--smoke', '--model=eventloop', '--no-reference', '--scenario=hello,static', '--mode=keepalive'], 'wrong-hello')
    expect(code).toBe(1)
    const hello = results.cells.find((c) => c.cell.scenario === 'hello')!
    expect(hello.ok).toBe(false)
    expect(hello.failure).toMatch(/^verification failed: GET \/hello: body sha256 .* differs from .*literal "Hello, World!"/)
    expect(hello.load).toBeUndefined() // never loaded, so never a number
    expect(results.cells.find((c) => c.cell.scenario === 'static')!.ok).toBe(true)
    expect(stdout).toMatch(/✗ FAILED: #1: verification failed/)
    expect(stdout).toMatch(/1 of 2 cells FAILED/)
  })

  it('fails a cell whose server does not exit cleanly when stopped', async () => {
    const { code, results, stdout } = await bench(['--smoke', '--model=eventloop', '--no-reference', '--scenario=hello', '--mode=keepalive'], 'exit-on-stop')
    expect(code).toBe(1)
    expect(results.cells[0]!.ok).toBe(false)
    expect(results.cells[0]!.failure).toBe('server exited with code 3 when stopped')
    expect(results.cells[0]!.load!.requests).toBeGreaterThan(0) // measured, kept raw, but not quoted
    expect(stdout).toMatch(/✗ FAILED: #1: server exited with code 3/)
  })

  it('measures a keep-alive cell with the close-client when the server closes every connection, and says so', async () => {
    const { code, results } = await bench(['--smoke', '--model=eventloop', '--no-reference', '--scenario=hello', '--mode=keepalive'], 'close-always')
    expect(code).toBe(0)
    const cell = results.cells[0]!
    expect(cell.ok, cell.failure).toBe(true)
    expect(cell.verification!.serverCloses).toBe(true)
    expect(cell.load!.driver).toBe('close-client')
    expect(cell.notes).toEqual([expect.stringMatching(/server closes every connection/)])
  })

  it('fails a cell that got errors during the measurement and keeps the counts', async () => {
    const { code, results } = await bench(['--smoke', '--model=eventloop', '--no-reference', '--scenario=hello', '--mode=close'], '500-after=20')
    expect(code).toBe(1)
    const cell = results.cells[0]!
    expect(cell.ok).toBe(false)
    expect(cell.load!.non2xx).toBeGreaterThan(0)
    expect(cell.failure).toBe(`${cell.load!.non2xx} non-2xx during measurement (${cell.load!.requests} responses)`)
  })
})

describe('a model that serves two connections and leaves the rest waiting (fake-serve two-slots)', () => {
  it('is flagged starved: 14 of 16 connections in the table and the report, with the per-connection counts and the unanswered requests in the JSON', async () => {
    const { code, stdout, results, dir } = await bench(['--smoke', '--model=eventloop', '--no-reference', '--scenario=hello', '--mode=keepalive', '--driver=autocannon'], 'two-slots')
    expect(code).toBe(0) // a finding about the model, not a failure of the cell
    const load = results.cells[0]!.load!
    expect(load.driver).toBe('autocannon')
    expect(load.perConnection!.filter((n) => n === 0)).toHaveLength(14)
    expect(load.outstanding!.filter((o) => load.perConnection![o.connection] === 0).every((o) => o.ageUs > 0.4 * load.durationSec * 1e6)).toBe(true)
    expect(load.latencyUs.lowerBounds).toBe(16)
    expect(stdout).toMatch(/✗ starved \(\d[\d,.]*\)/)
    expect(stdout).toMatch(/starved: 14 of 16 connections/)
    expect(stdout).not.toMatch(/│ +\d[\d,]* +│ \(1 run\)/) // the req/s is never a plain number
    const md = readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.md'))!), 'utf8')
    expect(md).toMatch(/## Starved connections\n\n[^\n]*\n\n- ✗ \*\*eventloop · hello · keepalive · c=16\*\* — starved: 14 of 16 connections — 2 of 16 got any response/)
  })

  // wrk is optional for users; CI installs it, so there a missing wrk fails
  it.skipIf(!existsSync(WRK_PATH) && process.env.CI !== 'true')('is flagged starved when wrk measured it too: a counting probe in the same cell finds the 14 connections wrk cannot see', async () => {
    const { code, stdout, results } = await bench(['--smoke', '--model=eventloop', '--no-reference', '--scenario=hello', '--mode=keepalive', '--driver=wrk'], 'two-slots')
    expect(code).toBe(0)
    const cell = results.cells[0]!
    expect(cell.load!.driver).toBe('wrk')
    expect(cell.load!.perConnection).toBeUndefined()
    expect(cell.fairnessProbe!.driver).toBe('autocannon')
    expect(cell.fairnessProbe!.perConnection!.filter((n) => n === 0)).toHaveLength(14)
    expect(cell.fairnessProbe!.outstanding).toHaveLength(16)
    expect(cell.notes!.join(' ')).toMatch(/wrk cannot count per connection, so a [01]\.\d s autocannon probe measured this cell's fairness: 14 of 16 connections starved, 16 requests unanswered at its end/)
    expect(stdout).toMatch(/starved: 14 of 16 connections \(autocannon probe\)/)
    expect(stdout).toMatch(/✗ starved \(/)
  })
})

describe('the fairness probe of a wrk cell', () => {
  it.skipIf(!existsSync(WRK_PATH) && process.env.CI !== 'true')('counts a server that closes every connection with the close-client, as autocannon would mis-time it', async () => {
    const { code, results } = await bench(['--smoke', '--model=eventloop', '--no-reference', '--scenario=hello', '--mode=keepalive', '--driver=wrk'], 'close-always')
    expect(code).toBe(0)
    const cell = results.cells[0]!
    expect(cell.load!.driver).toBe('wrk')
    expect(cell.fairnessProbe).toMatchObject({ driver: 'close-client', mode: 'close', errors: 0 })
    expect(cell.fairnessProbe!.perConnection!.every((n) => n > 0)).toBe(true)
  })
})

/** Whether a load driver follows LoadSpec.requests (a cycle of requests per connection). */
async function cycles(driver: 'autocannon' | 'close-client'): Promise<boolean> {
  const { createServer } = await import('node:http')
  const { runLoad } = await import('../../../bench/clients/load-session.js')
  const seen = new Set<string>()
  const server = createServer((req, res) => {
    seen.add(req.url ?? '')
    res.end('ok')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  try {
    await runLoad({
      origin: `http://127.0.0.1:${port}`, method: 'GET', path: '/a', headers: {}, requests: [{ method: 'GET', path: '/a' }, { method: 'GET', path: '/b' }],
      connections: 1, pipelining: 1, durationSec: 0.3, mode: driver === 'autocannon' ? 'keepalive' : 'close', timeoutMs: 2000,
    }, driver)
  } finally {
    server.close()
    server.closeAllConnections()
  }
  return seen.has('/b')
}
describe('request cycles', () => {
  it('autocannon and the close client both walk a LoadSpec.requests cycle on each connection', async () => {
    expect(await cycles('autocannon')).toBe(true)
    expect(await cycles('close-client')).toBe(true)
  })
})

describe('the write scenario', () => {
  const check = async (mode: string): Promise<void> => {
    const { code, results } = await bench(['--smoke', '--model=eventloop', '--no-reference', '--scenario=write', `--mode=${mode}`])
    expect(results.cells).toHaveLength(1)
    const cell = results.cells[0]!
    expect(cell.ok, cell.failure).toBe(true)
    expect(code).toBe(0)
    expect(cell.cell.connections).toBe(1)
    expect(cell.load!.non2xx).toBe(0)
    expect(cell.writeAudit).toMatchObject({ ok: true, rowsBefore: 1, followsOk: 8, unfollowsOk: 8, rowsAfter: 1 })
  }

  it('alternates follow and unfollow over keep-alive and passes the write audit', () => check('keepalive'))

  it('alternates follow and unfollow per new connection and passes the write audit', () => check('close'))

  it('fails the cell when writes answered 200 do not show up in the row count', async () => {
    const { code, results } = await bench(['--smoke', '--model=eventloop', '--no-reference', '--scenario=write', '--mode=keepalive'], 'lose-writes')
    expect(code).toBe(1)
    expect(results.cells[0]!.ok).toBe(false)
    expect(results.cells[0]!.failure).toBe('write audit failed: 8 follows answered 200 but focus went from 1 to 4 rows')
  })
})

describe('the driver with the test-double load client (no real load)', () => {
  afterEach(() => { delete process.env[TEST_DOUBLE_ENV] })

  it('tabulates the numbers the client reports, and divides by the reference in the same run', async () => {
    process.env[TEST_DOUBLE_ENV] = JSON.stringify({ requestsPerSec: 2000, latencyUs: 250 })
    const { code, stdout, results } = await bench(['--smoke', '--model=eventloop', '--scenario=hello', '--mode=keepalive'], undefined, { driver: 'test-double' })
    expect(code).toBe(0)
    for (const cell of results.cells) {
      expect(cell.load).toMatchObject({ driver: 'test-double', requestsPerSec: 2000, errors: 0 })
      expect(cell.load!.latencyUs.p50).toBeGreaterThanOrEqual(250)
    }
    expect(stdout).toMatch(/eventloop +│ hello +│ keepalive +│ +16 +│ +2,000/)
    expect(stdout).toMatch(/1\.00×/)
  })

  it('fails a cell whose load saw errors, never shows it as a number, and exits 1', async () => {
    process.env[TEST_DOUBLE_ENV] = JSON.stringify({ requestsPerSec: 2000, errors: 3, non2xx: 1 })
    const { code, stdout, results } = await bench(['--smoke', '--model=eventloop', '--no-reference', '--scenario=hello', '--mode=keepalive'], undefined, { driver: 'test-double' })
    expect(code).toBe(1)
    expect(results.cells[0]!.ok).toBe(false)
    expect(results.cells[0]!.failure).toMatch(/3 errors, 1 non-2xx during measurement/)
    expect(stdout).toMatch(/✗ FAILED/)
    expect(stdout).not.toMatch(/2,000/)
  })
})

describe('interleaved rounds', () => {
  afterEach(() => { delete process.env[TEST_DOUBLE_ENV] })

  it('starts each model\'s server once for all its rounds, visits every model once per round in a rotating order, and records the stop on the last round', async () => {
    const starts = join(mkdtempSync(join(tmpdir(), 'bench-starts-')), 'starts.log')
    dirs.push(dirname(starts))
    const { code, results } = await bench(['--model=eventloop,coroutines', '--scenario=hello', '--mode=keepalive', '--repeat=3', '--duration=0.75', '--warmup=0'],
      undefined, { driver: 'test-double', serverEnv: { ...process.env, FAKE_SERVE_STARTS: starts } })
    expect(code).toBe(0)
    expect(readFileSync(starts, 'utf8').trim().split('\n').sort()).toEqual(['coroutines', 'eventloop', 'node-http'])
    expect(results.cells.map((c) => `${c.cell.repeat}:${c.cell.model}`)).toEqual([
      '1:eventloop', '1:coroutines', '1:node-http', '2:coroutines', '2:node-http', '2:eventloop', '3:node-http', '3:eventloop', '3:coroutines',
    ])
    for (const c of results.cells) expect(c.load!.durationSec).toBeCloseTo(0.25) // each round measures its slice of --duration
    const lastRounds = results.cells.filter((c) => c.exit !== undefined)
    expect(lastRounds.map((c) => `${c.cell.repeat}:${c.cell.model}`).sort()).toEqual(['3:coroutines', '3:eventloop', '3:node-http'])
  })

  it('fails every round of a model whose server cannot be verified, and still measures the others in rounds', async () => {
    const { code, results } = await bench(['--model=eventloop', '--scenario=hello', '--mode=keepalive', '--repeat=2', '--duration=1', '--warmup=0'],
      'wrong-hello', { driver: 'test-double' })
    expect(code).toBe(1)
    expect(results.cells).toHaveLength(4)
    for (const c of results.cells) expect(c.failure).toMatch(/^verification failed/)
  })
})
