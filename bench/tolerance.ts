// How much a checked ratio may move before `bench:check` calls it a regression, calibrated from
// repeated A/A sessions of the same build (bench-anchors.md §5: "calibrate it with an A/A run").
//
// Two kinds of noise matter on a shared machine:
// - within a session, round to round: the ratio's coefficient of variation σ/m, with σ a robust
//   estimate (scaled median absolute deviation, pooled over the sessions' own spreads so a shift
//   between sessions is not counted twice): the noise here is heavy-tailed, and the gate judges
//   medians, which a wild round barely moves, so a stdev that one wild round inflates would
//   overstate it. The median of k rounds wanders by about 1.25·σ/√k (the median's asymptotic
//   standard error), and the gate allows 4 of those (a one-sided 4σ event: ~3 in 100,000 per cell
//   for normal noise, before confirmation);
// - between sessions (another tenant arrives, the CPU clocks differ): the largest distance of a
//   session's median from the pooled median, doubled, because a handful of sessions under-samples
//   the worst case.
// The tolerance is the larger of the two, never below a floor (a gate tighter than 4% would flag
// compiler and kernel jitter nobody can act on). Above a ceiling of 15% the metric is marked too
// noisy: a gate that wide could not see the 25% slowdown issue 5 demands it catch, and one capped
// at 15% would fail unchanged code, so such a metric is reported but not gated on
// (check-verdict.ts) until a quieter --update calibrates it again.

import { mean, median, robustStdev } from './stats.js'

export const TOLERANCE_FLOOR = 0.04
export const TOLERANCE_CEILING = 0.15

export interface MetricCalibration {
  /** Median of all A/A samples: the baseline value. */
  median: number
  /** Median of each A/A session. */
  sessionMedians: number[]
  /** Largest |session median / pooled median − 1|. */
  sessionSpread: number
  /** Within-session robust stdev (pooled) / pooled median: round-to-round noise. */
  roundCv: number
  /** Fractional change allowed in the worse direction. */
  tolerance: number
  /** The computed tolerance was above the ceiling: reported, not gated on. */
  tooNoisy: boolean
}

export const TOLERANCE_RULE =
  'tolerance = max(4%, 2 × largest A/A session deviation, 4 × 1.25 × robust roundCV / √rounds); above 15% the metric is advisory'

/** Calibrate one metric of one cell from its A/A sessions (each a list of per-round ratios). */
export function calibrateTolerance(sessions: readonly (readonly number[])[], roundsPerCheck: number): MetricCalibration {
  if (sessions.length < 2) throw new RangeError(`calibrating a tolerance needs at least 2 A/A sessions, got ${sessions.length}`)
  if (sessions.some((s) => s.length < 2)) throw new RangeError('every A/A session needs at least 2 rounds')
  const all = sessions.flat()
  const pooled = median(all)
  const sessionMedians = sessions.map((s) => median(s))
  const sessionSpread = Math.max(...sessionMedians.map((m) => Math.abs(m / pooled - 1)))
  const roundCv = Math.sqrt(mean(sessions.map((s) => robustStdev(s) ** 2))) / Math.abs(pooled)
  const computed = Math.max(2 * sessionSpread, (4 * 1.25 * roundCv) / Math.sqrt(roundsPerCheck))
  const tolerance = Math.min(TOLERANCE_CEILING, Math.max(TOLERANCE_FLOOR, computed))
  return { median: pooled, sessionMedians, sessionSpread, roundCv, tolerance, tooNoisy: computed > TOLERANCE_CEILING }
}
