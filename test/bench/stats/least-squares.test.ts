// The least-squares line: exact on a line, the textbook answer on scattered points, and no slope
// where none exists.
import { describe, expect, it } from 'vitest'
import { leastSquares } from '../../../bench/stats/least-squares.js'

describe('leastSquares', () => {
  it('recovers a line exactly, with R² 1', () => {
    const xs = [0, 1, 2, 3, 4]
    expect(leastSquares(xs, xs.map((x) => 3 + 2 * x))).toEqual({ slope: 2, intercept: 3, r2: 1 })
  })

  it('gives the textbook fit through scattered points', () => {
    // x 1..5, y 2,4,5,4,5: slope 0.6, intercept 2.2, R² 0.6 (the usual worked example)
    const fit = leastSquares([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])!
    expect(fit.slope).toBeCloseTo(0.6, 12)
    expect(fit.intercept).toBeCloseTo(2.2, 12)
    expect(fit.r2).toBeCloseTo(0.6, 12)
  })

  it('gives a flat line with slope 0 for a constant y', () => {
    expect(leastSquares([0, 5, 10], [7, 7, 7])).toEqual({ slope: 0, intercept: 7, r2: 1 })
  })

  it('has no line for fewer than two points or a single x, and refuses unequal lengths', () => {
    expect(leastSquares([1], [1])).toBeUndefined()
    expect(leastSquares([2, 2, 2], [1, 2, 3])).toBeUndefined()
    expect(() => leastSquares([1, 2], [1])).toThrow(/as many x as y/)
  })
})
