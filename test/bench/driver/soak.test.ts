// A short real soak (about 6 s) on eventloop: the scenarios take turns, the sampler records the
// server's RSS and open fds with times and labels, the slopes come out, the write audit runs, and
// the server stops clean. Generates load: run it under the heavy lock.
import { describe, expect, it } from 'vitest'
import { runSoak } from '../../../bench/driver/run-soak.js'
import { soakMain } from '../../../bench/cli/soak.js'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

describe('a short soak', () => {
  it('keeps its books: samples every interval with time, scenario, RSS and fds; slices in turn; both slopes; the write audit', async () => {
    const run = await runSoak({
      model: 'eventloop', durationSec: 6, scenarios: ['hello', 'static', 'write'], connections: 4, sliceSec: 1, sampleSec: 0.25,
      db: 'memory', driver: 'autocannon', timeoutMs: 5000, serveArgs: [],
    })
    expect(run.slices.map((s) => s.scenario).slice(0, 3)).toEqual(['hello', 'static', 'write'])
    expect(run.slices.length).toBeGreaterThanOrEqual(3)
    for (const s of run.slices) expect(s, s.scenario).toMatchObject({ errors: 0, timeouts: 0, non2xx: 0 })
    expect(run.slices.every((s) => s.requests > 0)).toBe(true)
    expect(run.slices.find((s) => s.scenario === 'write')!.connections).toBe(1)

    // a sample every 0.25 s over about 6 s, in time order, each labelled with what ran
    expect(run.samples.length).toBeGreaterThanOrEqual(12)
    for (let i = 1; i < run.samples.length; i++) expect(run.samples[i]!.atSec).toBeGreaterThan(run.samples[i - 1]!.atSec)
    for (const sample of run.samples) {
      expect(sample.rssBytes).toBeGreaterThan(10 * 2 ** 20)
      expect(sample.openFds).toBeGreaterThan(3)
      expect(sample.processes).toBe(1)
      expect(['idle', 'hello', 'static', 'write']).toContain(sample.scenario)
    }
    expect(new Set(run.samples.map((s) => s.scenario))).toEqual(new Set(['idle', 'hello', 'static', 'write']))
    // the load's connections show in the fd count while it runs
    const during = run.samples.filter((s) => s.scenario === 'hello').map((s) => s.openFds)
    expect(Math.max(...during)).toBeGreaterThanOrEqual(run.samples[0]!.openFds + 4)

    expect(run.rss.slopePerMin).toBeTypeOf('number')
    expect(run.fds.slopePerMin).toBeTypeOf('number')
    expect(run.writeAudit).toMatchObject({ ok: true })
    expect(run.serverSurvived).toBe(true)
    expect(run.exit).toEqual({ code: 0, signal: null, leftoverPids: [] })
  }, 30_000)

  it('writes its JSON and report through the bench CLI, and answers a bad flag or a missing database in one line', async () => {
    const out = mkdtempSync(join(tmpdir(), 'httpmodels-soak-'))
    try {
      const stdout: string[] = []
      const stderr: string[] = []
      const io = { stdout: { write: (t: string) => stdout.push(t) }, stderr: { write: (t: string) => stderr.push(t) } }
      expect(await soakMain(['--soak=nope', '--model=eventloop'], io)).toBe(2)
      expect(stderr.join('')).toMatch(/^httpmodels bench: --soak must be a duration from 5 s to 60 min \(10m, 180s, 90\), not "nope" \(see --soak --help\)\n$/)
      stderr.length = 0
      expect(await soakMain(['--soak=5', '--sample=1', '--model=eventloop', '--db=mysql://root@127.0.0.1:1/stock_db'], io)).toBe(1)
      expect(stderr.join('')).toMatch(/^httpmodels bench: the soak of eventloop could not run: cannot reach database mysql:\/\/root@127\.0\.0\.1:1\/stock_db: connect ECONNREFUSED 127\.0\.0\.1:1\n$/)
      const code = await soakMain(['--soak=5', '--model=eventloop', '--scenario=hello,template', '--slice=1', '--sample=0.5', '--connections=2', '--driver=autocannon', `--out=${out}`], io)
      const files = readdirSync(out).sort()
      expect(files).toHaveLength(2)
      const results = JSON.parse(readFileSync(join(out, files.find((f) => f.endsWith('.json'))!), 'utf8'))
      expect(results).toMatchObject({ kind: 'soak', command: expect.stringContaining('--soak=5 --model=eventloop'), config: { durationSec: 5 } })
      const report = readFileSync(join(out, files.find((f) => f.endsWith('.md'))!), 'utf8')
      expect(report).toMatch(/^# Soak: eventloop/)
      expect(report).toMatch(/\| RSS \(MiB\) \|/)
      expect(report).toMatch(/\| open fds \|/)
      expect(stdout.join('')).toMatch(/RSS: .* MiB\/min — (no leak seen|looks like a leak)/)
      expect([0, 1]).toContain(code) // 5 s cannot settle a leak question: the books are what is tested
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  }, 30_000)
})
