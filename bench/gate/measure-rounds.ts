// Stage 2 of `bench:check` (run-check.ts), and the first step of a confirmation: measure a pass's
// planned rounds (rounds.ts: node-http and the models together, a failed round retried once).

import type { CheckSession } from './check-session.js'
import type { PassPlan } from './plan-check.js'
import { runCheckRounds, type SampleSet } from './rounds.js'
import { cellKey } from '../driver/matrix.js'

/** A pass with its rounds measured. */
export interface MeasuredPass extends PassPlan {
  /** The ratios per cell, by cellKey; extra rounds are added to this set (remeasure-disturbed.ts). */
  samples: SampleSet
  /** The number the next round of the pass would get. */
  nextRound: number
}

export async function measureRounds(pass: PassPlan, session: Pick<CheckSession, 'run'>): Promise<MeasuredPass> {
  const samples = await runCheckRounds(pass.groups, pass.rounds, session.run, new Map(), pass.firstRound)
  return { ...pass, samples, nextRound: pass.firstRound + pass.rounds }
}

/** Say which rounds of the pass were measured a second time because a run in them failed; once
 * the pass's measuring is done, so that the extra rounds' retries are listed too. */
export function logRetries(pass: MeasuredPass, log: (line: string) => void): void {
  for (const s of pass.samples.values()) for (const line of s.retries) log(`retried: ${cellKey(s.cell)} ${line}`)
}
