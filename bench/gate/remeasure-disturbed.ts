// Stage 3 of `bench:check` (run-check.ts), first half, and of a confirmation: before the disturbed
// rounds are set aside (set-aside-disturbed.ts), while a group has a cell with fewer than
// MIN_QUIET_ROUNDS undisturbed rounds, measure that group again, one round at a time, at most the
// pass's `maxExtra` rounds and only while the budget affords the round and still leaves the pass's
// reserve (disturbed-rounds.ts says why).

import type { CheckSession } from './check-session.js'
import type { MeasuredPass } from './measure-rounds.js'
import { runsPerRound, type CheckGroup } from './plan.js'
import { runCheckRounds } from './rounds.js'
import { MIN_QUIET_ROUNDS, countQuiet } from './disturbed-rounds.js'
import { quietLevelOf } from './set-aside-disturbed.js'
import { cellKey } from '../driver/matrix.js'

/** The groups of the pass with a cell that has too few undisturbed rounds (a cell whose runs
 * failed is not measured again for that: it has failed). */
export function shortGroups(pass: Pick<MeasuredPass, 'groups' | 'samples' | 'earlier'>, anchors: ReadonlyMap<string, number>): CheckGroup[] {
  return pass.groups.filter((g) => g.models.some((model) => {
    const key = cellKey({ model, scenario: g.scenario, mode: g.mode, connections: g.connections })
    const samples = pass.samples.get(key)
    return samples !== undefined && samples.failures.length === 0 && countQuiet(samples, quietLevelOf(key, pass, anchors)) < MIN_QUIET_ROUNDS
  }))
}

/** The pass with its extra rounds added to its samples (the same set) and its next round number. */
export async function remeasureDisturbed(
  pass: MeasuredPass, anchors: ReadonlyMap<string, number>, session: Pick<CheckSession, 'run' | 'log' | 'secondsPerRun' | 'left'>,
): Promise<MeasuredPass> {
  const canAfford = (runs: number): boolean => runs * session.secondsPerRun() <= session.left() - pass.reserveRuns * session.secondsPerRun()
  let nextRound = pass.nextRound
  for (let extra = 0; extra < pass.maxExtra; extra++) {
    const short = shortGroups(pass, anchors)
    if (short.length === 0 || !canAfford(runsPerRound(short))) break
    session.log(`disturbed: measuring ${short.map((g) => g.scenario).join(', ')} again (round ${nextRound}): too few rounds with node-http at its quiet cost`)
    await runCheckRounds(short, 1, session.run, pass.samples, nextRound)
    nextRound++
  }
  return { ...pass, nextRound }
}
