// End-to-end runs of the bench CLI's open-loop phase (in-process main, real server processes from
// test/bench/fixtures/fake-serve.mjs) with the open-loop test double, whose latencies come from a
// simulated M/D/1 queue: the driver's plan, search, JSON and report are what is tested here, not the
// client (the real client's own tests prove it measures what it claims).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import type { OpenLoopCeilingRecord } from '../../../bench/driver/open-loop-results.js'
import type { RunResults } from '../../../bench/driver/run-results.js'
import { main } from '../../../bench/cli/bench.js'
import { openLoopTestDouble, type OpenLoopDoubleScript } from '../../../bench/clients/open-loop-test-double.js'
import { xmlProblem } from '../fixtures/xml-check.js'

const fakeServe = fileURLToPath(new URL('../fixtures/fake-serve.mjs', import.meta.url))
const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

async function bench(argv: string[], script: OpenLoopDoubleScript | 'real client', ceiling?: number | OpenLoopCeilingRecord) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-open-loop-'))
  dirs.push(dir)
  let stdout = ''
  let stderr = ''
  const code = await main([...argv, '--ceiling=0', `--out=${dir}`], {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    serveEntry: fakeServe,
    driver: 'test-double',
    ...(script === 'real client' ? {} : { openLoop: openLoopTestDouble(script) }),
    ...(ceiling !== undefined ? { openLoopCeiling: async () => (typeof ceiling === 'number' ? { rate: ceiling, mode: 'keepalive' as const, detail: 'test' } : ceiling) } : {}),
  })
  const file = readdirSync(dir).find((f) => f.endsWith('.json'))
  if (file === undefined) throw new Error(`no results file; stderr:\n${stderr}`)
  const markdown = readFileSync(join(dir, file.replace(/\.json$/, '.md')), 'utf8')
  const svgFile = readdirSync(dir).find((f) => f.endsWith('-latency-load.svg'))
  return { code, stdout, stderr, markdown, svg: svgFile === undefined ? null : readFileSync(join(dir, svgFile), 'utf8'), results: JSON.parse(readFileSync(join(dir, file), 'utf8')) as RunResults }
}

describe('an open-loop run with --rate=LIST', () => {
  it('runs no closed-loop cell, measures every model × mode at every rate, and records each point whole', async () => {
    const { code, results, stdout, markdown, svg } = await bench(['--model=eventloop', '--scenario=hello', '--rate=500,2000', '--duration=0.5', '--warmup=0'], { serviceUs: 200 })
    expect(code).toBe(0)
    expect(results.cells).toEqual([])
    const section = results.openLoop!
    expect(section.points).toHaveLength(2 * 2 * 2) // eventloop and node-http × keep-alive and close × 2 rates
    for (const p of section.points) {
      expect(p.ok).toBe(true)
      const r = p.result!
      expect(r.targetRate).toBe(p.rate)
      expect(r.achievedRate).toBeGreaterThan(0)
      for (const h of [r.latencyUs, r.serviceUs, r.latenessUs]) {
        expect(h.histogram).toMatch(/^[A-Za-z0-9+/=]+$/)
        expect(h.p50).toBeLessThanOrEqual(h.p99)
        expect(h.p999).toBeLessThanOrEqual(h.max)
      }
      expect(r.connectionsUsed).toBeGreaterThan(0)
      expect(p.samples).toBe(r.requests)
      expect(p.verdict.fewSamples).toBe(true) // 250–1,000 samples: said, not hidden
      expect(p.verdict.outcome).toBe('pass')
    }
    // nothing failed up to the highest rate offered: the sustainable rate is only a lower bound
    expect(section.series.map((s) => s.sustainable)).toEqual(Array(4).fill(expect.objectContaining({ rate: 2000, kind: 'at-least' })))
    expect(stdout).toMatch(/hello — sustainable rate under p99:10ms/)
    expect(stdout).toMatch(/≥ 2,000\/s \(the highest rate offered\)/)
    expect(markdown).toMatch(/^# Benchmark report/)
    expect(markdown).toMatch(/### Every point/)
    expect(markdown).toMatch(/The open-loop client's own ceiling was not measured in this run/)
    expect(xmlProblem(svg!)).toBeNull()
    expect(svg).toMatch(/SLO p99:10ms/)
  })

  it('neither passes nor fails a point whose client lagged, and never shows it as a plain number', async () => {
    const { code, results, markdown, svg } = await bench(['--model=eventloop', '--no-reference', '--scenario=hello', '--mode=keepalive', '--rate=300,600,900', '--duration=0.5', '--warmup=0'], { serviceUs: 100, lagAboveRate: 500 })
    expect(code).toBe(0)
    const lagging = results.openLoop!.points.filter((p) => p.rate > 500)
    expect(lagging.map((p) => p.verdict.outcome)).toEqual(['client-lagging', 'client-lagging'])
    expect(results.openLoop!.series[0]!.sustainable).toMatchObject({ rate: 300, kind: 'at-least', laggedAt: 600 })
    expect(markdown).toMatch(/≥ 300\/s \(client lagging from 600\/s: not a server limit\)/)
    const row = markdown.split('\n').find((l) => l.startsWith('| eventloop | hello | keepalive | 600 |'))!
    expect(row).toMatch(/\*\*client lagging\*\*: achieved \d+% of the target rate/)
    // its latency only in parentheses, like a starved cell's req/s: never a plain number
    const cells = row.split(' | ').slice(5, 12)
    expect(cells.every((c) => /^\(.*\)$/.test(c))).toBe(true)
    expect(svg).toMatch(/class="point lagging"/)
  })
})

describe('an open-loop run with --rate=auto', () => {
  it('takes its ladder from the closed-loop capacity of the same run, then bisects towards the sustainable rate', async () => {
    // closed loop: the test double reports 1,000 req/s; open loop: a 1 ms service time, so capacity 1,000/s
    const { code, results, stderr, svg } = await bench(['--model=eventloop', '--no-reference', '--scenario=hello', '--mode=keepalive', '--rate=auto', '--slo=p99:5ms', '--duration=2', '--repeat=1', '--warmup=0'], { serviceUs: 1000 }, 950)
    expect(code).toBe(0)
    expect(results.cells).toHaveLength(1)
    const series = results.openLoop!.series[0]!
    expect(series.capacity).toBe(1000)
    expect(series.planned).toEqual([100, 300, 500, 700, 800, 900]) // 1,000 and 1,100 are above the client's ceiling of 950
    expect(series.notes.join(' ')).toMatch(/1000, 1100\/s not offered: above the open-loop client's own ceiling of 950\/s/)
    const search = results.openLoop!.points.filter((p) => p.phase === 'search')
    expect(search.length).toBeGreaterThan(0)
    const s = series.sustainable
    expect(s.kind).toBe('exact')
    // M/D/1 at S = 1 ms: p99 stays under 5 ms to about ρ = 0.7 and passes it well before ρ = 0.9
    expect(s.rate!).toBeGreaterThanOrEqual(500)
    expect(s.failedAt!).toBeLessThanOrEqual(900)
    expect(s.rate!).toBeLessThan(s.failedAt!)
    expect(stderr).toMatch(/\[open loop \d+, search\] eventloop hello keepalive @ /)
    expect(svg).toMatch(/client ceiling 950\/s/)
  })
})

describe('an open-loop run with the real client', () => {
  it('drives the server from the kept load worker and records what the client measured (a light load: 200/s for 1 s)', async () => {
    const { code, results } = await bench(['--model=eventloop', '--no-reference', '--scenario=hello', '--mode=keepalive', '--rate=200', '--duration=1', '--warmup=0.2'], 'real client')
    const point = results.openLoop!.points[0]!
    expect(point.ok, point.failure).toBe(true)
    expect(code).toBe(0)
    expect(point.result!.driver).toBe('open-loop')
    expect(point.result!.targetRate).toBe(200)
    expect(point.samples).toBeGreaterThan(100)
    expect(point.result!.latencyUs.histogram).toBeDefined()
  })
})

describe('an open-loop run on a machine where the client kept no rate of its ceiling search', () => {
  it('offers no point in that mode, and the report says the points would have measured the client', async () => {
    const ceiling: OpenLoopCeilingRecord = { rate: null, mode: 'keepalive', keptNone: { lowestRate: 125 }, detail: 'none: the client kept no rate of the search against the null server; it lagged at 125/s (lateness)' }
    const { code, results, markdown } = await bench(['--model=eventloop', '--no-reference', '--scenario=hello', '--mode=keepalive', '--rate=auto', '--duration=1', '--repeat=1', '--warmup=0'], { serviceUs: 1000 }, ceiling)
    expect(code).toBe(0)
    expect(results.openLoop!.points).toEqual([])
    expect(results.openLoop!.series[0]!.notes.join(' ')).toMatch(/no rate offered: the open-loop client kept no rate of its ceiling search on this machine, lagging even at 125\/s/)
    expect(markdown).toMatch(/No keepalive point was offered: each would have measured the client, not the server/)
  })
})
