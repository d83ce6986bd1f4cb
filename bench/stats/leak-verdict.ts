// Whether a quantity sampled through a soak (RSS, open fds) looks like a leak: its least-squares
// slope after a warm-up (caches fill, JIT settles, pools open), and whether it still climbs in the
// second half at half that slope or more (a leak climbs steadily; a warm-up levels off). Both must
// hold, and the growth must be enough to matter over the run:
// growth (slope × measured time) of at least `minGrowth` of the fitted level at the start, or at
// least `minAbsolute` units. Pure.

import { leastSquares } from './least-squares.js'

export interface LeakCriteria {
  /** Leading share of the run left out of the fit (default 0.2). */
  warmupFraction: number
  /** Growth over the measured time, as a share of the fitted start level, that counts (e.g. 0.1). */
  minGrowth: number
  /** Growth in units that counts whatever the level (e.g. 5 fds); Infinity: only minGrowth. */
  minAbsolute: number
}

export interface LeakVerdict {
  /** Units per minute over the measured part (after the warm-up); undefined with too few samples. */
  slopePerMin: number | undefined
  /** Units per minute over its second half. */
  secondHalfSlopePerMin: number | undefined
  r2: number | undefined
  /** slope × measured time, in units. */
  growth: number | undefined
  suspected: boolean
  /** One sentence for the report. */
  why: string
}

export function leakVerdict(points: ReadonlyArray<{ atSec: number; value: number }>, criteria: LeakCriteria, unit: string): LeakVerdict {
  const end = points.at(-1)?.atSec ?? 0
  const measured = points.filter((p) => p.atSec >= end * criteria.warmupFraction)
  const fit = leastSquares(measured.map((p) => p.atSec), measured.map((p) => p.value))
  if (fit === undefined || measured.length < 4) {
    return { slopePerMin: undefined, secondHalfSlopePerMin: undefined, r2: undefined, growth: undefined, suspected: false, why: `too few samples after the warm-up (${measured.length}) to fit a slope` }
  }
  const from = measured[0]!.atSec
  const span = measured.at(-1)!.atSec - from
  const middle = from + span / 2
  const second = measured.filter((p) => p.atSec >= middle)
  const secondFit = leastSquares(second.map((p) => p.atSec), second.map((p) => p.value))
  const growth = fit.slope * span
  const level = fit.intercept + fit.slope * from
  const threshold = Math.min(criteria.minGrowth * Math.abs(level), criteria.minAbsolute)
  const big = growth >= threshold && growth > 0
  const stillRising = secondFit !== undefined && secondFit.slope >= 0.5 * fit.slope
  const suspected = big && stillRising
  const amount = `${fmt(growth)} ${unit} over ${fmt(span / 60)} min (${fmt(fit.slope * 60)} ${unit}/min, R² ${fit.r2.toFixed(2)})`
  const why = suspected
    ? `looks like a leak: grew ${amount} and still rising in the second half (${fmt(secondFit!.slope * 60)} ${unit}/min)`
    : big
      ? `no leak seen: grew ${amount}, but levelled off in the second half (${fmt((secondFit?.slope ?? 0) * 60)} ${unit}/min)`
      : `no leak seen: ${amount}, under the ${fmt(threshold)} ${unit} that would count`
  return { slopePerMin: fit.slope * 60, secondHalfSlopePerMin: secondFit === undefined ? undefined : secondFit.slope * 60, r2: fit.r2, growth, suspected, why }
}

function fmt(n: number): string {
  const abs = Math.abs(n)
  return abs >= 100 ? n.toFixed(0) : abs >= 10 ? n.toFixed(1) : n.toFixed(2)
}
