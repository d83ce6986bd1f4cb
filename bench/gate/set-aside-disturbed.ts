// Stage 3 of `bench:check` (run-check.ts), and of a confirmation: set aside each cell's rounds that
// were measured while the machine was disturbed (disturbed-rounds.ts: node-http over 1.3× its quiet
// cost), so that what is judged next is the quiet rounds only. Pure.

import type { MeasuredPass } from './measure-rounds.js'
import type { RatioSamples } from './rounds.js'
import { quietLevel, withoutDisturbed } from './disturbed-rounds.js'
import { type CellSpec, cellKey } from '../driver/matrix.js'

/** One cell of a pass, its disturbed rounds set aside. */
export interface QuietCell {
  key: string
  cell: CellSpec
  /** The undisturbed rounds; every round when none was undisturbed (then `quiet` is 0). */
  samples: RatioSamples
  /** How many rounds were undisturbed. */
  quiet: number
  /** One line for the record when any round was set aside (or none was quiet): cell, pass, why. */
  disturbed?: string
}

/** A pass whose cells are ready to be judged. */
export interface SettledPass extends MeasuredPass {
  /** Per cell of the pass, in the pass's order. */
  quiet: QuietCell[]
}

/** The quiet level of a cell: its lowest reference CPU per request in this pass and the earlier
 * ones, or the baseline's (`anchors`) when that is lower. */
export function quietLevelOf(key: string, pass: Pick<MeasuredPass, 'samples' | 'earlier'>, anchors: ReadonlyMap<string, number>): number {
  const sets = [...pass.earlier, pass.samples]
  const own = quietLevel(sets.map((set) => set.get(key)).filter((s): s is RatioSamples => s !== undefined))
  return Math.min(own, anchors.get(key) ?? Infinity)
}

export function setAsideDisturbed(pass: MeasuredPass, anchors: ReadonlyMap<string, number>): SettledPass {
  const quiet = pass.cells.map((cell): QuietCell => {
    const key = cellKey(cell)
    const kept = withoutDisturbed(pass.samples.get(key)!, quietLevelOf(key, pass, anchors))
    return {
      key, cell, samples: kept.samples, quiet: kept.quiet,
      ...(kept.note !== undefined ? { disturbed: `${key} (${pass.name}): ${kept.note}` } : {}),
    }
  })
  return { ...pass, quiet }
}
