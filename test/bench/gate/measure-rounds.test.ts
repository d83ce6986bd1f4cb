import { describe, expect, it } from 'vitest'
import { logRetries, measureRounds } from '../../../bench/gate/measure-rounds.js'
import { planCheck } from '../../../bench/gate/plan-check.js'
import type { RunGroupRound } from '../../../bench/gate/rounds.js'
import { baselineFor, hello, passOf, roundsAt, runAt, samplesOf, setOf, staticPage } from '../fixtures/gate-samples.js'

describe('measuring a pass\'s rounds (stage 2)', () => {
  it('measures the planned rounds of every group, numbered from the pass\'s first round, and says which round comes next', async () => {
    const calls: string[] = []
    const run: RunGroupRound = async (group, round, order) => {
      calls.push(`${group.scenario} #${round}`)
      return new Map(order.map((m) => [m, runAt(m === 'node-http' ? 20 : 12)]))
    }
    const pass = { ...planCheck(baselineFor([hello, staticPage]), [hello, staticPage], 300).firstPass, rounds: 2, firstRound: 9 }
    const measured = await measureRounds(pass, { run })
    expect(calls).toEqual(['hello #9', 'static #9', 'hello #10', 'static #10'])
    expect(measured.nextRound).toBe(11)
    expect(measured.samples.get('eventloop|hello|keepalive|16')!.cpu).toEqual([0.6, 0.6])
    expect(measured.samples.get('eventloop|hello|keepalive|16')!.referenceCpuUs).toEqual([20, 20])
  })

  it('lists each round measured twice (a run failed the first time), one line per cell', () => {
    const samples = samplesOf(hello, roundsAt(0.6, [20, 20]))
    samples.retries.push('round 2 measured again after node-http: 3 errors')
    const lines: string[] = []
    logRetries(passOf(setOf(samples, samplesOf(staticPage, roundsAt(0.6, [20, 20])))), (l) => lines.push(l))
    expect(lines).toEqual(['retried: eventloop|hello|keepalive|16 round 2 measured again after node-http: 3 errors'])
  })
})
