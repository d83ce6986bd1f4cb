import { describe, expect, it } from 'vitest'
import { judgeFirstPass } from '../../../bench/gate/judge-first-pass.js'
import { setAsideDisturbed } from '../../../bench/gate/set-aside-disturbed.js'
import { baselineOf, hello, passOf, roundsAt, samplesOf, setOf, staticPage } from '../fixtures/gate-samples.js'
import type { RatioSamples } from '../../../bench/gate/rounds.js'

const plan = { baselineOf: baselineOf(hello, staticPage) }
const judge = (...samples: RatioSamples[]) => judgeFirstPass(setAsideDisturbed(passOf(setOf(...samples)), new Map([['eventloop|hello|keepalive|16', 20], ['eventloop|static|keepalive|16', 20]])), plan)

describe('judging the first pass (stage 4)', () => {
  it('makes a suspect of a cell past its tolerance on its quiet rounds, and passes one within it', () => {
    // the baseline allows CPU/request 0.6 + 9%: 0.75 is +25%, 0.62 is +3%
    const judged = judge(samplesOf(hello, roundsAt(0.75, [20, 21, 20])), samplesOf(staticPage, roundsAt(0.62, [20, 21, 20])))
    expect(judged.verdicts.map((v) => [v.key, v.status])).toEqual([['eventloop|hello|keepalive|16', 'regression'], ['eventloop|static|keepalive|16', 'pass']])
    expect(judged.suspects.map((v) => v.key)).toEqual(['eventloop|hello|keepalive|16'])
    expect(judged.failures).toEqual([])
    expect(judged.blind).toEqual([])
  })

  it('judges on the quiet rounds only: a slowdown the disturbed rounds read as a speed-up is still suspect', () => {
    const rounds = [{ cpu: 0.75, referenceCpuUs: 20 }, { cpu: 0.5, referenceCpuUs: 34 }, { cpu: 0.5, referenceCpuUs: 34 }, { cpu: 0.76, referenceCpuUs: 21 }]
    expect(judge(samplesOf(hello, rounds)).suspects).toHaveLength(1)
  })

  it('names a cell judged without a single quiet round as blind, but not one that failed', () => {
    const judged = judge(samplesOf(hello, roundsAt(0.5, [34, 35])), samplesOf(staticPage, roundsAt(0.5, [34, 35]), ['round 1: eventloop failed: 404']))
    expect(judged.blind).toEqual(['eventloop|hello|keepalive|16'])
    expect(judged.failures).toEqual(['FAILED eventloop|static|keepalive|16: round 1: eventloop failed: 404'])
    expect(judged.suspects).toEqual([])
  })
})
