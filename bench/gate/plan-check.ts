// Stage 1 of `bench:check` (run-check.ts): the plan. Which cells, grouped as they share node-http's
// runs, what each is judged against, the quiet levels the baseline lends (disturbed-rounds.ts), and
// the first pass's rounds. Pure: it measures nothing.

import type { Baseline, CellBaseline, CheckConfig } from './baseline.js'
import { groupCells, runsPerRound, type CheckGroup } from './plan.js'
import type { SampleSet } from './rounds.js'
import { type CellSpec, cellKey } from '../driver/matrix.js'

export interface CheckOptions {
  /** The baseline was recorded on this kind of machine (same CPU model, core count and Node): its
   * node-http CPU per request may then serve as the quiet level, so that a check disturbed from
   * its first round to its last is still recognised as disturbed (disturbed-rounds.ts). */
  sameMachine?: boolean
}

/** The rounds of one pass: the first pass, or the confirmation of the suspects (confirm-suspects.ts). */
export interface PassPlan {
  /** How the pass is named in the lines about its disturbed rounds. */
  name: 'first pass' | 'confirmation'
  /** The cells judged on this pass, in the order their verdicts are given. */
  cells: CellSpec[]
  groups: CheckGroup[]
  rounds: number
  /** The number of the pass's first round (rounds are numbered across the whole check). */
  firstRound: number
  /** At most this many extra rounds while a cell has too few quiet ones (remeasure-disturbed.ts). */
  maxExtra: number
  /** Server runs' worth of budget the extra rounds must leave untouched. */
  reserveRuns: number
  /** The sample sets of earlier passes: the quiet level spans them and this pass. */
  earlier: SampleSet[]
}

export interface CheckPlan {
  config: CheckConfig
  budgetSec: number
  /** The baseline's seconds per server run: the estimate the plan line states. */
  secondsPerRunEstimate: number
  /** What each cell is judged against, by cellKey. */
  baselineOf: ReadonlyMap<string, CellBaseline>
  /** The baseline's node-http CPU per request by cellKey, when it may serve as a quiet level. */
  anchors: ReadonlyMap<string, number>
  firstPass: PassPlan
}

/** Plan a check of `cells` against `baseline`; throws for a cell the baseline does not have. */
export function planCheck(baseline: Baseline, cells: readonly CellSpec[], budgetSec: number, options: CheckOptions = {}): CheckPlan {
  const { config } = baseline
  const baselineOf = new Map(baseline.cells.map((c) => [cellKey(c.cell), c]))
  const missing = cells.filter((c) => !baselineOf.has(cellKey(c)))
  if (missing.length > 0) throw new Error(`not in the baseline: ${missing.map(cellKey).join(', ')} (record one with --update)`)
  const anchors = new Map<string, number>()
  if (options.sameMachine === true) for (const c of baseline.cells) anchors.set(cellKey(c.cell), c.absolute.referenceCpuUsPerRequest)
  return {
    config,
    budgetSec,
    secondsPerRunEstimate: baseline.calibration.secondsPerRun,
    baselineOf,
    anchors,
    firstPass: {
      name: 'first pass',
      cells: [...cells],
      groups: groupCells(cells),
      rounds: config.rounds,
      firstRound: 1,
      maxExtra: config.rounds,
      // Extra first-pass rounds may not eat the time a confirmation of one group would need.
      reserveRuns: config.confirmRounds * 2,
      earlier: [],
    },
  }
}

/** The plan's arithmetic in one line: the first pass, what a suspect adds, the budget. */
export function describeCheckPlan(plan: CheckPlan): string {
  const { config, budgetSec, firstPass } = plan
  const estimate = plan.secondsPerRunEstimate
  const firstRuns = config.rounds * runsPerRound(firstPass.groups)
  return `plan: ${config.rounds} rounds × ${runsPerRound(firstPass.groups)} server runs (node-http + ${firstPass.cells.length} cell(s)) = ${firstRuns} runs × ~${estimate.toFixed(1)} s = ~${Math.round(firstRuns * estimate)} s; ` +
    `a suspect adds ${config.confirmRounds} rounds × 2 runs × ~${estimate.toFixed(1)} s = ~${Math.round(config.confirmRounds * 2 * estimate)} s; budget ${budgetSec} s`
}
