// Descriptive statistics for bench samples (req/s of repeated runs, ratios, CPU per request), plus
// the two conventions Node's benchmark/compare.R prints next to every comparison: significance
// stars and the number of false positives to expect when many cells are compared at once.
// Inferential tests live beside this file: welch.ts (t-test), student-t.ts (its distribution).

function requireSamples(xs: readonly number[], min: number, what: string): void {
  if (xs.length < min) throw new RangeError(`${what} needs at least ${min} sample(s), got ${xs.length}`)
  for (const x of xs) if (!Number.isFinite(x)) throw new RangeError(`${what}: sample ${x} is not a finite number`)
}

export function mean(xs: readonly number[]): number {
  requireSamples(xs, 1, 'mean')
  let sum = 0
  for (const x of xs) sum += x
  return sum / xs.length
}

/** Sample variance (n − 1 in the denominator, as R's var() and Welch's test use). */
export function variance(xs: readonly number[]): number {
  requireSamples(xs, 2, 'variance')
  const m = mean(xs)
  let ss = 0
  for (const x of xs) ss += (x - m) ** 2
  return ss / (xs.length - 1)
}

export function stdev(xs: readonly number[]): number {
  return Math.sqrt(variance(xs))
}

/** The q-quantile (0 ≤ q ≤ 1) by linear interpolation between order statistics (R's type 7, the
 * default of R's quantile() and of numpy). */
export function quantile(xs: readonly number[], q: number): number {
  requireSamples(xs, 1, 'quantile')
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be in [0, 1], got ${q}`)
  const sorted = [...xs].sort((a, b) => a - b)
  const h = (sorted.length - 1) * q
  const lo = Math.floor(h)
  const hi = Math.ceil(h)
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!)
}

export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5)
}

/** Median absolute deviation from the median, scaled by 1.4826 so it estimates the standard
 * deviation of normal data (R's mad() default) while ignoring the odd wild sample that a shared
 * machine produces (one A/A round here read a ratio of 9.8 among values near 1.2). */
export function robustStdev(xs: readonly number[]): number {
  const m = median(xs)
  return 1.4826 * median(xs.map((x) => Math.abs(x - m)))
}

/** Coefficient of variation: stdev / |mean|, the spread of a sample as a fraction of its size. */
export function coefficientOfVariation(xs: readonly number[]): number {
  return stdev(xs) / Math.abs(mean(xs))
}

/** Node's compare.R stars: *** p < 0.001, ** p < 0.01, * p < 0.05, otherwise blank. */
export function stars(p: number): string {
  if (p < 0.001) return '***'
  if (p < 0.01) return '**'
  if (p < 0.05) return '*'
  return ''
}

/** With `comparisons` independent tests at level `alpha` and no real change anywhere, this many
 * come out "significant" by chance (compare.R: "expect 0.50 false positives at 5%"). */
export function expectedFalsePositives(comparisons: number, alpha: number): number {
  if (!(comparisons >= 0) || !(alpha > 0 && alpha < 1)) {
    throw new RangeError(`expectedFalsePositives: need comparisons ≥ 0 and 0 < alpha < 1`)
  }
  return comparisons * alpha
}
