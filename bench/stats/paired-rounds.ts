// Ratios taken round by round: in each interleaved round a model and the reference ran minutes
// apart at most, under the same neighbours, so model ÷ reference in that round cancels what
// slowed both (the eventloop-vs-node-http study found paired ratios far steadier than ratios of
// medians). Rounds where the reference itself ran dear (the machine was disturbed, and a
// disturbance does not slow every server alike) are set aside; the rest give a median ratio and
// its spread, and a spread past the A/A floor marks the ratio noisy. Pure functions.

import { A_A_FLOOR, DISTURBED_ABOVE } from './noise-rules.js'
import { median } from './descriptive.js'

/** One round of one model next to the reference in the same round. */
export interface RoundPair {
  round: number
  modelRps: number
  referenceRps: number
  /** Server CPU µs per request, whole process tree; NaN when unknown. */
  modelCpuUs: number
  referenceCpuUs: number
}

export interface RatioSpread {
  median: number
  min: number
  max: number
  /** Per quiet round, in round order. */
  perRound: number[]
  /** Some quiet round strays from the median by more than the A/A floor. */
  noisy: boolean
}

export interface PairedRatios {
  /** model req/s ÷ reference req/s. */
  throughput: RatioSpread
  /** model CPU per request ÷ reference CPU per request (lower is cheaper); absent when CPU is unknown. */
  cpu?: RatioSpread
  /** Rounds kept and rounds set aside as disturbed. */
  quietRounds: number[]
  disturbedRounds: number[]
  /** No round was quiet, so all were used: the ratio may lean towards "faster". */
  judgedOnDisturbed: boolean
}

/** The quiet level of a group: the reference's lowest CPU per request over its rounds (Infinity when none). */
export function quietLevel(referenceCpuUs: readonly number[]): number {
  let level = Infinity
  for (const us of referenceCpuUs) if (us > 0 && us < level) level = us
  return level
}

/** Whether a round whose reference cost `cpuUs` was disturbed at quiet level `level`. */
export const isDisturbed = (cpuUs: number, level: number): boolean => Number.isFinite(level) && cpuUs > level * (1 + DISTURBED_ABOVE)

/**
 * Whether a group that planned `planned` rounds and has measured `referenceCpuUs.length` of them
 * (the reference's CPU per request in each) should measure one more: some were disturbed, so fewer
 * than `planned` are quiet, and fewer than planned − 1 extra rounds ran (the cap that bounds a run
 * on a machine that stays disturbed). No reference figures: no extra round.
 */
export function needsExtraRound(referenceCpuUs: readonly number[], planned: number): boolean {
  const measured = referenceCpuUs.length
  if (measured === 0 || measured >= 2 * planned - 1) return false
  const level = quietLevel(referenceCpuUs)
  return referenceCpuUs.filter((us) => !isDisturbed(us, level)).length < planned
}

function spread(values: readonly number[], floor: number): RatioSpread {
  const m = median(values)
  return {
    median: m,
    min: Math.min(...values),
    max: Math.max(...values),
    perRound: [...values],
    noisy: values.some((v) => Math.abs(v / m - 1) > floor),
  }
}

/**
 * Paired ratios of one model against the reference over `pairs` (one per round, at least one).
 * `level` is the quiet level to judge disturbance against (default: the lowest reference cost in
 * these pairs; a run passes the group's level so every model is judged on the same rounds).
 */
export function pairedRatios(pairs: readonly RoundPair[], level = quietLevel(pairs.map((p) => p.referenceCpuUs))): PairedRatios {
  if (pairs.length === 0) throw new Error('pairedRatios needs at least one round')
  const quiet = pairs.filter((p) => !isDisturbed(p.referenceCpuUs, level))
  const used = quiet.length > 0 ? quiet : pairs
  const result: PairedRatios = {
    throughput: spread(used.map((p) => p.modelRps / p.referenceRps), A_A_FLOOR.throughput),
    quietRounds: quiet.map((p) => p.round),
    disturbedRounds: pairs.filter((p) => isDisturbed(p.referenceCpuUs, level)).map((p) => p.round),
    judgedOnDisturbed: quiet.length === 0,
  }
  const withCpu = used.filter((p) => p.modelCpuUs > 0 && p.referenceCpuUs > 0)
  if (withCpu.length === used.length) result.cpu = spread(withCpu.map((p) => p.modelCpuUs / p.referenceCpuUs), A_A_FLOOR.cpu)
  return result
}
