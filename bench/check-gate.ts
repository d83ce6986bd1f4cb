// The logic of `bench:check`, apart from the CLI so it can be tested with a fake runner:
// a first pass of rounds, a verdict per cell against the baseline, independent confirmation rounds
// for suspects (within the time budget), and `--update`'s A/A sessions.

import type { CellSpec } from './ab-runs.js'
import { buildBaseline, type Baseline, type CheckConfig } from './baseline.js'
import { checkKey, groupCells, runsPerRound, type CheckGroup } from './check-plan.js'
import { runCheckRounds, type RatioSamples, type RunGroupRound, type SampleSet } from './check-rounds.js'
import { describeRegression, isConfirmed, judgeCheckCell, type CheckCellVerdict } from './check-verdict.js'
import type { RunContext } from './run-context.js'
import { describeRun } from './run-line.js'

export interface GateIo {
  runGroupRound: RunGroupRound
  log: (line: string) => void
  /** Seconds since some fixed point (injectable for tests). */
  clock?: () => number
}

export interface CheckOutcome {
  passed: boolean
  verdicts: CheckCellVerdict[]
  confirmations: CheckCellVerdict[]
  /** One line per confirmed regression (which cell, which metric, by how much). */
  regressions: string[]
  /** One line per cell that could not be measured or judged. */
  failures: string[]
  elapsedSec: number
  secondsPerRun: number
  samples: { first: RatioSamples[]; confirmation: RatioSamples[] }
}

const wallClock = (): number => performance.now() / 1000

/** Wrap the round runner to log every server's numbers and keep the mean wall time per server run
 * (a group round of n servers counts as n runs). */
function timed(io: GateIo): { run: RunGroupRound; secondsPerRun: () => number } {
  const clock = io.clock ?? wallClock
  let runs = 0
  let total = 0
  return {
    run: async (group, round, order) => {
      const t0 = clock()
      const results = await io.runGroupRound(group, round, order)
      total += clock() - t0
      runs += order.length
      for (const model of order) {
        const cell = { model, scenario: group.scenario, mode: group.mode, connections: group.connections, repeat: round }
        io.log(`  ${describeRun(cell, results.get(model) ?? { ok: false, failure: 'not measured' })}`)
      }
      return results
    },
    secondsPerRun: () => (runs === 0 ? 0 : total / runs),
  }
}

export async function runCheck(
  baseline: Baseline, cells: readonly CellSpec[], budgetSec: number, io: GateIo,
): Promise<CheckOutcome> {
  const clock = io.clock ?? wallClock
  const started = clock()
  const { config } = baseline
  const byKey = new Map(baseline.cells.map((c) => [checkKey(c.cell), c]))
  const missing = cells.filter((c) => !byKey.has(checkKey(c)))
  if (missing.length > 0) throw new Error(`not in the baseline: ${missing.map(checkKey).join(', ')} (record one with --update)`)
  const groups = groupCells(cells)
  const firstRuns = config.rounds * runsPerRound(groups)
  const estimate = baseline.calibration.secondsPerRun
  io.log(`plan: ${config.rounds} rounds × ${runsPerRound(groups)} server runs (node-http + ${cells.length} cell(s)) = ${firstRuns} runs × ~${estimate.toFixed(1)} s = ~${Math.round(firstRuns * estimate)} s; ` +
    `a suspect adds ${config.confirmRounds} rounds × 2 runs × ~${estimate.toFixed(1)} s = ~${Math.round(config.confirmRounds * 2 * estimate)} s; budget ${budgetSec} s`)

  const timer = timed(io)
  const first = await runCheckRounds(groups, config.rounds, timer.run)
  for (const s of first.values()) for (const line of s.retries) io.log(`retried: ${checkKey(s.cell)} ${line}`)
  const verdicts = cells.map((c) => judgeCheckCell(first.get(checkKey(c))!, byKey.get(checkKey(c))!))
  const failures = verdicts.filter((v) => v.status === 'failed').map((v) => `FAILED ${v.key}: ${v.failure}`)
  const suspects = verdicts.filter((v) => v.status === 'regression')

  const confirmations: CheckCellVerdict[] = []
  const regressions: string[] = []
  let confirmation: SampleSet = new Map()
  if (suspects.length > 0) {
    const confirmGroups: CheckGroup[] = groupCells(suspects.map((s) => s.cell))
    const perRound = runsPerRound(confirmGroups) * timer.secondsPerRun()
    const left = budgetSec - (clock() - started)
    const rounds = Math.min(config.confirmRounds, Math.floor(left / Math.max(perRound, 1e-9)))
    if (rounds < 2) {
      for (const s of suspects) {
        failures.push(`UNCONFIRMED ${s.key}: looked like a regression but the ${budgetSec} s budget leaves no time to confirm it`)
      }
    } else {
      io.log(`suspected: ${suspects.map((s) => s.key).join(', ')}; confirming with ${rounds} fresh rounds`)
      confirmation = await runCheckRounds(confirmGroups, rounds, timer.run, new Map(), config.rounds + 1)
      for (const s of confirmation.values()) for (const line of s.retries) io.log(`retried: ${checkKey(s.cell)} ${line}`)
      for (const s of suspects) {
        const again = judgeCheckCell(confirmation.get(s.key)!, byKey.get(s.key)!)
        confirmations.push(again)
        if (again.status === 'failed') failures.push(`FAILED ${s.key} during confirmation: ${again.failure}`)
        else if (isConfirmed(s, again)) regressions.push(describeRegression(s, again))
        else io.log(`not confirmed: ${s.key} is within tolerance in the confirmation rounds (noise)`)
      }
    }
  }
  return {
    passed: regressions.length === 0 && failures.length === 0,
    verdicts,
    confirmations,
    regressions,
    failures,
    elapsedSec: clock() - started,
    secondsPerRun: timer.secondsPerRun(),
    samples: { first: [...first.values()], confirmation: [...confirmation.values()] },
  }
}

/** `--update`: several A/A sessions of this build, each the size of one check, calibrate the
 * tolerances (tolerance.ts) and become the new baseline. */
export async function recordBaseline(
  cells: readonly CellSpec[], config: CheckConfig, sessions: number, context: RunContext, io: GateIo,
): Promise<{ baseline: Baseline; sessions: SampleSet[] }> {
  const groups = groupCells(cells)
  const timer = timed(io)
  const sets: SampleSet[] = []
  for (let s = 1; s <= sessions; s++) {
    io.log(`A/A session ${s}/${sessions}: ${config.rounds} rounds × ${runsPerRound(groups)} runs`)
    sets.push(await runCheckRounds(groups, config.rounds, timer.run))
  }
  return { baseline: buildBaseline(sets, cells, config, context, timer.secondsPerRun()), sessions: sets }
}
