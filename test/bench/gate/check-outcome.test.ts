import { describe, expect, it } from 'vitest'
import { checkOutcome } from '../../../bench/gate/check-outcome.js'
import type { Confirmation } from '../../../bench/gate/confirm-suspects.js'
import { judgeFirstPass } from '../../../bench/gate/judge-first-pass.js'
import { setAsideDisturbed } from '../../../bench/gate/set-aside-disturbed.js'
import { baselineOf, hello, passOf, roundsAt, samplesOf, setOf, staticPage } from '../fixtures/gate-samples.js'

const plan = { baselineOf: baselineOf(hello, staticPage) }
// hello: one of three rounds disturbed; static: quiet
const first = setAsideDisturbed(passOf(setOf(samplesOf(hello, roundsAt(0.6, [20, 34, 21])), samplesOf(staticPage, roundsAt(0.6, [20, 21, 20])))), new Map())
const judged = judgeFirstPass(first, plan)
const none: Confirmation = { confirmations: [], regressions: [], unconfirmed: [], failures: [], cleared: [] }
const time = { elapsedSec: 120, secondsPerRun: 6 }

describe('the outcome of a check (stage 6)', () => {
  it('passes with no regression, no unconfirmed suspect and no failure', () => {
    expect(checkOutcome(first, judged, none, time).passed).toBe(true)
    for (const bad of [{ regressions: ['REGRESSION x'] }, { unconfirmed: ['UNCONFIRMED x'] }, { failures: ['FAILED x during confirmation'] }]) {
      expect(checkOutcome(first, judged, { ...none, ...bad }, time).passed).toBe(false)
    }
    expect(checkOutcome(first, { ...judged, failures: ['FAILED x'] }, none, time).passed).toBe(false)
  })

  it('keeps the fields of the check record, in their order (gate-calibration --summarize reads old records by them)', () => {
    expect(Object.keys(checkOutcome(first, judged, none, time))).toEqual(
      ['passed', 'verdicts', 'confirmations', 'regressions', 'unconfirmed', 'failures', 'disturbed', 'blind', 'elapsedSec', 'secondsPerRun', 'samples'])
  })

  it('lists the first pass\'s failures and disturbed rounds before the confirmation\'s, and the samples of both', () => {
    const confirmation = setAsideDisturbed(passOf(setOf(samplesOf(hello, roundsAt(0.6, [20, 40]))), { name: 'confirmation', firstRound: 9 }), new Map())
    const outcome = checkOutcome(first, { ...judged, failures: ['FAILED a'] }, { ...none, failures: ['FAILED b during confirmation'], pass: confirmation }, time)
    expect(outcome.failures).toEqual(['FAILED a', 'FAILED b during confirmation'])
    expect(outcome.disturbed.map((l) => l.split(':')[0])).toEqual(['eventloop|hello|keepalive|16 (first pass)', 'eventloop|hello|keepalive|16 (confirmation)'])
    expect(outcome.samples.first.map((s) => s.cell.scenario)).toEqual(['hello', 'static'])
    expect(outcome.samples.confirmation.map((s) => s.referenceCpuUs)).toEqual([[20, 40]])
    expect(outcome).toMatchObject({ elapsedSec: 120, secondsPerRun: 6 })
  })
})
