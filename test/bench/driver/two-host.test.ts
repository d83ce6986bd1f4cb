// A real two-host run, on one machine: a model served in one network namespace (pinned to CPU 1)
// with its stats endpoint, `npm run bench -- --target=…` run from another (pinned to CPU 0), the
// two joined by a veth pair on 198.18.0.0/15. It creates and deletes everything it uses, also on
// failure; it skips, saying why, where namespaces cannot be made, and is required under CI=true
// (CI runs as root). It prints one line with what it measured (README "Two hosts" quotes it).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { RunResults } from '../../../bench/driver/run-results.js'
import { repoRoot } from '../../../bench/host/paths.js'
import { create, destroy, leftovers, serverLinkRxBytes, type TwoHosts, whyNot } from '../../helpers/two-hosts.js'

const reason = whyNot()
const required = process.env.CI === 'true'
const dist = (path: string): string => join(repoRoot(), 'dist', path)

/** The CPUs a running process may use, from /proc (e.g. "1"). */
const cpusOf = (pid: number): string => /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))![1]!

function started(child: ChildProcess, until: RegExp, what: string): Promise<RegExpExecArray> {
  let out = ''
  let err = ''
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { err += d })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start in 15 s: ${err.trim()}`)), 15_000)
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d
      const match = until.exec(out)
      if (match !== null) {
        clearTimeout(timer)
        resolve(match)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`${what} exited (${code}) before it was ready: ${err.trim()}`))
    })
  })
}

function finished(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  child.stdout!.setEncoding('utf8').on('data', (d: string) => { stdout += d })
  child.stderr!.setEncoding('utf8').on('data', (d: string) => { stderr += d })
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })))
}

describe.skipIf(reason !== null && !required)(`a two-host run over network namespaces${reason === null ? '' : ` (skipped: ${reason})`}`, () => {
  let hosts: TwoHosts | undefined
  let server: ChildProcess | undefined
  const out = mkdtempSync(join(tmpdir(), 'two-host-'))
  afterAll(async () => {
    if (server?.exitCode === null) {
      server.kill('SIGTERM')
      await new Promise((resolve) => server!.once('exit', resolve))
    }
    if (hosts !== undefined) {
      destroy(hosts)
      expect(leftovers(hosts)).toEqual([])
    }
    rmSync(out, { recursive: true, force: true })
  })

  it('measures a model on the server host from the driver host, CPU and RSS read from its stats endpoint', async () => {
    if (reason !== null) throw new Error(`CI=true requires the two-host test, but ${reason}`)
    hosts = create()
    const { server: s, driver: d } = hosts
    server = spawn('ip', ['netns', 'exec', s.netns, 'taskset', '-c', '1', process.execPath, dist('servers/serve.js'),
      '--model=eventloop', `--host=${s.address}`, '--port=0', '--stats-port=0'], { cwd: repoRoot(), stdio: ['ignore', 'pipe', 'pipe'] })
    const ready = await started(server, /stats on (http:\/\/\S+)\n.*listening on (http:\/\/\S+)\n/, 'the server')
    const [, stats, origin] = ready
    expect(cpusOf(server.pid!)).toBe('1')
    const rxBefore = serverLinkRxBytes(hosts)

    const bench = spawn('ip', ['netns', 'exec', d.netns, 'taskset', '-c', '0', process.execPath, dist('bench/cli/bench.js'),
      `--target=eventloop=${origin}`, `--target-stats=${stats}`, '--scenario=hello', '--mode=both', '--connections=16',
      '--duration=1', '--repeat=1', '--warmup=0.5', '--ceiling=1', `--out=${out}`, '--json'], { cwd: repoRoot(), stdio: ['ignore', 'pipe', 'pipe'] })
    const done = finished(bench)
    // the driver's pinning, read while it runs (taskset has exec'd node by the time it prints)
    const driverCpus = await new Promise<string>((resolve) => bench.stderr!.once('data', () => resolve(cpusOf(bench.pid!))))
    const { code, stdout, stderr } = await done
    expect(code, stderr).toBe(0)
    expect(driverCpus).toBe('0')
    const results = JSON.parse(stdout) as RunResults

    expect(results.config.targets).toEqual([{ name: 'eventloop', origin, stats }])
    expect(results.cells).toHaveLength(2)
    for (const cell of results.cells) {
      expect(cell.ok, cell.failure).toBe(true)
      expect(cell.load!.requests).toBeGreaterThan(100)
      expect(cell.server!.cpuSec).toBeGreaterThan(0)
      expect(cell.server!.peakRssBytes).toBeGreaterThan(10 * 2 ** 20)
      // one of ours: every check, not just status and body
      expect(cell.verification!.checked.join(' ')).toMatch(/headers date, server, content-type, content-length/)
    }
    // the null server ran on the driver host's own loopback: its ceilings say nothing of the link
    expect(results.ceilings!.map((c) => c.failure)).toEqual([undefined, undefined])
    const received = serverLinkRxBytes(hosts) - rxBefore
    const requests = results.cells.reduce((sum, c) => sum + c.load!.requests + (c.fairnessProbe?.requests ?? 0), 0)
    expect(received).toBeGreaterThan(requests * 30) // every request crossed the link (≥ 30 bytes each)

    const line = results.cells.map((c) => `${c.cell.mode} ${c.load!.driver} ${Math.round(c.load!.requestsPerSec)} req/s, p99 ${c.load!.latencyUs.p99} µs, server CPU ${((c.server!.cpuSec / c.load!.requests) * 1e6).toFixed(1)} µs/request, RSS ${(c.server!.peakRssBytes / 2 ** 20).toFixed(0)} MiB`).join('; ')
    process.stdout.write(`two-host: eventloop at ${origin} (netns ${s.netns}, CPU 1) from ${d.address} (netns ${d.netns}, CPU 0), hello c=16 1 s: ${line}; ${(received / 1e6).toFixed(1)} MB over the veth\n`)
  }, 60_000)
})
