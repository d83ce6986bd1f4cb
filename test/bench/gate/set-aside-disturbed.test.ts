import { describe, expect, it } from 'vitest'
import { quietLevelOf, setAsideDisturbed } from '../../../bench/gate/set-aside-disturbed.js'
import { hello, passOf, roundsAt, samplesOf, setOf, staticPage } from '../fixtures/gate-samples.js'

describe('setting the disturbed rounds aside (stage 3, second half)', () => {
  it('keeps per cell the rounds where node-http cost at most 1.3× its quietest, and says per cell and pass what it left out', () => {
    const helloRounds = [{ cpu: 0.6, referenceCpuUs: 20 }, { cpu: 0.45, referenceCpuUs: 34 }, { cpu: 0.62, referenceCpuUs: 26 }]
    const settled = setAsideDisturbed(passOf(setOf(samplesOf(hello, helloRounds), samplesOf(staticPage, roundsAt(0.6, [20, 21])))), new Map())
    const [h, s] = settled.quiet
    expect(h).toMatchObject({ key: 'eventloop|hello|keepalive|16', quiet: 2 })
    expect(h!.samples.cpu).toEqual([0.6, 0.62])
    expect(h!.disturbed).toMatch(/^eventloop\|hello\|keepalive\|16 \(first pass\): left out 1 of 3 rounds as disturbed \(node-http µs CPU\/request 20\.0, 34\.0, 26\.0; quiet ≤ 26\.0\)$/)
    expect(s).toMatchObject({ key: 'eventloop|static|keepalive|16', quiet: 2 })
    expect(s!.disturbed).toBeUndefined()
  })

  it('keeps every round of a cell with no quiet one, and says it was judged on all of them', () => {
    const settled = setAsideDisturbed(passOf(setOf(samplesOf(hello, roundsAt(0.45, [34, 35]))), { name: 'confirmation' }), new Map([['eventloop|hello|keepalive|16', 20]]))
    expect(settled.quiet[0]!.quiet).toBe(0)
    expect(settled.quiet[0]!.samples.cpu).toEqual([0.45, 0.45])
    expect(settled.quiet[0]!.disturbed).toMatch(/^eventloop\|hello\|keepalive\|16 \(confirmation\): no round of 2 undisturbed .*judged on all of them$/)
  })

  it('takes the quiet level from this pass, the earlier ones and the baseline of this kind of machine, whichever is lowest', () => {
    const pass = passOf(setOf(samplesOf(hello, roundsAt(0.6, [30, 33]))))
    const key = 'eventloop|hello|keepalive|16'
    expect(quietLevelOf(key, pass, new Map())).toBe(30)
    expect(quietLevelOf(key, { ...pass, earlier: [setOf(samplesOf(hello, roundsAt(0.6, [25])))] }, new Map())).toBe(25)
    expect(quietLevelOf(key, pass, new Map([[key, 21]]))).toBe(21)
    expect(quietLevelOf(key, pass, new Map([[key, 40]]))).toBe(30)
  })
})
