// Student's t distribution: the CDF from the regularized incomplete beta function, the quantile by
// bisection on the CDF. Enough for Welch's test (p-values) and its confidence intervals.

import { regularizedIncompleteBeta } from './incomplete-beta.js'

function requireDf(df: number): void {
  if (!(df > 0)) throw new RangeError(`Student t: degrees of freedom must be > 0, got ${df}`)
}

/** P(T ≤ t) for T ~ t(df). */
export function studentTCdf(t: number, df: number): number {
  requireDf(df)
  if (Number.isNaN(t)) throw new RangeError('studentTCdf: t is NaN')
  if (t === Number.POSITIVE_INFINITY) return 1
  if (t === Number.NEGATIVE_INFINITY) return 0
  // P(|T| > |t|) = I_{df/(df+t²)}(df/2, 1/2)
  const tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5)
  return t > 0 ? 1 - tail : tail
}

/** Two-sided p-value: P(|T| ≥ |t|). Computed from the tail directly so tiny p-values keep their
 * precision (1 − cdf would round them to 0). */
export function studentTTwoSidedP(t: number, df: number): number {
  requireDf(df)
  if (Number.isNaN(t)) throw new RangeError('studentTTwoSidedP: t is NaN')
  if (!Number.isFinite(t)) return 0
  return regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5)
}

/** The t with P(T ≤ t) = p, for 0 < p < 1. */
export function studentTQuantile(p: number, df: number): number {
  requireDf(df)
  if (!(p > 0 && p < 1)) throw new RangeError(`studentTQuantile: p must be in (0, 1), got ${p}`)
  if (p === 0.5) return 0
  // The distribution is symmetric: solve for the upper tail and mirror.
  const upper = p > 0.5 ? p : 1 - p
  let lo = 0
  let hi = 1
  while (studentTCdf(hi, df) < upper) {
    lo = hi
    hi *= 2
    if (hi > 1e12) break
  }
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, hi); i++) {
    const mid = (lo + hi) / 2
    if (studentTCdf(mid, df) < upper) lo = mid
    else hi = mid
  }
  const t = (lo + hi) / 2
  return p > 0.5 ? t : -t
}
