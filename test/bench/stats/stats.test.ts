// Reference values from SciPy 1.17 (scipy.stats.t, scipy.special.betainc/gammaln,
// scipy.stats.ttest_ind(equal_var=False)) and numpy.quantile.
import { describe, expect, it } from 'vitest'
import { logGamma, regularizedIncompleteBeta } from '../../../bench/stats/incomplete-beta.js'
import {
  coefficientOfVariation, expectedFalsePositives, robustStdev, mean, median, quantile, stars, stdev, variance,
} from '../../../bench/stats/descriptive.js'
import { studentTCdf, studentTQuantile, studentTTwoSidedP } from '../../../bench/stats/student-t.js'
import { welchTTest } from '../../../bench/stats/welch.js'

describe('descriptive statistics', () => {
  it('computes mean, sample variance and stdev', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5)
    expect(variance([1, 2, 3, 4])).toBeCloseTo(5 / 3, 12)
    expect(stdev([2, 4, 4, 4, 5, 5, 7, 9])).toBeCloseTo(2.138089935299395, 12)
  })
  it('interpolates quantiles like R type 7 / numpy', () => {
    const xs = [3, 1, 4, 1, 5, 9, 2, 6]
    expect(median(xs)).toBeCloseTo(3.5, 12)
    expect(quantile(xs, 0.25)).toBeCloseTo(1.75, 12)
    expect(quantile(xs, 0.9)).toBeCloseTo(6.9, 12)
    expect(median([7])).toBe(7)
  })
  it('estimates spread robustly: one wild sample does not move the scaled MAD', () => {
    expect(robustStdev([1, 2, 3, 4, 100])).toBeCloseTo(1.4826, 12)
    expect(robustStdev([1, 2, 3, 4, 5])).toBeCloseTo(1.4826, 12)
  })
  it('gives the coefficient of variation as a fraction of the mean', () => {
    expect(coefficientOfVariation([9, 10, 11])).toBeCloseTo(0.1, 12)
  })
  it('rejects empty, too small and non-finite samples with a clear error', () => {
    expect(() => mean([])).toThrow(/at least 1/)
    expect(() => variance([1])).toThrow(/at least 2/)
    expect(() => median([1, Number.NaN])).toThrow(/not a finite number/)
    expect(() => quantile([1, 2], 1.5)).toThrow(/q must be/)
  })
  it('prints compare.R stars at 0.05, 0.01 and 0.001', () => {
    expect([0.2, 0.04, 0.009, 0.0009].map(stars)).toEqual(['', '*', '**', '***'])
  })
  it('expects comparisons × alpha false positives', () => {
    expect(expectedFalsePositives(10, 0.05)).toBeCloseTo(0.5, 12)
    expect(expectedFalsePositives(6, 0.01)).toBeCloseTo(0.06, 12)
    expect(() => expectedFalsePositives(3, 0)).toThrow()
  })
})

describe('special functions', () => {
  it('matches ln Γ at small, half-integer and large arguments', () => {
    expect(logGamma(0.1)).toBeCloseTo(2.252712651734206, 11)
    expect(logGamma(10.5)).toBeCloseTo(13.940625219403763, 11)
    expect(logGamma(100)).toBeCloseTo(359.1342053695754, 9)
    expect(logGamma(1)).toBeCloseTo(0, 12)
  })
  it('matches the regularized incomplete beta on both sides of the symmetry switch', () => {
    expect(regularizedIncompleteBeta(0.4, 2, 3)).toBeCloseTo(0.5248, 12)
    expect(regularizedIncompleteBeta(0.3, 0.5, 0.5)).toBeCloseTo(0.36901011956554536, 12)
    expect(regularizedIncompleteBeta(0.99, 50, 0.5)).toBeCloseTo(0.3173043978741973, 10)
    const tiny = regularizedIncompleteBeta(0.001, 5, 0.5)
    expect(tiny / 2.461963550285712e-16).toBeCloseTo(1, 8)
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0)
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1)
  })
  it('rejects arguments outside the domain', () => {
    expect(() => regularizedIncompleteBeta(1.2, 1, 1)).toThrow(/\[0, 1\]/)
    expect(() => regularizedIncompleteBeta(0.5, 0, 1)).toThrow(/> 0/)
    expect(() => logGamma(-1)).toThrow()
  })
})

describe("Student's t distribution", () => {
  it('gives two-sided p ≈ 0.0734 for t = 2 with 10 degrees of freedom', () => {
    expect(studentTTwoSidedP(2, 10)).toBeCloseTo(0.07338803477074037, 12)
    expect(studentTTwoSidedP(-2, 10)).toBeCloseTo(0.07338803477074037, 12)
  })
  it('matches SciPy across small, fractional and large degrees of freedom', () => {
    expect(studentTTwoSidedP(2.228, 10)).toBeCloseTo(0.05001177181711132, 12)
    expect(studentTTwoSidedP(1, 1)).toBeCloseTo(0.5, 12)
    expect(studentTTwoSidedP(10, 3)).toBeCloseTo(0.0021283990584141503, 12)
    expect(studentTTwoSidedP(50, 30) / 1.871541765922271e-30).toBeCloseTo(1, 6)
    expect(studentTCdf(-1.5, 4.5)).toBeCloseTo(0.10010954282807676, 12)
    expect(studentTCdf(0, 7)).toBeCloseTo(0.5, 14)
  })
  it('inverts the CDF to the tabulated critical values', () => {
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.228138851986274, 8)
    expect(studentTQuantile(0.995, 2.5)).toBeCloseTo(7.163728138948783, 7)
    expect(studentTQuantile(0.9995, 1)).toBeCloseTo(636.6192487687897, 5)
    expect(studentTQuantile(0.995, 1e6)).toBeCloseTo(2.5758342201053344, 6)
    expect(studentTQuantile(0.025, 10)).toBeCloseTo(-2.228138851986274, 8)
  })
  it('rejects degrees of freedom ≤ 0 and probabilities outside (0, 1)', () => {
    expect(() => studentTCdf(1, 0)).toThrow(/degrees of freedom/)
    expect(() => studentTQuantile(1, 5)).toThrow(/\(0, 1\)/)
  })
})

describe("Welch's t-test", () => {
  it('matches scipy.stats.ttest_ind(equal_var=False) and its 99% interval', () => {
    const base = [10, 11, 12, 13, 14]
    const current = [12, 14, 15, 17, 18, 20]
    const r = welchTTest(base, current, 0.99)
    expect(r.t).toBeCloseTo(2.9019050004400464, 10)
    expect(r.df).toBeCloseTo(7.942794279427942, 10)
    expect(r.p).toBeCloseTo(0.019985748252956483, 10)
    expect(r.differenceCi[0]).toBeCloseTo(-0.6347784286413072, 7)
    expect(r.differenceCi[1]).toBeCloseTo(8.634778428641308, 7)
    expect(r.ratio).toBeCloseTo(16 / 12, 12)
    expect(r.ratioCi[0]).toBeCloseTo(1 - 0.6347784286413072 / 12, 7)
  })
  it('finds no difference between identical constant samples and a certain one between different constants', () => {
    expect(welchTTest([5, 5, 5], [5, 5, 5]).p).toBe(1)
    const r = welchTTest([5, 5, 5], [4, 4, 4])
    expect(r.p).toBe(0)
    expect(r.ratio).toBeCloseTo(0.8, 12)
  })
  it('refuses fewer than two samples per side', () => {
    expect(() => welchTTest([1], [1, 2])).toThrow(/at least 2 samples/)
  })
})
