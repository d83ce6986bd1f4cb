// The many-connections phase end to end: the bench CLI in-process (main), a real server process
// (test/bench/fixtures/crowd-serve.mjs, keeping the serve CLI's contract), real crowd and probe
// worker processes, on small crowds. Needs the build (dist/bench/clients/crowd-worker.js): `npm
// test` builds first. Starts servers and clients: run under the heavy lock (COORDINATION.md).
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { main, type RunIo } from '../../../bench/cli/bench.js'
import type { RunResults } from '../../../bench/driver/run-results.js'
import { repoRoot } from '../../../bench/host/paths.js'
import { listProcessTree, treeRssBytes } from '../../../bench/host/process-tree.js'

const crowdServe = fileURLToPath(new URL('../fixtures/crowd-serve.mjs', import.meta.url))
const heldChild = fileURLToPath(new URL('../fixtures/held-child.mjs', import.meta.url))
const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

async function bench(argv: string[], env: NodeJS.ProcessEnv = {}, seams: Partial<RunIo> = {}): Promise<{ code: number; stdout: string; stderr: string; results: RunResults; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-crowds-'))
  dirs.push(dir)
  let stdout = ''
  let stderr = ''
  const code = await main([...argv, `--out=${dir}`], {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    serveEntry: crowdServe,
    serverEnv: { ...process.env, ...env },
    ...seams,
  })
  const file = readdirSync(dir).find((f) => f.endsWith('.json'))
  if (file === undefined) throw new Error(`no results file in ${dir}; stderr:\n${stderr}`)
  return { code, stdout, stderr, dir, results: JSON.parse(readFileSync(join(dir, file), 'utf8')) as RunResults }
}

describe('the crowd phase of a bench run', () => {
  it('holds an idle crowd and records, per cell, N, the probe per phase, memory per connection, refused/closed counts and the take-in time', async () => {
    const { code, stderr, stdout, results, dir } = await bench(['--smoke', '--model=eventloop', '--no-reference', '--scenario=idle', '--idle=20'])
    expect(code, stderr).toBe(0)
    expect(results.cells).toHaveLength(0) // --scenario=idle alone runs no closed-loop cell
    expect(results.config.crowd).toMatchObject({ scenarios: ['idle'], levels: [20] })
    expect(results.crowds).toHaveLength(1)
    const cell = results.crowds![0]!
    expect(cell.ok, cell.failure).toBe(true)
    expect(cell.cell).toEqual({ model: 'eventloop', scenario: 'idle', connections: 20, repeat: 1 })
    expect(cell.serveFlags).toEqual([expect.stringMatching(/^--keep-alive-timeout-ms=\d+$/)])
    expect(cell.burst!.counts).toMatchObject({ requested: 20, in: 20, refused: 0, reset: 0, closedWithoutResponse: 0, open: 20 })
    expect(cell.burst!.lastInMs).toBeGreaterThan(0)
    expect(cell.burst!.endedBy).toBe('all-settled')
    expect(cell.settle).toMatchObject({ drained: true })
    expect(cell.probe!.phases.map((p) => p.phase)).toEqual(['baseline', 'burst', 'settle', 'steady', 'active'])
    const steady = cell.probe!.phases.find((p) => p.phase === 'steady')!
    expect(steady.sent).toBeGreaterThan(0)
    expect(steady.answered).toBe(steady.sent)
    expect(steady.latencyUs.p99).toBeGreaterThanOrEqual(steady.latencyUs.p50)
    expect(cell.held!.counts.open).toBe(20)
    expect(cell.held!.rssPerConnectionBytes).toBe((cell.held!.rssHeldBytes - cell.held!.rssBeforeBytes) / 20)
    expect(cell.sweepUs).toBeGreaterThan(0)
    // the active load runs on the run's keep-alive client (--driver=auto: wrk where installed)
    expect(cell.active).toMatchObject({ driver: results.drivers!.keepalive })
    expect((cell.active as { requests: number }).requests).toBeGreaterThan(0)
    expect(cell.end!.statuses).toEqual({ 200: 20 })
    expect(cell.exit).toMatchObject({ code: 0 })
    expect(cell.openFiles!.server!.soft).toBeGreaterThan(20)
    expect(stderr).toMatch(/\[crowd 1\/1\] eventloop idle N=20 #1: all 20 in after [\d.]+ s; steady probe p99 [\d.]+ (µs|ms)/)
    expect(stdout).toMatch(/many connections — taking the crowd in/)
    const files = readdirSync(dir)
    expect(files.filter((f) => f.endsWith('.svg')).map((f) => f.replace(/^.*-crowd-/, 'crowd-')).sort()).toEqual(['crowd-memory.svg', 'crowd-probe.svg'])
    expect(readFileSync(join(dir, files.find((f) => f.endsWith('.md'))!), 'utf8')).toMatch(/### Taking the crowd in[\s\S]*### The crowd held/)
  })

  it('counts the connections a full server closes or resets, and the probes it refuses, as a measured outcome rather than a failure', async () => {
    // the server holds 8 connections; the crowd of 20 and every probe beyond them are turned away
    const { code, results } = await bench(['--smoke', '--model=eventloop', '--no-reference', '--scenario=idle', '--idle=20'], { CROWD_SERVE_MAX: '8' })
    expect(code).toBe(0)
    const cell = results.crowds![0]!
    expect(cell.ok, cell.failure).toBe(true)
    const c = cell.burst!.counts
    expect(c.in).toBeLessThanOrEqual(8)
    expect(c.reset + c.closedWithoutResponse).toBe(20 - c.in - c.waiting)
    expect(c.reset + c.closedWithoutResponse).toBeGreaterThanOrEqual(12)
    const steady = cell.probe!.phases.find((p) => p.phase === 'steady')!
    expect(steady.refused + steady.reset + steady.closed).toBe(steady.sent)
  })

  it('counts a process per held connection once, leaving out the processes of the probe\'s own connections (fork\'s 143 MiB for 54 MiB children)', async () => {
    // what one such child costs, started alone
    const alone = spawn(process.execPath, [heldChild], { stdio: ['ignore', 'pipe', 'ignore'] })
    await new Promise((resolve) => alone.stdout.once('data', resolve))
    const childRss = treeRssBytes(listProcessTree(alone.pid!))
    alone.kill('SIGKILL')
    // a server that starts a child per connection and answers once that child is up, run as fork
    // (so its probe runs at fork's 2/s): every probe connection is a process too while it lives
    const { code, results } = await bench(['--smoke', '--model=fork', '--no-reference', '--scenario=idle', '--idle=3'], { CROWD_SERVE_CHILD: '1' })
    expect(code).toBe(0)
    const cell = results.crowds![0]!
    expect(cell.ok, cell.failure).toBe(true)
    const held = cell.held!
    expect(held.quiet!.open).toBe(3)
    // the server and one child per held connection, nothing of the probe's
    expect(held.quiet!.held.processes).toBe(4)
    expect(held.rssPerConnectionBytes! / childRss).toBeGreaterThan(0.8)
    expect(held.rssPerConnectionBytes! / childRss).toBeLessThan(1.25)
    expect(cell.probe!.ratePerSec).toBe(2)
  })

  it('records when each slowloris head got its 408, after the server\'s head timeout', async () => {
    const { code, results } = await bench(['--smoke', '--model=eventloop', '--no-reference', '--scenario=slowloris', '--idle=10'])
    expect(code).toBe(0)
    const cell = results.crowds![0]!
    expect(cell.ok, cell.failure).toBe(true)
    const timeoutMs = Number(/=(\d+)$/.exec(cell.serveFlags[0]!)![1])
    expect(cell.serveFlags[0]).toMatch(/^--headers-timeout-ms=/)
    expect(cell.end!.statuses).toEqual({ 408: 10 })
    expect(cell.end!.answeredAfterMs!.count).toBe(10)
    expect(cell.end!.answeredAfterMs!.p50).toBeGreaterThanOrEqual(timeoutMs - 50)
    expect(cell.end!.answeredAfterMs!.max).toBeLessThan(timeoutMs + 2000)
    expect(cell.end!.headerLines).toBeGreaterThanOrEqual(10) // one a second from each, a few seconds long
    expect(cell.probe!.phases.map((p) => p.phase)).toEqual(['baseline', 'burst', 'settle', 'steady', 'tail'])
  })

  it('shows fork above --max-procs as not run, without starting it, and exits 0', async () => {
    const { code, results, stdout } = await bench(['--model=fork', '--no-reference', '--scenario=idle', '--idle=100', '--duration=1', '--repeat=1'])
    expect(code).toBe(0)
    expect(results.crowds![0]).toMatchObject({ ok: false, skipped: expect.stringMatching(/above --max-procs = 64/) })
    expect(stdout).toMatch(/not run: fork at N = 100 is above --max-procs = 64/)
    expect(results.notes.join('\n')).toMatch(/fork is not run at N = 100/)
  })
})

describe('the open-file limit', () => {
  it('refuses, in one line and with exit code 2, an N that the open-file limit cannot hold, before anything runs', () => {
    const prlimit = spawnSync('prlimit', ['--version'])
    if (prlimit.status !== 0) throw new Error('prlimit (util-linux) is needed for this test')
    const cli = join(repoRoot(), 'dist', 'bench', 'cli', 'bench.js')
    const run = spawnSync('prlimit', ['--nofile=600:600', process.execPath, cli, '--model=eventloop', '--scenario=idle', '--idle=1000'], { encoding: 'utf8' })
    expect(run.status).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1)
    expect(run.stderr).toMatch(/^httpmodels bench: --idle=1000 needs 1,256 open files in the server and in the crowd client \(N \+ 256\), but a process here may open 600 \(the hard limit, ulimit -Hn\): lower N or raise the limit \(see --help\)\n$/)
  })

  it('runs with the soft limit at the hard one, and says so in a note', () => {
    const module = join(repoRoot(), 'dist', 'bench', 'host', 'open-files.js')
    // started with a soft limit below the hard one, as a login shell might leave it
    const out = execFileSync('prlimit', ['--nofile=700:900', process.execPath, '--input-type=module', '-e',
      `const m = await import(${JSON.stringify(module)}); console.log(JSON.stringify(m.raiseOwnOpenFileLimit()))`], { encoding: 'utf8' })
    const raised = JSON.parse(out) as { soft: number; hard: number; note: string }
    expect(raised).toMatchObject({ soft: 900, hard: 900 })
    expect(raised.note).toMatch(/^open files: (900 per process, the hard limit|raised this driver's soft limit from 700 to 900)/)
  })
})
