// The logic of `bench:check`, apart from the CLI so it can be tested with a fake runner:
// a first pass of rounds, a verdict per cell against the baseline, independent confirmation rounds
// for suspects (within the time budget), and `--update`'s A/A sessions. Rounds measured while the
// machine was disturbed are left out of every verdict, and measured again when too few are left
// (disturbed-rounds.ts).

import { buildBaseline, type Baseline, type CheckConfig } from './baseline.js'
import { groupCells, runsPerRound, type CheckGroup } from './plan.js'
import { runCheckRounds, type RatioSamples, type RunGroupRound, type SampleSet } from './rounds.js'
import { describeRegression, describeSuspicion, isConfirmed, judgeCheckCell, type CheckCellVerdict } from './verdict.js'
import { MIN_QUIET_ROUNDS, countQuiet, quietLevel, withoutDisturbed } from './disturbed-rounds.js'
import type { RunContext } from '../host/run-context.js'
import { describeRun } from '../driver/run-line.js'
import { type CellSpec, cellKey } from '../driver/matrix.js'



export interface GateIo {
  runGroupRound: RunGroupRound
  log: (line: string) => void
  /** Seconds since some fixed point (injectable for tests). */
  clock?: () => number
}

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

const wallClock = (): number => performance.now() / 1000

/** Wrap the round runner to log every server's numbers and keep the mean wall time per server run
 * (a group round of n servers counts as n runs). */
function timed(io: GateIo): { run: RunGroupRound; secondsPerRun: () => number } {
  const clock = io.clock ?? wallClock
  let runs = 0
  let total = 0
  return {
    run: async (group, round, order) => {
      const t0 = clock()
      const results = await io.runGroupRound(group, round, order)
      total += clock() - t0
      runs += order.length
      for (const model of order) {
        const cell = { model, scenario: group.scenario, mode: group.mode, connections: group.connections, repeat: round }
        io.log(`  ${describeRun(cell, results.get(model) ?? { ok: false, failure: 'not measured' })}`)
      }
      return results
    },
    secondsPerRun: () => (runs === 0 ? 0 : total / runs),
  }
}

/** The quiet level of a cell: its lowest reference CPU per request in `sets`, or the baseline's
 * when that is lower and it was recorded on this kind of machine (`anchors`). */
function levelOf(key: string, sets: readonly SampleSet[], anchors: ReadonlyMap<string, number>): number {
  const own = quietLevel(sets.map((set) => set.get(key)).filter((s): s is RatioSamples => s !== undefined))
  return Math.min(own, anchors.get(key) ?? Infinity)
}

/**
 * Rounds of `groups` already in `set` (numbered up to `nextRound − 1`): while a group has a cell
 * with fewer than MIN_QUIET_ROUNDS undisturbed rounds, measure that group again, at most
 * `maxExtra` more rounds and only while `canAfford(runs)` says the budget allows. Returns the next
 * round number.
 */
async function replaceDisturbed(
  groups: readonly CheckGroup[], set: SampleSet, earlier: readonly SampleSet[], anchors: ReadonlyMap<string, number>,
  nextRound: number, maxExtra: number, run: RunGroupRound, canAfford: (runs: number) => boolean, log: (line: string) => void,
): Promise<number> {
  for (let extra = 0; extra < maxExtra; extra++) {
    const short = groups.filter((g) => g.models.some((model) => {
      const key = cellKey({ model, scenario: g.scenario, mode: g.mode, connections: g.connections })
      const samples = set.get(key)
      return samples !== undefined && samples.failures.length === 0 && countQuiet(samples, levelOf(key, [...earlier, set], anchors)) < MIN_QUIET_ROUNDS
    }))
    if (short.length === 0 || !canAfford(runsPerRound(short))) break
    log(`disturbed: measuring ${short.map((g) => g.scenario).join(', ')} again (round ${nextRound}): too few rounds with node-http at its quiet cost`)
    await runCheckRounds(short, 1, run, set, nextRound)
    nextRound++
  }
  return nextRound
}

/** A cell's verdict on its undisturbed rounds (judged against the quiet level of `sets`), and how
 * many rounds were undisturbed. */
function judgeQuiet(
  key: string, set: SampleSet, sets: readonly SampleSet[], anchors: ReadonlyMap<string, number>,
  baseline: Baseline['cells'][number], pass: string, disturbed: string[],
): { verdict: CheckCellVerdict; quiet: number } {
  const quiet = withoutDisturbed(set.get(key)!, levelOf(key, sets, anchors))
  if (quiet.note !== undefined) disturbed.push(`${key} (${pass}): ${quiet.note}`)
  return { verdict: judgeCheckCell(quiet.samples, baseline), quiet: quiet.quiet }
}

export interface CheckOptions {
  /** The baseline was recorded on this kind of machine (same CPU model, core count and Node): its
   * node-http CPU per request may then serve as the quiet level, so that a check disturbed from
   * its first round to its last is still recognised as disturbed (disturbed-rounds.ts). */
  sameMachine?: boolean
}

/** Whether `baseline` was recorded on the machine kind `context` describes. */
export function sameMachineKind(baseline: Baseline, context: RunContext): boolean {
  const a = baseline.context
  return a.machine.cpuModel === context.machine.cpuModel && a.machine.cores === context.machine.cores && a.node === context.node
}

export async function runCheck(
  baseline: Baseline, cells: readonly CellSpec[], budgetSec: number, io: GateIo, options: CheckOptions = {},
): Promise<CheckOutcome> {
  const clock = io.clock ?? wallClock
  const started = clock()
  const { config } = baseline
  const byKey = new Map(baseline.cells.map((c) => [cellKey(c.cell), c]))
  const missing = cells.filter((c) => !byKey.has(cellKey(c)))
  if (missing.length > 0) throw new Error(`not in the baseline: ${missing.map(cellKey).join(', ')} (record one with --update)`)
  const groups = groupCells(cells)
  const firstRuns = config.rounds * runsPerRound(groups)
  const estimate = baseline.calibration.secondsPerRun
  io.log(`plan: ${config.rounds} rounds × ${runsPerRound(groups)} server runs (node-http + ${cells.length} cell(s)) = ${firstRuns} runs × ~${estimate.toFixed(1)} s = ~${Math.round(firstRuns * estimate)} s; ` +
    `a suspect adds ${config.confirmRounds} rounds × 2 runs × ~${estimate.toFixed(1)} s = ~${Math.round(config.confirmRounds * 2 * estimate)} s; budget ${budgetSec} s`)

  const anchors = new Map<string, number>()
  if (options.sameMachine === true) for (const c of baseline.cells) anchors.set(cellKey(c.cell), c.absolute.referenceCpuUsPerRequest)
  const timer = timed(io)
  const left = (): number => budgetSec - (clock() - started)
  const disturbed: string[] = []
  const first = await runCheckRounds(groups, config.rounds, timer.run)
  // Extra first-pass rounds may not eat the time a confirmation of one group would need.
  const confirmReserve = (): number => config.confirmRounds * 2 * timer.secondsPerRun()
  await replaceDisturbed(groups, first, [], anchors, config.rounds + 1, config.rounds, timer.run,
    (runs) => runs * timer.secondsPerRun() <= left() - confirmReserve(), io.log)
  for (const s of first.values()) for (const line of s.retries) io.log(`retried: ${cellKey(s.cell)} ${line}`)
  const blind: string[] = []
  const verdicts = cells.map((c) => {
    const { verdict, quiet } = judgeQuiet(cellKey(c), first, [first], anchors, byKey.get(cellKey(c))!, 'first pass', disturbed)
    if (quiet === 0 && verdict.status !== 'failed') blind.push(verdict.key)
    return verdict
  })
  const failures = verdicts.filter((v) => v.status === 'failed').map((v) => `FAILED ${v.key}: ${v.failure}`)
  const suspects = verdicts.filter((v) => v.status === 'regression')

  const confirmations: CheckCellVerdict[] = []
  const regressions: string[] = []
  const unconfirmed: string[] = []
  let confirmation: SampleSet = new Map()
  if (suspects.length > 0) {
    const confirmGroups: CheckGroup[] = groupCells(suspects.map((s) => s.cell))
    const perRound = runsPerRound(confirmGroups) * timer.secondsPerRun()
    const rounds = Math.min(config.confirmRounds, Math.floor(left() / Math.max(perRound, 1e-9)))
    if (rounds < 2) {
      for (const s of suspects) {
        unconfirmed.push(`UNCONFIRMED ${s.key}: looked like a regression (${describeSuspicion(s)}) but the ${budgetSec} s budget leaves no time to confirm it`)
      }
    } else {
      io.log(`suspected: ${suspects.map((s) => s.key).join(', ')}; confirming with ${rounds} fresh rounds`)
      const firstConfirmRound = 2 * config.rounds + 1
      confirmation = await runCheckRounds(confirmGroups, rounds, timer.run, new Map(), firstConfirmRound)
      // The quiet level spans both passes: a confirmation measured while the machine was disturbed
      // would see the model "faster" and wave a real regression through.
      await replaceDisturbed(confirmGroups, confirmation, [first], anchors, firstConfirmRound + rounds, config.confirmRounds, timer.run,
        (runs) => runs * timer.secondsPerRun() <= left(), io.log)
      for (const s of confirmation.values()) for (const line of s.retries) io.log(`retried: ${cellKey(s.cell)} ${line}`)
      for (const s of suspects) {
        const { verdict: again, quiet } = judgeQuiet(s.key, confirmation, [first, confirmation], anchors, byKey.get(s.key)!, 'confirmation', disturbed)
        confirmations.push(again)
        if (again.status === 'failed') failures.push(`FAILED ${s.key} during confirmation: ${again.failure}`)
        else if (quiet === 0) {
          // Disturbed rounds read a slowdown as a speed-up: they can neither confirm nor clear it.
          unconfirmed.push(`UNCONFIRMED ${s.key}: looked like a regression (${describeSuspicion(s)}) but node-http never ran at its quiet cost in the ${again.rounds} confirmation rounds (the machine was disturbed throughout), so it could not be cleared`)
        } else if (isConfirmed(s, again)) regressions.push(describeRegression(s, again))
        else io.log(`not confirmed: ${s.key} is within tolerance in the confirmation rounds (noise)`)
      }
    }
  }
  return {
    passed: regressions.length === 0 && unconfirmed.length === 0 && failures.length === 0,
    verdicts,
    confirmations,
    regressions,
    unconfirmed,
    failures,
    disturbed,
    blind,
    elapsedSec: clock() - started,
    secondsPerRun: timer.secondsPerRun(),
    samples: { first: [...first.values()], confirmation: [...confirmation.values()] },
  }
}

/** `--update`: several A/A sessions of this build, each the size of one check, calibrate the
 * tolerances (tolerance.ts) and become the new baseline. */
export async function recordBaseline(
  cells: readonly CellSpec[], config: CheckConfig, sessions: number, context: RunContext, io: GateIo,
): Promise<{ baseline: Baseline; sessions: SampleSet[] }> {
  const groups = groupCells(cells)
  const timer = timed(io)
  const sets: SampleSet[] = []
  for (let s = 1; s <= sessions; s++) {
    io.log(`A/A session ${s}/${sessions}: ${config.rounds} rounds × ${runsPerRound(groups)} runs`)
    sets.push(await runCheckRounds(groups, config.rounds, timer.run))
  }
  return { baseline: buildBaseline(sets, cells, config, context, timer.secondsPerRun()), sessions: sets }
}
