// Stage 5 of `bench:check` (run-check.ts): re-measure the suspects in fresh rounds, an independent
// replication (a noise burst has to strike twice), with the same handling of disturbed rounds as
// the first pass, and fail only what those rounds confirm. A suspect the budget leaves no time to
// confirm, or whose confirmation rounds were all disturbed, can be neither confirmed nor cleared:
// it fails as unconfirmed.

import type { CheckSession } from './check-session.js'
import { logRetries, measureRounds, type MeasuredPass } from './measure-rounds.js'
import { groupCells, runsPerRound } from './plan.js'
import type { CheckPlan, PassPlan } from './plan-check.js'
import { remeasureDisturbed } from './remeasure-disturbed.js'
import { setAsideDisturbed, type SettledPass } from './set-aside-disturbed.js'
import { describeRegression, describeSuspicion, isConfirmed, judgeCheckCell, type CheckCellVerdict } from './verdict.js'

export interface Confirmation {
  /** The suspects' verdicts in the confirmation rounds. */
  confirmations: CheckCellVerdict[]
  /** One line per confirmed regression (which cell, which metric, by how much). */
  regressions: string[]
  /** One line per suspect neither confirmed nor cleared; each fails the check. */
  unconfirmed: string[]
  /** One line per suspect whose confirmation could not be measured. */
  failures: string[]
  /** One line per suspect the confirmation cleared (logged, not failed). */
  cleared: string[]
  /** The confirmation pass, when one was measured. */
  pass?: SettledPass
}

const nothing = (): Confirmation => ({ confirmations: [], regressions: [], unconfirmed: [], failures: [], cleared: [] })

/** The confirmation's rounds: config.confirmRounds, or as many as the budget left affords at the
 * seconds per run measured so far (fewer than 2 means no confirmation). Numbered after the first
 * pass and as many extra rounds as it may have had. */
export function planConfirmation(
  suspects: readonly CheckCellVerdict[], first: Pick<MeasuredPass, 'samples'>, plan: Pick<CheckPlan, 'config'>,
  time: { secondsPerRun: number; leftSec: number },
): PassPlan {
  const { config } = plan
  const cells = suspects.map((s) => s.cell)
  const groups = groupCells(cells)
  const perRound = runsPerRound(groups) * time.secondsPerRun
  return {
    name: 'confirmation',
    cells,
    groups,
    rounds: Math.min(config.confirmRounds, Math.floor(time.leftSec / Math.max(perRound, 1e-9))),
    firstRound: 2 * config.rounds + 1,
    maxExtra: config.confirmRounds,
    reserveRuns: 0,
    // The quiet level spans both passes: a confirmation measured while the machine was disturbed
    // would see the model "faster" and wave a real regression through.
    earlier: [first.samples],
  }
}

/** Each suspect against its quiet confirmation rounds. Pure. */
export function judgeConfirmation(suspects: readonly CheckCellVerdict[], confirmation: SettledPass, plan: Pick<CheckPlan, 'baselineOf'>): Confirmation {
  const out: Confirmation = { ...nothing(), pass: confirmation }
  for (const s of suspects) {
    const q = confirmation.quiet.find((c) => c.key === s.key)!
    const again = judgeCheckCell(q.samples, plan.baselineOf.get(s.key)!)
    out.confirmations.push(again)
    if (again.status === 'failed') out.failures.push(`FAILED ${s.key} during confirmation: ${again.failure}`)
    else if (q.quiet === 0) {
      // Disturbed rounds read a slowdown as a speed-up: they can neither confirm nor clear it.
      out.unconfirmed.push(`UNCONFIRMED ${s.key}: looked like a regression (${describeSuspicion(s)}) but node-http never ran at its quiet cost in the ${again.rounds} confirmation rounds (the machine was disturbed throughout), so it could not be cleared`)
    } else if (isConfirmed(s, again)) out.regressions.push(describeRegression(s, again))
    else out.cleared.push(`not confirmed: ${s.key} is within tolerance in the confirmation rounds (noise)`)
  }
  return out
}

export async function confirmSuspects(
  judged: { suspects: readonly CheckCellVerdict[] }, first: Pick<MeasuredPass, 'samples'>, plan: CheckPlan, session: CheckSession,
): Promise<Confirmation> {
  const { suspects } = judged
  if (suspects.length === 0) return nothing()
  const pass = planConfirmation(suspects, first, plan, { secondsPerRun: session.secondsPerRun(), leftSec: session.left() })
  if (pass.rounds < 2) {
    return {
      ...nothing(),
      unconfirmed: suspects.map((s) => `UNCONFIRMED ${s.key}: looked like a regression (${describeSuspicion(s)}) but the ${plan.budgetSec} s budget leaves no time to confirm it`),
    }
  }
  session.log(`suspected: ${suspects.map((s) => s.key).join(', ')}; confirming with ${pass.rounds} fresh rounds`)
  const measured = await remeasureDisturbed(await measureRounds(pass, session), plan.anchors, session)
  logRetries(measured, session.log)
  const verdicts = judgeConfirmation(suspects, setAsideDisturbed(measured, plan.anchors), plan)
  for (const line of verdicts.cleared) session.log(line)
  return verdicts
}
