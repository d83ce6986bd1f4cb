import { describe, expect, it } from 'vitest'
import { runAB, type SideName } from '../../../bench/compare/ab-runs.js'
import { parseCompareArgs } from '../../../bench/cli/compare-args.js'
import { renderCompareTable } from '../../../bench/compare/table.js'
import { DEFAULT_THRESHOLDS, compareExitCode, judgeCell } from '../../../bench/compare/verdict.js'
import { FlagError } from '../../../bench/cli/flags.js'
import type { Cell } from '../../../bench/driver/matrix.js'
import type { MeasuredRun } from '../../../bench/driver/run-metrics.js'
import type { LoadResult } from '../../../bench/types.js'

/** A hand-made successful run. */
function fakeRun(reqPerSec: number, p99 = 1000, cpuSec = 1): MeasuredRun {
  const load: LoadResult = {
    driver: 'autocannon', mode: 'keepalive', durationSec: 2, requests: reqPerSec * 2, requestsPerSec: reqPerSec,
    non2xx: 0, errors: 0, timeouts: 0, bytesRead: 0, clientCpuSec: 1, perSecond: [],
    latencyUs: { p50: p99 / 2, p90: p99 * 0.8, p99, p999: p99 * 1.5, max: p99 * 2, mean: p99 / 2, source: 'test' },
  }
  return { ok: true, load, server: { cpuSec, peakRssBytes: 1 } }
}

/** Deterministic noise: a fixed ±spread pattern around 1. */
const wobble = (i: number, spread: number): number => 1 + spread * Math.sin(i * 2.399)

const cell = { model: 'eventloop', scenario: 'hello', mode: 'keepalive' as const, connections: 16 }

describe('interleaved A/B runs', () => {
  it('alternates sides within each round and swaps which goes first every round', async () => {
    const order: string[] = []
    const runSide = async (c: Cell, side: SideName): Promise<MeasuredRun> => {
      order.push(`${c.model}#${c.repeat}:${side}`)
      return fakeRun(1000)
    }
    const cells = [cell, { ...cell, model: 'node-http' }]
    const samples = await runAB(cells, 3, runSide)
    expect(order).toEqual([
      'eventloop#1:base', 'eventloop#1:current', 'node-http#1:base', 'node-http#1:current',
      'eventloop#2:current', 'eventloop#2:base', 'node-http#2:current', 'node-http#2:base',
      'eventloop#3:base', 'eventloop#3:current', 'node-http#3:base', 'node-http#3:current',
    ])
    expect(samples.map((s) => [s.base.length, s.current.length])).toEqual([[3, 3], [3, 3]])
  })
  it('refuses fewer than two runs per side', async () => {
    await expect(runAB([cell], 1, async () => fakeRun(1))).rejects.toThrow(/runs must be an integer ≥ 2/)
  })
})

describe('the compare verdict', () => {
  const base = Array.from({ length: 10 }, (_, i) => fakeRun(20000 * wobble(i, 0.03)))

  it('flags a cell 20% slower with low noise as a significant, practical regression', () => {
    const current = Array.from({ length: 10 }, (_, i) => fakeRun(16000 * wobble(i + 5, 0.03)))
    const judged = judgeCell({ cell, base, current })
    const rps = judged.metrics.find((m) => m.metric === 'req/s')!
    expect(rps.welch.ratio).toBeCloseTo(0.8, 1)
    expect(rps.significant).toBe(true)
    expect(rps.regression).toBe(true)
    expect(compareExitCode([judged])).toBe(1)
  })
  it('does not flag a significant but small (5%) slowdown: below the practical threshold', () => {
    const current = Array.from({ length: 10 }, (_, i) => fakeRun(19000 * wobble(i + 5, 0.01)))
    const tight = Array.from({ length: 10 }, (_, i) => fakeRun(20000 * wobble(i, 0.01)))
    const rps = judgeCell({ cell, base: tight, current }).metrics.find((m) => m.metric === 'req/s')!
    expect(rps.significant).toBe(true)
    expect(rps.regression).toBe(false)
  })
  it('does not flag a large but noisy difference that is not significant', () => {
    const noisyBase = [10000, 30000, 12000, 28000].map((r) => fakeRun(r))
    const noisyCurrent = [9000, 25000, 8000, 24000].map((r) => fakeRun(r))
    const rps = judgeCell({ cell, base: noisyBase, current: noisyCurrent }).metrics.find((m) => m.metric === 'req/s')!
    expect(rps.practicallyWorse).toBe(true)
    expect(rps.significant).toBe(false)
    expect(rps.regression).toBe(false)
  })
  it('flags p99 latency 50% higher as a regression even when throughput holds', () => {
    const current = Array.from({ length: 10 }, (_, i) => fakeRun(20000 * wobble(i + 3, 0.03), 1500 * wobble(i, 0.02)))
    const steady = Array.from({ length: 10 }, (_, i) => fakeRun(20000 * wobble(i, 0.03), 1000 * wobble(i + 2, 0.02)))
    const judged = judgeCell({ cell, base: steady, current })
    expect(judged.metrics.find((m) => m.metric === 'req/s')!.regression).toBe(false)
    expect(judged.metrics.find((m) => m.metric === 'p99')!.regression).toBe(true)
  })
  it('never calls a faster current a regression', () => {
    const current = Array.from({ length: 10 }, (_, i) => fakeRun(30000 * wobble(i, 0.03), 500))
    const judged = judgeCell({ cell, base, current })
    expect(judged.metrics.every((m) => !m.regression)).toBe(true)
    expect(compareExitCode([judged])).toBe(0)
  })
  it('marks a cell with a failed or erroring run as failed instead of judging it', () => {
    const failed = { ok: false, failure: 'verification failed: status 500' }
    const judged = judgeCell({ cell, base, current: [...base.slice(1), failed] })
    expect(judged.failure).toMatch(/a current run failed: verification failed: status 500/)
    expect(compareExitCode([judged])).toBe(1)
    const erroring = fakeRun(1000)
    erroring.load!.errors = 3
    expect(judgeCell({ cell, base: [...base.slice(1), erroring], current: base }).failure).toMatch(/3 errors/)
  })
  it('prints medians, ratio with interval, stars and the expected false positives', () => {
    const current = Array.from({ length: 10 }, (_, i) => fakeRun(16000 * wobble(i + 5, 0.03)))
    const text = renderCompareTable([judgeCell({ cell, base, current })], DEFAULT_THRESHOLDS, false)
    expect(text).toMatch(/eventloop hello keepalive c=16/)
    expect(text).toMatch(/REGRESSION/)
    expect(text).toMatch(/\*\*\*/)
    expect(text).toMatch(/current\/base \(99% CI\)/)
    expect(text).toMatch(/2 comparisons: with no real change expect 0\.10 at 5%, 0\.02 at 1%, 0\.00 at 0\.1% false positives/)
  })
})

describe('bench:compare flags', () => {
  it('expands models × scenarios × modes × connections into cells with sensible defaults', () => {
    const args = parseCompareArgs(['--base=HEAD~1', '--model=eventloop,node-http', '--mode=both', '--runs', '4'], '/tmp/r')
    if (args === 'help') throw new Error('unexpected help')
    expect(args.base).toBe('HEAD~1')
    expect(args.runs).toBe(4)
    expect(args.cells).toHaveLength(4)
    expect(args.cells[0]).toEqual({ model: 'eventloop', scenario: 'hello', mode: 'keepalive', connections: 16 })
    expect(args.thresholds).toEqual({ throughput: 0.1, p99: 0.2, alpha: 0.01 })
    expect(args.out).toBe('/tmp/r')
    // the same client as `npm run bench`: autocannon's ceiling sits below the fastest models
    expect(args.driver).toBe('auto')
  })
  it.each([
    [['--model=eventloop'], /--base=<git-ref> is required/],
    [['--base=x', '--model=nginx'], /--model: unknown value "nginx"/],
    [['--base=x', '--runs=1'], /--runs must be an integer from 2/],
    [['--base=x', '--mode=pipelined'], /--mode must be keepalive, close or both/],
    [['--base=x', '--driver=ab'], /--driver must be auto, autocannon or wrk/],
    [['--base=x', '--frobnicate'], /unknown flag --frobnicate/],
    [['--base=x', 'stray'], /unexpected argument "stray"/],
    [['--base'], /--base needs a value/],
  ])('rejects %j with one clear line', (argv, message) => {
    expect(() => parseCompareArgs(argv, '/tmp/r')).toThrow(FlagError)
    expect(() => parseCompareArgs(argv, '/tmp/r')).toThrow(message)
  })
  it('answers --help', () => {
    expect(parseCompareArgs(['--help'], '/tmp/r')).toBe('help')
  })
})
