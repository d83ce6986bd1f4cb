import { describe, expect, it } from 'vitest'
import type { CheckSession } from '../../../bench/gate/check-session.js'
import { confirmSuspects, judgeConfirmation, planConfirmation } from '../../../bench/gate/confirm-suspects.js'
import { planCheck } from '../../../bench/gate/plan-check.js'
import type { RatioSamples } from '../../../bench/gate/rounds.js'
import { setAsideDisturbed } from '../../../bench/gate/set-aside-disturbed.js'
import { judgeCheckCell } from '../../../bench/gate/verdict.js'
import { baselineFor, cellBaseline, config, hello, passOf, roundsAt, runAt, samplesOf, setOf, staticPage } from '../fixtures/gate-samples.js'

const plan = planCheck(baselineFor([hello, staticPage]), [hello, staticPage], 300)
// a first pass in which hello read +25% CPU per request (tolerance 9%) at the baseline's req/s ratio
const first = passOf(setOf(samplesOf(hello, roundsAt(0.75, [20, 21, 20, 20]).map((r) => ({ ...r, throughput: 1 / 0.6 })))))
const suspect = judgeCheckCell(first.samples.get('eventloop|hello|keepalive|16')!, cellBaseline(hello))

function confirmedOn(samples: RatioSamples) {
  const pass = passOf(setOf(samples), { name: 'confirmation', firstRound: 9, earlier: [first.samples] })
  return judgeConfirmation([suspect], setAsideDisturbed(pass, plan.anchors), plan)
}

describe('confirming the suspects (stage 5)', () => {
  it('starts from a first pass with a suspect', () => {
    expect(suspect.status).toBe('regression')
  })

  it('plans the configured confirmation rounds, numbered after the first pass and its extra rounds, when the budget affords them', () => {
    const pass = planConfirmation([suspect], first, plan, { secondsPerRun: 6, leftSec: 200 })
    expect(pass).toMatchObject({ name: 'confirmation', cells: [hello], rounds: config.confirmRounds, firstRound: 2 * config.rounds + 1, maxExtra: config.confirmRounds, reserveRuns: 0 })
    expect(pass.earlier).toEqual([first.samples]) // the quiet level spans both passes
  })

  it('plans only as many rounds as the budget left affords', () => {
    // a round of one group: node-http + eventloop = 2 runs × 6 s = 12 s
    expect(planConfirmation([suspect], first, plan, { secondsPerRun: 6, leftSec: 35 }).rounds).toBe(2)
    expect(planConfirmation([suspect], first, plan, { secondsPerRun: 6, leftSec: 23 }).rounds).toBe(1)
  })

  it('confirms a regression when the same metric is past its tolerance again in quiet rounds', () => {
    const out = confirmedOn(samplesOf(hello, roundsAt(0.74, [20, 20, 21, 20])))
    expect(out.regressions).toHaveLength(1)
    expect(out.regressions[0]).toMatch(/^REGRESSION eventloop hello keepalive c=16: server CPU per request relative to node-http \+25\.0% \(confirmation \+23\.3%/)
    expect(out.confirmations.map((v) => v.status)).toEqual(['regression'])
  })

  it('clears a suspect the quiet confirmation rounds put within tolerance (noise), with a line saying so', () => {
    const out = confirmedOn(samplesOf(hello, roundsAt(0.61, [20, 20, 21, 20])))
    expect(out.regressions).toEqual([])
    expect(out.unconfirmed).toEqual([])
    expect(out.cleared).toEqual(['not confirmed: eventloop|hello|keepalive|16 is within tolerance in the confirmation rounds (noise)'])
  })

  it('fails as unconfirmed a suspect whose confirmation rounds were all disturbed: they read a slowdown as a speed-up', () => {
    const out = confirmedOn(samplesOf(hello, roundsAt(0.5, [34, 35, 36, 34])))
    expect(out.cleared).toEqual([])
    expect(out.unconfirmed).toHaveLength(1)
    expect(out.unconfirmed[0]).toMatch(/^UNCONFIRMED eventloop\|hello\|keepalive\|16: looked like a regression \(CPU\/request ÷ node-http \+25\.0%, allowed \+9\.0% in the first pass\) but node-http never ran at its quiet cost in the 4 confirmation rounds/)
  })

  it('fails a suspect whose confirmation runs failed, naming the confirmation', () => {
    const out = confirmedOn(samplesOf(hello, [], ['round 9: eventloop failed: 404']))
    expect(out.failures).toEqual(['FAILED eventloop|hello|keepalive|16 during confirmation: round 9: eventloop failed: 404'])
  })

  it('measures only the suspects\' groups in rounds numbered after the first pass, and logs the suspects and what it cleared', async () => {
    const calls: string[] = []
    const lines: string[] = []
    const session: CheckSession = {
      run: async (group, round, order) => {
        calls.push(`${group.scenario} #${round}`)
        return new Map(order.map((m) => [m, runAt(m === 'node-http' ? 20 : 12)]))
      },
      log: (l) => lines.push(l), secondsPerRun: () => 6, left: () => 200, elapsed: () => 100,
    }
    const out = await confirmSuspects({ suspects: [suspect] }, first, plan, session)
    expect(calls).toEqual(['hello #9', 'hello #10', 'hello #11', 'hello #12'])
    expect(lines).toEqual([
      'suspected: eventloop|hello|keepalive|16; confirming with 4 fresh rounds',
      'not confirmed: eventloop|hello|keepalive|16 is within tolerance in the confirmation rounds (noise)',
    ])
    expect(out.pass?.samples.get('eventloop|hello|keepalive|16')?.cpu).toEqual([0.6, 0.6, 0.6, 0.6])
  })

  it('fails every suspect as unconfirmed, measuring nothing, when fewer than two rounds fit the budget', async () => {
    const session: CheckSession = {
      run: async () => { throw new Error('must not measure') },
      log: () => { throw new Error('must not log') },
      secondsPerRun: () => 6, left: () => 20, elapsed: () => 280,
    }
    const out = await confirmSuspects({ suspects: [suspect] }, first, plan, session)
    expect(out.unconfirmed).toEqual(['UNCONFIRMED eventloop|hello|keepalive|16: looked like a regression (CPU/request ÷ node-http +25.0%, allowed +9.0% in the first pass) but the 300 s budget leaves no time to confirm it'])
    expect(out.pass).toBeUndefined()
    expect(await confirmSuspects({ suspects: [] }, first, plan, session)).toMatchObject({ confirmations: [], unconfirmed: [], regressions: [] })
  })
})
