import { describe, expect, it } from 'vitest'
import { describeCheckPlan, planCheck } from '../../../bench/gate/plan-check.js'
import { baselineFor, config, hello, staticPage } from '../fixtures/gate-samples.js'

describe('planning a check (stage 1)', () => {
  const baseline = baselineFor([hello, staticPage])

  it('plans the first pass as the configured rounds from round 1, a group per scenario sharing node-http\'s runs', () => {
    const plan = planCheck(baseline, [hello, staticPage], 300)
    expect(plan.firstPass).toMatchObject({ name: 'first pass', cells: [hello, staticPage], rounds: config.rounds, firstRound: 1, maxExtra: config.rounds, earlier: [] })
    expect(plan.firstPass.groups.map((g) => [g.scenario, g.models])).toEqual([['hello', ['eventloop']], ['static', ['eventloop']]])
    expect(plan.baselineOf.get('eventloop|static|keepalive|16')).toBe(baseline.cells[1])
  })

  it('keeps a confirmation\'s worth of server runs (its rounds × 2) out of reach of the first pass\'s extra rounds', () => {
    expect(planCheck(baseline, [hello], 300).firstPass.reserveRuns).toBe(config.confirmRounds * 2)
  })

  it('refuses a cell the baseline does not have, naming it', () => {
    expect(() => planCheck(baselineFor([hello]), [hello, staticPage], 300)).toThrow(/^not in the baseline: eventloop\|static\|keepalive\|16 \(record one with --update\)$/)
  })

  it('lends the baseline\'s node-http cost as a quiet level only on the same kind of machine', () => {
    expect(planCheck(baseline, [hello], 300).anchors.size).toBe(0)
    expect(planCheck(baseline, [hello], 300, { sameMachine: true }).anchors.get('eventloop|hello|keepalive|16')).toBe(20)
  })

  it('states its arithmetic in one line: first-pass runs, what a suspect adds, the budget (plan.ts\'s own example)', () => {
    expect(describeCheckPlan(planCheck(baseline, [hello, staticPage], 300))).toBe(
      'plan: 4 rounds × 4 server runs (node-http + 2 cell(s)) = 16 runs × ~6.5 s = ~104 s; a suspect adds 4 rounds × 2 runs × ~6.5 s = ~52 s; budget 300 s')
  })
})
