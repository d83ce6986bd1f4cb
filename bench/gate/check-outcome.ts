// Stage 6 of `bench:check` (run-check.ts): the outcome, from the first pass, its verdicts and the
// confirmation. `bench:check --out` writes it into the check's record field by field (cli/check.ts),
// and gate-calibration.ts reads those records back: keep the fields, and their order. Pure.

import type { Confirmation } from './confirm-suspects.js'
import type { FirstPassVerdicts } from './judge-first-pass.js'
import type { RatioSamples } from './rounds.js'
import type { SettledPass } from './set-aside-disturbed.js'
import type { CheckCellVerdict } from './verdict.js'

export interface CheckOutcome {
  passed: boolean
  verdicts: CheckCellVerdict[]
  confirmations: CheckCellVerdict[]
  /** One line per confirmed regression (which cell, which metric, by how much). */
  regressions: string[]
  /** One line per suspect that could be neither confirmed nor cleared (no time left, or every
   * confirmation round disturbed); each fails the check, as a suspect the gate cannot clear. */
  unconfirmed: string[]
  /** One line per cell that could not be measured or judged. */
  failures: string[]
  /** One line per cell and pass whose disturbed rounds were left out or measured again for. */
  disturbed: string[]
  /** The cells whose first pass had no quiet round at all: judged on disturbed rounds, where a
   * slowdown reads as a speed-up, so a pass there may have missed one. */
  blind: string[]
  elapsedSec: number
  secondsPerRun: number
  samples: { first: RatioSamples[]; confirmation: RatioSamples[] }
}

export function checkOutcome(
  first: SettledPass, judged: FirstPassVerdicts, confirmed: Confirmation, time: { elapsedSec: number; secondsPerRun: number },
): CheckOutcome {
  const failures = [...judged.failures, ...confirmed.failures]
  const passes = [first, ...(confirmed.pass !== undefined ? [confirmed.pass] : [])]
  return {
    passed: confirmed.regressions.length === 0 && confirmed.unconfirmed.length === 0 && failures.length === 0,
    verdicts: judged.verdicts,
    confirmations: confirmed.confirmations,
    regressions: confirmed.regressions,
    unconfirmed: confirmed.unconfirmed,
    failures,
    disturbed: passes.flatMap((p) => p.quiet.flatMap((q) => (q.disturbed !== undefined ? [q.disturbed] : []))),
    blind: judged.blind,
    elapsedSec: time.elapsedSec,
    secondsPerRun: time.secondsPerRun,
    samples: { first: [...first.samples.values()], confirmation: [...(confirmed.pass?.samples.values() ?? [])] },
  }
}
