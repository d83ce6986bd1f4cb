import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readBaseline, writeBaseline } from '../../../bench/gate/baseline.js'
import { parseCheckArgs } from '../../../bench/cli/check-args.js'
import { recordBaseline, runCheck, sameMachineKind, type GateIo } from '../../../bench/gate/run-check.js'
import { groupCells, runsPerRound } from '../../../bench/gate/plan.js'
import { runCheckRounds, sliceRatios, emptySamples, type RatioSamples } from '../../../bench/gate/rounds.js'
import { DISTURBED_ABOVE, quietSessions, withoutDisturbed } from '../../../bench/gate/disturbed-rounds.js'
import { judgeCheckCell } from '../../../bench/gate/verdict.js'
import { FlagError } from '../../../bench/cli/flags.js'
import type { Cell } from '../../../bench/driver/matrix.js'
import type { RunContext } from '../../../bench/host/run-context.js'
import type { MeasuredRun } from '../../../bench/driver/run-metrics.js'
import { TOLERANCE_CEILING, TOLERANCE_FLOOR, calibrateTolerance } from '../../../bench/gate/tolerance.js'

/** mulberry32: a seeded PRNG so the fake machine's noise is the same every test run. */
function prng(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A fake 2-core box: node-http costs 20 µs of CPU per request; eventloop 12 µs; the server is
 * CPU-bound, so req/s = 1e6 / µs, times a machine-wide drift shared by runs close in time, times
 * a little per-run noise. `extraUs` slows one model the way HTTPMODELS_SLOWDOWN_US would;
 * `disturbance` multiplies a run's whole cost, as a neighbour did on the real machine (below). */
function fakeMachine(seed: number, extraUs: (cell: Cell) => number = () => 0, disturbance: (cell: Cell) => number = () => 1) {
  const rand = prng(seed)
  const cost: Record<string, number> = { 'node-http': 20, eventloop: 12 }
  let drift = 1
  let clock = 0
  const runModel = async (cell: Cell): Promise<MeasuredRun> => {
    drift = Math.min(1.3, Math.max(0.7, drift * (1 + (rand() - 0.5) * 0.1)))
    clock += 4
    const us = (cost[cell.model]! + extraUs(cell)) * disturbance(cell)
    const reqPerSec = (1e6 / us / drift) * (1 + (rand() - 0.5) * 0.04)
    const requests = Math.round(reqPerSec * 2)
    const cpuSec = (requests * us * (1 + (rand() - 0.5) * 0.02)) / 1e6
    return {
      ok: true,
      load: {
        driver: 'autocannon', mode: 'keepalive', durationSec: 2, requests, requestsPerSec: reqPerSec, non2xx: 0, errors: 0,
        timeouts: 0, bytesRead: 0, clientCpuSec: 1, perSecond: [],
        latencyUs: { p50: 500, p90: 700, p99: 900, p999: 1000, max: 2000, mean: 500, source: 'fake' },
      },
      server: { cpuSec, peakRssBytes: 1 },
    }
  }
  const runGroupRound: GateIo['runGroupRound'] = async (group, round, order) => {
    const runs = new Map<string, MeasuredRun>()
    for (const model of order) {
      runs.set(model, await runModel({ model, scenario: group.scenario, mode: group.mode, connections: group.connections, repeat: round }))
    }
    return runs
  }
  const lines: string[] = []
  const io: GateIo = { runGroupRound, log: (l) => lines.push(l), clock: () => clock }
  return { io, lines, runModel }
}

const cells = [
  { model: 'eventloop', scenario: 'hello', mode: 'keepalive' as const, connections: 16 },
  { model: 'eventloop', scenario: 'static', mode: 'keepalive' as const, connections: 16 },
]
const config = { rounds: 5, confirmRounds: 5, durationSec: 3, sliceSec: 0.5, warmupSec: 1, driver: 'autocannon' as const }
const context: RunContext = {
  machine: { cpuModel: 'fake', cores: 2, memoryBytes: 1, hostname: 'fake', platform: 'test' }, node: 'v20', commit: 'abc', dirty: false,
}

async function baselineFrom(seed: number) {
  return (await recordBaseline(cells, config, 3, context, fakeMachine(seed).io)).baseline
}

describe('bench:check rounds', () => {
  it('rotates the order within a group so node-http does not always run first', async () => {
    const orders: string[] = []
    const { io } = fakeMachine(1)
    await runCheckRounds(groupCells(cells.slice(0, 1)), 3, async (group, round, order) => {
      orders.push(`${round}:${order.join(',')}`)
      return io.runGroupRound(group, round, order)
    })
    expect(orders).toEqual(['1:node-http,eventloop', '2:eventloop,node-http', '3:node-http,eventloop'])
  })
  it('counts one node-http run per group per round', () => {
    expect(runsPerRound(groupCells(cells))).toBe(4)
    expect(() => groupCells([{ ...cells[0]!, model: 'node-http' }])).toThrow(/is the reference/)
  })
})

describe('slice-by-slice ratios', () => {
  const run = (slices: Array<[requests: number, cpuSec: number]>): MeasuredRun => ({
    ok: true, slices: slices.map(([requests, cpuSec]) => ({ requests, seconds: 0.5, cpuSec })),
  })
  it('pairs each slice with the reference slice beside it and takes the median, so one burst barely moves it', () => {
    const model = run([[1000, 0.01], [1000, 0.01], [200, 0.01], [1000, 0.01]])
    const reference = run([[500, 0.01], [500, 0.01], [500, 0.01], [500, 0.01]])
    const r = sliceRatios(model, reference)!
    expect(r.throughput).toBeCloseTo(2, 10) // the 200-request burst slice is outvoted
    expect(r.cpu).toBeCloseTo(0.5, 10)
  })
  it('declines when the slices do not line up', () => {
    expect(sliceRatios(run([[1, 1]]), run([[1, 1], [1, 1]]))).toBeUndefined()
    expect(sliceRatios({ ok: true }, run([[1, 1]]))).toBeUndefined()
  })
})

describe('bench:check baseline and verdict', () => {
  it('reports but never fails on a metric the A/A calibration found too noisy', async () => {
    const baseline = await baselineFrom(7)
    const hello = structuredClone(baseline.cells[0]!)
    hello.throughput.tooNoisy = true
    hello.throughput.tolerance = TOLERANCE_CEILING
    const samples = emptySamples(hello.cell)
    samples.throughput.push(...[0.6, 0.6, 0.6].map((f) => f * hello.throughput.median))
    samples.cpu.push(hello.cpu.median, hello.cpu.median, hello.cpu.median)
    const v = judgeCheckCell(samples, hello)
    expect(v.throughput!.change).toBeCloseTo(-0.4, 10)
    expect(v.throughput!.advisory).toBe(true)
    expect(v.throughput!.worse).toBe(false)
    expect(v.status).toBe('pass')
  })

  it('records ratios to node-http with tolerances between the floor and the ceiling', async () => {
    const baseline = await baselineFrom(7)
    expect(baseline.cells).toHaveLength(2)
    const hello = baseline.cells[0]!
    expect(hello.throughput.median).toBeCloseTo(20 / 12, 1)
    expect(hello.cpu.median).toBeCloseTo(12 / 20, 1)
    for (const c of baseline.cells) {
      for (const [metric, m] of [['throughput', c.throughput], ['cpu', c.cpu]] as const) {
        expect(m.tolerance).toBeGreaterThanOrEqual(TOLERANCE_FLOOR[metric])
        expect(m.tolerance).toBeLessThanOrEqual(TOLERANCE_CEILING)
        expect(m.sessionMedians).toHaveLength(3)
      }
    }
    expect(baseline.calibration.secondsPerRun).toBe(4)
  })

  it('passes ten A/A checks on unchanged code', async () => {
    const baseline = await baselineFrom(7)
    for (let seed = 100; seed < 110; seed++) {
      const outcome = await runCheck(baseline, cells, 300, fakeMachine(seed).io)
      expect(outcome.failures).toEqual([])
      expect(outcome.passed).toBe(true)
    }
  })

  it('fails, after confirming, when one model spends 25% more CPU per request, naming the cell and the size', async () => {
    const baseline = await baselineFrom(7)
    let failed = 0
    for (let seed = 200; seed < 210; seed++) {
      const { io } = fakeMachine(seed, (cell) => (cell.model === 'eventloop' && cell.scenario === 'hello' ? 3 : 0))
      const outcome = await runCheck(baseline, cells, 300, io)
      if (!outcome.passed) failed++
      if (!outcome.passed) {
        expect(outcome.regressions).toHaveLength(1)
        expect(outcome.regressions[0]).toMatch(/^REGRESSION eventloop hello keepalive c=16: .*server CPU per request relative to node-http \+2\d\.\d%/)
        expect(outcome.confirmations).toHaveLength(1)
      }
    }
    expect(failed).toBeGreaterThanOrEqual(9)
  })

  it('does not fail when a suspicion is not confirmed by the fresh rounds', async () => {
    const baseline = await baselineFrom(7)
    // slow only in the first pass (rounds 1–5), as a noisy neighbour would make it
    const { io, lines } = fakeMachine(300, (cell) => (cell.model === 'eventloop' && cell.repeat <= 5 ? 4 : 0))
    const outcome = await runCheck(baseline, cells, 300, io)
    expect(outcome.verdicts.some((v) => v.status === 'regression')).toBe(true)
    expect(outcome.passed).toBe(true)
    expect(lines.some((l) => l.startsWith('not confirmed:'))).toBe(true)
  })

  it('fails loudly when a run fails again on its retry, instead of judging a number', async () => {
    const baseline = await baselineFrom(7)
    const { io, lines } = fakeMachine(400)
    const broken: GateIo = {
      ...io,
      runGroupRound: async (group, round, order) => {
        const runs = await io.runGroupRound(group, round, order)
        if (group.scenario === 'static' && round === 2) runs.set('eventloop', { ok: false, failure: 'verification failed: 404' })
        return runs
      },
    }
    const outcome = await runCheck(baseline, cells, 300, broken)
    expect(outcome.passed).toBe(false)
    expect(outcome.failures).toEqual(['FAILED eventloop|static|keepalive|16: round 2: eventloop failed: verification failed: 404'])
    expect(lines).toContain('retried: eventloop|static|keepalive|16 round 2 measured again after eventloop: verification failed: 404')
  })

  it('measures a round again when a run failed once (a neighbour exhausting ports), and passes if the retry is clean', async () => {
    const baseline = await baselineFrom(7)
    const { io, lines } = fakeMachine(450)
    let hiccups = 1
    const flaky: GateIo = {
      ...io,
      runGroupRound: async (group, round, order) => {
        const runs = await io.runGroupRound(group, round, order)
        if (group.scenario === 'hello' && round === 1 && hiccups-- > 0) runs.set('node-http', { ok: false, failure: 'slice 4: 9504 errors during measurement (0 responses)' })
        return runs
      },
    }
    const outcome = await runCheck(baseline, cells, 300, flaky)
    expect(outcome.passed).toBe(true)
    expect(outcome.verdicts[0]!.rounds).toBe(config.rounds)
    expect(lines.some((l) => l.startsWith('retried: eventloop|hello|keepalive|16 round 1 measured again after node-http: slice 4'))).toBe(true)
  })

  it('refuses to pass a suspicion it has no time left to confirm', async () => {
    const baseline = await baselineFrom(7)
    const { io } = fakeMachine(500, (cell) => (cell.model === 'eventloop' ? 4 : 0))
    const outcome = await runCheck(baseline, cells, 80, io) // 20 runs × 4 s = 80 s: nothing left
    expect(outcome.passed).toBe(false)
    expect(outcome.failures).toEqual([])
    expect(outcome.unconfirmed[0]).toMatch(/^UNCONFIRMED eventloop\|hello.*no time to confirm/)
  })

  it('refuses cells the baseline does not have', async () => {
    const baseline = await baselineFrom(7)
    await expect(runCheck(baseline, [{ ...cells[0]!, model: 'coroutines' }], 300, fakeMachine(1).io)).rejects.toThrow(/not in the baseline: coroutines\|hello/)
  })
})

// As measured on 2026-12-01 (disturbed-rounds.ts): while a neighbour disturbed the machine,
// node-http cost 1.7× its quiet CPU per request and eventloop 1.27×.
const DISTURBED: Record<string, number> = { 'node-http': 1.7, eventloop: 1.27 }
const disturbedIn = (rounds: readonly number[], scenario = 'hello') => (cell: Cell): number =>
  cell.scenario === scenario && rounds.includes(cell.repeat) ? DISTURBED[cell.model]! : 1
const slowedHello = (cell: Cell): number => (cell.model === 'eventloop' && cell.scenario === 'hello' ? 3 : 0) // +25%

describe('bench:check on a machine a neighbour disturbs', () => {
  const rounds = (referenceCpuUs: number[]): RatioSamples => ({
    ...emptySamples(cells[0]!),
    throughput: referenceCpuUs.map((_, i) => 1 + i / 100),
    cpu: referenceCpuUs.map((_, i) => 0.6 + i / 100),
    modelReqPerSec: referenceCpuUs.map(() => 1),
    modelCpuUs: referenceCpuUs.map(() => 12),
    referenceReqPerSec: referenceCpuUs.map(() => 1),
    referenceCpuUs,
  })

  it(`leaves out the rounds in which node-http cost more than ${DISTURBED_ABOVE * 100}% over its quietest round`, () => {
    const { samples, note } = withoutDisturbed(rounds([20, 34, 21, 25.9, 40]), 20)
    expect(samples.referenceCpuUs).toEqual([20, 21, 25.9])
    expect(samples.cpu).toEqual([0.6, 0.62, 0.63])
    expect(samples.throughput).toEqual([1, 1.02, 1.03])
    expect(note).toMatch(/^left out 2 of 5 rounds as disturbed/)
  })

  it('judges a single quiet round alone rather than mix the disturbed ones back in, and says so', () => {
    const { samples, quiet, note } = withoutDisturbed(rounds([34, 20, 40]), 20)
    expect(quiet).toBe(1)
    expect(samples.cpu).toEqual([0.61])
    expect(note).toMatch(/^only 1 of 3 rounds undisturbed .*judged on that one alone/)
    expect(withoutDisturbed(rounds([20, 21]), 20)).toEqual({ samples: rounds([20, 21]), quiet: 2 })
  })

  it('keeps every round, and says so, when none was quiet', () => {
    const all = rounds([34, 35, 40])
    const { samples, quiet, note } = withoutDisturbed(all, 20)
    expect(samples).toBe(all)
    expect(quiet).toBe(0)
    expect(note).toMatch(/^no round of 3 undisturbed .*judged on all of them/)
  })

  it('calibrates --update on the quiet rounds, dropping a session that had too few, so a disturbance does not cap CPU as too noisy', () => {
    const quiet = [20, 21, 20.5, 20.2]
    const sessions = [rounds(quiet), rounds(quiet), rounds([34, 35, 20.4, 36])]
    const out = quietSessions(sessions)
    expect(out.sessions).toHaveLength(2)
    expect(out.note).toMatch(/left out 0 disturbed round\(s\) and 1 session\(s\) with fewer than 2 undisturbed rounds/)
  })

  it('records a baseline whose CPU tolerance stays gated although one A/A session was disturbed in most rounds', async () => {
    // sessions are rounds 1–5, 1–5, 1–5 of separate runCheckRounds calls: disturb the last session only
    let session = 0
    const { io } = fakeMachine(7, () => 0, (cell) => (session === 3 && cell.repeat >= 2 ? DISTURBED[cell.model]! : 1))
    const counting: GateIo = { ...io, log: (line) => { if (line.startsWith('A/A session')) session++; io.log(line) } }
    const { baseline } = await recordBaseline(cells, config, 3, context, counting)
    for (const c of baseline.cells) expect(c.cpu.tooNoisy).toBe(false)
    expect(baseline.calibration.disturbed?.[0]).toMatch(/^eventloop\|hello\|keepalive\|16: left out/)
  })

  it('passes unchanged code when three of five rounds were disturbed', async () => {
    const baseline = await baselineFrom(7)
    const outcome = await runCheck(baseline, cells, 300, fakeMachine(600, () => 0, disturbedIn([1, 3, 4])).io)
    expect(outcome.passed).toBe(true)
    expect(outcome.disturbed[0]).toMatch(/^eventloop\|hello\|keepalive\|16 \(first pass\): left out 3 of 5 rounds/)
    expect(outcome.blind).toEqual([])
  })

  it('still catches a 25% slowdown that three disturbed rounds of five would have hidden', async () => {
    const baseline = await baselineFrom(7)
    // disturbed: first-pass rounds 1, 3, 4 and the first three confirmation rounds (11–13)
    const { io } = fakeMachine(700, slowedHello, disturbedIn([1, 3, 4, 11, 12, 13]))
    const outcome = await runCheck(baseline, cells, 300, io)
    expect(outcome.regressions).toHaveLength(1)
    expect(outcome.regressions[0]).toMatch(/^REGRESSION eventloop hello keepalive c=16: .*server CPU per request relative to node-http \+2\d\.\d%/)
    // without leaving them out, the median of the first pass looks faster than the baseline
    const raw = judgeCheckCell(outcome.samples.first.find((s) => s.cell.scenario === 'hello')!, baseline.cells[0]!)
    expect(raw.cpu!.change).toBeLessThan(0)
  })

  it('recognises a check disturbed from its first round on by the baseline of this kind of machine, and judges the quiet rounds measured after', async () => {
    const baseline = await baselineFrom(7)
    const disturbance = disturbedIn([1, 2, 3, 4, 5])
    const own = await runCheck(baseline, cells, 300, fakeMachine(900, slowedHello, disturbance).io)
    expect(own.passed).toBe(true) // the run's own rounds all look alike: the slowdown hides
    const { io, lines } = fakeMachine(900, slowedHello, disturbance)
    const anchored = await runCheck(baseline, cells, 300, io, { sameMachine: true })
    expect(lines).toContain('disturbed: measuring hello again (round 6): too few rounds with node-http at its quiet cost')
    expect(anchored.regressions).toHaveLength(1)
    expect(anchored.regressions[0]).toMatch(/^REGRESSION eventloop hello keepalive c=16: .*server CPU per request/)
  })

  it('judges on every round, and says so, when the machine stays disturbed for the whole budget', async () => {
    const baseline = await baselineFrom(7)
    const always = (cell: Cell): number => (cell.scenario === 'hello' ? DISTURBED[cell.model]! : 1)
    const outcome = await runCheck(baseline, cells, 300, fakeMachine(950, () => 0, always).io, { sameMachine: true })
    expect(outcome.passed).toBe(true)
    expect(outcome.disturbed[0]).toMatch(/^eventloop\|hello\|keepalive\|16 \(first pass\): no round of 10 undisturbed .*judged on all of them/)
    expect(outcome.blind).toEqual(['eventloop|hello|keepalive|16'])
  })

  it('raises a suspect from the one quiet round of a first pass otherwise disturbed throughout, and confirms it in quiet rounds', async () => {
    const baseline = await baselineFrom(7)
    // hello first pass: rounds 1–5 and the extra rounds 6–10 disturbed but for round 3
    const { io } = fakeMachine(960, slowedHello, disturbedIn([1, 2, 4, 5, 6, 7, 8, 9, 10]))
    const outcome = await runCheck(baseline, cells, 300, io, { sameMachine: true })
    expect(outcome.disturbed[0]).toMatch(/^eventloop\|hello\|keepalive\|16 \(first pass\): only 1 of 10 rounds undisturbed .*judged on that one alone/)
    expect(outcome.blind).toEqual([])
    expect(outcome.regressions).toHaveLength(1)
    expect(outcome.regressions[0]).toMatch(/^REGRESSION eventloop hello keepalive c=16: .*server CPU per request/)
    // on all ten rounds the slowed model looks faster than its baseline
    const raw = judgeCheckCell(outcome.samples.first.find((s) => s.cell.scenario === 'hello')!, baseline.cells[0]!)
    expect(raw.cpu!.change).toBeLessThan(0)
  })

  it('fails a suspect as unconfirmed when every confirmation round was disturbed: such rounds can neither confirm nor clear it', async () => {
    const baseline = await baselineFrom(7)
    // quiet first pass (rounds 1–5); the confirmation (11–15) and its extra rounds (16–20) all disturbed
    const confirmation = Array.from({ length: 10 }, (_, i) => 11 + i)
    const { io } = fakeMachine(970, slowedHello, disturbedIn(confirmation))
    const outcome = await runCheck(baseline, cells, 300, io, { sameMachine: true })
    expect(outcome.passed).toBe(false)
    expect(outcome.regressions).toEqual([])
    expect(outcome.unconfirmed).toHaveLength(1)
    expect(outcome.unconfirmed[0]).toMatch(/^UNCONFIRMED eventloop\|hello\|keepalive\|16: looked like a regression \(.*CPU\/request ÷ node-http \+2\d\.\d%, allowed \+9\.0% in the first pass\) but node-http never ran at its quiet cost in the 10 confirmation rounds \(the machine was disturbed throughout\)/)
    // judged on all of them, the disturbed confirmation would have cleared it
    const raw = judgeCheckCell(outcome.samples.confirmation.find((s) => s.cell.scenario === 'hello')!, baseline.cells[0]!)
    expect(raw.cpu!.worse).toBe(false)
  })

  it('takes the baseline as a quiet level only when it was recorded on the same CPU model, core count and Node', async () => {
    const baseline = await baselineFrom(7)
    expect(sameMachineKind(baseline, context)).toBe(true)
    expect(sameMachineKind(baseline, { ...context, node: 'v22' })).toBe(false)
    expect(sameMachineKind(baseline, { ...context, machine: { ...context.machine, cores: 8 } })).toBe(false)
    expect(sameMachineKind(baseline, { ...context, machine: { ...context.machine, hostname: 'other' } })).toBe(true)
  })

  it('measures a group again when fewer than two of its rounds were quiet, within the budget', async () => {
    const baseline = await baselineFrom(7)
    const { io, lines } = fakeMachine(800, slowedHello, disturbedIn([1, 2, 3, 4, 11, 12, 13, 14]))
    const outcome = await runCheck(baseline, cells, 300, io)
    expect(lines).toContain('disturbed: measuring hello again (round 6): too few rounds with node-http at its quiet cost')
    expect(outcome.passed).toBe(false)
    expect(outcome.regressions).toHaveLength(1)
  })
})

describe('tolerance calibration', () => {
  it('takes twice the session spread when that exceeds the floor and the round noise', () => {
    const c = calibrateTolerance('cpu', [[1, 1.02, 0.98, 1, 1], [1.1, 1.12, 1.08, 1.1, 1.1]], 5)
    expect(c.median).toBeCloseTo(1.05, 10)
    expect(c.sessionSpread).toBeCloseTo(1.1 / 1.05 - 1, 10)
    expect(c.tolerance).toBeCloseTo(2 * (1.1 / 1.05 - 1), 10)
    expect(c.tooNoisy).toBe(false)
  })
  it('takes four standard errors of a k-round median when the rounds are the noisy part', () => {
    const c = calibrateTolerance('cpu', [[1, 1.06, 0.94, 1.03, 0.97], [1, 1.06, 0.94, 1.03, 0.97]], 4)
    expect(c.tolerance).toBeCloseTo((5 * (1.4826 * 0.03)) / 2, 10)
  })
  it('never goes below the per-metric floor and caps, flagged, at the ceiling', () => {
    expect(calibrateTolerance('throughput', [[1, 1], [1, 1]], 5).tolerance).toBe(TOLERANCE_FLOOR.throughput)
    expect(calibrateTolerance('cpu', [[1, 1], [1, 1]], 5).tolerance).toBe(TOLERANCE_FLOOR.cpu)
    const noisy = calibrateTolerance('cpu', [[1, 2, 1], [0.5, 1, 0.6]], 5)
    expect(noisy.tolerance).toBe(TOLERANCE_CEILING)
    expect(noisy.tooNoisy).toBe(true)
  })
  it('needs at least two sessions of two rounds', () => {
    expect(() => calibrateTolerance('cpu', [[1, 2]], 5)).toThrow(/at least 2 A\/A sessions/)
  })
})

describe('results/baseline.json', () => {
  it('round-trips through write and read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gate-baseline-'))
    const baseline = await baselineFrom(7)
    writeBaseline(join(dir, 'b.json'), baseline)
    expect(readBaseline(join(dir, 'b.json'))).toEqual(baseline)
  })
  it('explains how to create a missing one and rejects a malformed one in one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gate-baseline-'))
    expect(() => readBaseline(join(dir, 'none.json'))).toThrow(/record one with `npm run bench:check -- --update`/)
    writeFileSync(join(dir, 'bad.json'), '{"schema":"other"}')
    expect(() => readBaseline(join(dir, 'bad.json'))).toThrow(/expected schema "httpmodels-gate-baseline\/1"/)
    writeFileSync(join(dir, 'junk.json'), '{')
    expect(() => readBaseline(join(dir, 'junk.json'))).toThrow(/is not JSON/)
  })
})

describe('bench:check flags', () => {
  it('defaults to the plan, the 300 s budget and results/baseline.json', () => {
    const args = parseCheckArgs([], '/r/baseline.json')
    if (args === 'help') throw new Error('unexpected help')
    expect(args).toMatchObject({ update: false, baselinePath: '/r/baseline.json', budgetSec: 300, out: '' })
  })
  it('parses the test-only slowdown injection for one model', () => {
    const args = parseCheckArgs(['--inject-slowdown=eventloop:3.5'], '/b')
    expect(args !== 'help' && args.injectSlowdown).toEqual({ model: 'eventloop', us: 3.5 })
  })
  it.each([
    [['--rounds=3'], /--rounds only applies with --update/],
    [['--inject-slowdown=eventloop'], /MODEL:MICROSECONDS/],
    [['--inject-slowdown=nginx:3'], /MODEL:MICROSECONDS/],
    [['--update', '--inject-slowdown=eventloop:3'], /cannot be used with --update/],
    [['--budget=5'], /--budget must be a number from 10/],
    [['--model=nope'], /--model: unknown value "nope"/],
  ])('rejects %j with one clear line', (argv, message) => {
    expect(() => parseCheckArgs(argv, '/b')).toThrow(FlagError)
    expect(() => parseCheckArgs(argv, '/b')).toThrow(message)
  })
})
