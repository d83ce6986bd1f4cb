// Stage 4 of `bench:check` (run-check.ts): judge every cell of the first pass on its quiet rounds
// against the baseline (verdict.ts). A cell past its tolerance becomes a suspect, which only fresh
// rounds can confirm (confirm-suspects.ts). Pure.

import type { CheckPlan } from './plan-check.js'
import type { SettledPass } from './set-aside-disturbed.js'
import { judgeCheckCell, type CheckCellVerdict } from './verdict.js'

export interface FirstPassVerdicts {
  /** One per cell, in the plan's order. */
  verdicts: CheckCellVerdict[]
  /** The cells judged with no quiet round at all: on disturbed rounds, where a slowdown reads as a
   * speed-up, so a pass there may have missed one. */
  blind: string[]
  /** One line per cell that could not be measured or judged. */
  failures: string[]
  /** The verdicts that looked like a regression. */
  suspects: CheckCellVerdict[]
}

export function judgeFirstPass(first: SettledPass, plan: Pick<CheckPlan, 'baselineOf'>): FirstPassVerdicts {
  const blind: string[] = []
  const verdicts = first.quiet.map((q) => {
    const verdict = judgeCheckCell(q.samples, plan.baselineOf.get(q.key)!)
    if (q.quiet === 0 && verdict.status !== 'failed') blind.push(verdict.key)
    return verdict
  })
  return {
    verdicts,
    blind,
    failures: verdicts.filter((v) => v.status === 'failed').map((v) => `FAILED ${v.key}: ${v.failure}`),
    suspects: verdicts.filter((v) => v.status === 'regression'),
  }
}
