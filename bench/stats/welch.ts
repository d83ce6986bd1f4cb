// Welch's two-sample t-test (unequal variances), the test R's t.test() runs by default and Node's
// benchmark/compare.R applies to every configuration. Reports the difference current − base, its
// confidence interval, and the same interval as a ratio current/base (compare.R's "improvement"
// interval: the difference's bounds divided by the base mean).

import { mean, variance } from './descriptive.js'
import { studentTQuantile, studentTTwoSidedP } from './student-t.js'

export interface WelchResult {
  baseMean: number
  currentMean: number
  /** current − base */
  difference: number
  t: number
  /** Welch–Satterthwaite degrees of freedom. */
  df: number
  /** Two-sided p-value. */
  p: number
  /** Confidence level of the intervals, e.g. 0.99. */
  level: number
  differenceCi: [low: number, high: number]
  /** current/base, point estimate (ratio of means) and interval. */
  ratio: number
  ratioCi: [low: number, high: number]
}

export function welchTTest(base: readonly number[], current: readonly number[], level = 0.95): WelchResult {
  if (base.length < 2 || current.length < 2) {
    throw new RangeError(`Welch's t-test needs at least 2 samples per side, got ${base.length} and ${current.length}`)
  }
  if (!(level > 0 && level < 1)) throw new RangeError(`confidence level must be in (0, 1), got ${level}`)
  const baseMean = mean(base)
  const currentMean = mean(current)
  if (baseMean === 0) throw new RangeError("Welch's t-test: the base mean is 0, a ratio to it means nothing")
  const vb = variance(base) / base.length
  const vc = variance(current) / current.length
  const difference = currentMean - baseMean
  const se = Math.sqrt(vb + vc)
  let t: number
  let df: number
  let p: number
  let half: number
  if (se === 0) {
    // Both samples constant: either identical (no evidence of change) or certainly different.
    t = difference === 0 ? 0 : Math.sign(difference) * Number.POSITIVE_INFINITY
    df = base.length + current.length - 2
    p = difference === 0 ? 1 : 0
    half = 0
  } else {
    t = difference / se
    df = (vb + vc) ** 2 / (vb ** 2 / (base.length - 1) + vc ** 2 / (current.length - 1))
    p = studentTTwoSidedP(t, df)
    half = studentTQuantile(1 - (1 - level) / 2, df) * se
  }
  const differenceCi: [number, number] = [difference - half, difference + half]
  return {
    baseMean,
    currentMean,
    difference,
    t,
    df,
    p,
    level,
    differenceCi,
    ratio: currentMean / baseMean,
    ratioCi: [1 + differenceCi[0] / baseMean, 1 + differenceCi[1] / baseMean],
  }
}
