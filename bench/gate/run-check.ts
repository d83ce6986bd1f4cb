// The logic of `bench:check`, apart from the CLI so it can be tested with a fake runner, as a
// pipeline: each stage takes what the one before gave, and lives in a file named after it.
//   plan → measure the first pass's rounds → measure again while a cell has too few quiet rounds
//   (within the budget) → set the disturbed rounds aside → judge → confirm the suspects in fresh
//   rounds (the same three steps, then judged again) → the outcome.
// Rounds measured while the machine was disturbed are left out of every verdict (disturbed-rounds.ts).
// Also here: `--update`'s A/A sessions, which measure the same way without judging.

import { buildBaseline, type Baseline, type CheckConfig } from './baseline.js'
import { checkSession, type GateIo } from './check-session.js'
import { checkOutcome, type CheckOutcome } from './check-outcome.js'
import { confirmSuspects } from './confirm-suspects.js'
import { judgeFirstPass } from './judge-first-pass.js'
import { logRetries, measureRounds } from './measure-rounds.js'
import { groupCells, runsPerRound } from './plan.js'
import { describeCheckPlan, planCheck, type CheckOptions } from './plan-check.js'
import { remeasureDisturbed } from './remeasure-disturbed.js'
import { runCheckRounds, type SampleSet } from './rounds.js'
import { setAsideDisturbed } from './set-aside-disturbed.js'
import type { RunContext } from '../host/run-context.js'
import type { CellSpec } from '../driver/matrix.js'

export type { GateIo } from './check-session.js'
export type { CheckOutcome } from './check-outcome.js'
export type { CheckOptions } from './plan-check.js'

export async function runCheck(
  baseline: Baseline, cells: readonly CellSpec[], budgetSec: number, io: GateIo, options: CheckOptions = {},
): Promise<CheckOutcome> {
  const session = checkSession(io, budgetSec)
  const plan = planCheck(baseline, cells, budgetSec, options)
  io.log(describeCheckPlan(plan))
  const measured = await measureRounds(plan.firstPass, session)
  const topped = await remeasureDisturbed(measured, plan.anchors, session)
  logRetries(topped, io.log)
  const first = setAsideDisturbed(topped, plan.anchors)
  const judged = judgeFirstPass(first, plan)
  const confirmed = await confirmSuspects(judged, first, plan, session)
  return checkOutcome(first, judged, confirmed, { elapsedSec: session.elapsed(), secondsPerRun: session.secondsPerRun() })
}

/** Whether `baseline` was recorded on the machine kind `context` describes. */
export function sameMachineKind(baseline: Baseline, context: RunContext): boolean {
  const a = baseline.context
  return a.machine.cpuModel === context.machine.cpuModel && a.machine.cores === context.machine.cores && a.node === context.node
}

/** `--update`: several A/A sessions of this build, each the size of one check, calibrate the
 * tolerances (tolerance.ts) and become the new baseline. */
export async function recordBaseline(
  cells: readonly CellSpec[], config: CheckConfig, sessions: number, context: RunContext, io: GateIo,
): Promise<{ baseline: Baseline; sessions: SampleSet[] }> {
  const groups = groupCells(cells)
  const session = checkSession(io)
  const sets: SampleSet[] = []
  for (let s = 1; s <= sessions; s++) {
    io.log(`A/A session ${s}/${sessions}: ${config.rounds} rounds × ${runsPerRound(groups)} runs`)
    sets.push(await runCheckRounds(groups, config.rounds, session.run))
  }
  return { baseline: buildBaseline(sets, cells, config, context, session.secondsPerRun()), sessions: sets }
}
