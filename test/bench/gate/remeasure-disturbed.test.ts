import { describe, expect, it } from 'vitest'
import { remeasureDisturbed, shortGroups } from '../../../bench/gate/remeasure-disturbed.js'
import type { RunGroupRound } from '../../../bench/gate/rounds.js'
import { hello, passOf, roundsAt, runAt, samplesOf, setOf, staticPage } from '../fixtures/gate-samples.js'

const QUIET = 20
const DISTURBED = 40 // node-http at 2× its quiet cost, as a neighbour made it (disturbed-rounds.ts)

/** A runner where node-http costs what `referenceCpuUs(round)` says and eventloop 0.6 × that. */
function runner(referenceCpuUs: (round: number) => number) {
  const calls: string[] = []
  const run: RunGroupRound = async (group, round, order) => {
    calls.push(`${group.scenario} #${round}`)
    return new Map(order.map((m) => [m, runAt((m === 'node-http' ? 1 : 0.6) * referenceCpuUs(round))]))
  }
  return { calls, run }
}

function session(run: RunGroupRound, left = 300, secondsPerRun = 5) {
  const lines: string[] = []
  return { lines, run, log: (l: string) => lines.push(l), left: () => left, secondsPerRun: () => secondsPerRun }
}

// hello: one quiet round of four; static: all four quiet
const firstPass = () => passOf(setOf(samplesOf(hello, roundsAt(0.6, [DISTURBED, DISTURBED, QUIET, DISTURBED])), samplesOf(staticPage, roundsAt(0.6, [QUIET, QUIET, QUIET, QUIET]))))

describe('measuring again while a cell has too few quiet rounds (stage 3, first half)', () => {
  it('measures again only the group short of two quiet rounds, a round at a time, numbered on, until it has them', async () => {
    const { calls, run } = runner((round) => (round === 5 ? DISTURBED : QUIET))
    const s = session(run)
    const pass = await remeasureDisturbed(firstPass(), new Map(), s)
    expect(calls).toEqual(['hello #5', 'hello #6'])
    expect(s.lines).toEqual([
      'disturbed: measuring hello again (round 5): too few rounds with node-http at its quiet cost',
      'disturbed: measuring hello again (round 6): too few rounds with node-http at its quiet cost',
    ])
    expect(pass.nextRound).toBe(7)
    expect(pass.samples.get('eventloop|hello|keepalive|16')!.referenceCpuUs).toEqual([DISTURBED, DISTURBED, QUIET, DISTURBED, DISTURBED, QUIET])
  })

  it('gives up after the pass\'s most extra rounds when the machine stays disturbed', async () => {
    const { calls, run } = runner(() => DISTURBED)
    const pass = await remeasureDisturbed({ ...firstPass(), maxExtra: 3 }, new Map(), session(run))
    expect(calls).toEqual(['hello #5', 'hello #6', 'hello #7'])
    expect(pass.nextRound).toBe(8)
  })

  it('measures no extra round that would eat into the reserve the pass keeps for a confirmation', async () => {
    const { calls, run } = runner(() => QUIET)
    // one hello round = 2 runs × 5 s = 10 s; 30 s left
    await remeasureDisturbed({ ...firstPass(), reserveRuns: 5 }, new Map(), session(run, 30)) // 10 > 30 − 25
    expect(calls).toEqual([])
    await remeasureDisturbed({ ...firstPass(), reserveRuns: 4 }, new Map(), session(run, 30)) // 10 ≤ 30 − 20
    expect(calls).toEqual(['hello #5'])
  })

  it('does not measure again for a cell whose runs failed (it has failed, not been disturbed)', () => {
    const broken = samplesOf(hello, roundsAt(0.6, [DISTURBED, DISTURBED, QUIET]), ['round 1: eventloop failed: 404'])
    expect(shortGroups(passOf(setOf(broken)), new Map())).toEqual([])
  })

  it('sees a pass disturbed throughout as short only against a lower quiet level: the baseline\'s, or an earlier pass\'s', () => {
    const alike = passOf(setOf(samplesOf(hello, roundsAt(0.6, [33, 34, 35, 36]))))
    expect(shortGroups(alike, new Map())).toEqual([])
    expect(shortGroups(alike, new Map([['eventloop|hello|keepalive|16', QUIET]])).map((g) => g.scenario)).toEqual(['hello'])
    const earlier = setOf(samplesOf(hello, roundsAt(0.6, [QUIET])))
    expect(shortGroups({ ...alike, earlier: [earlier] }, new Map()).map((g) => g.scenario)).toEqual(['hello'])
  })
})
