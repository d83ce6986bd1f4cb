// The ordinary least-squares line through points (x, y): slope, intercept and R². Pure.

export interface LeastSquaresLine {
  slope: number
  intercept: number
  /** Share of y's variance the line explains, 0–1 (1 when y does not vary at all). */
  r2: number
}

/** The line y = intercept + slope·x minimising the squared vertical distances; undefined for fewer
 * than two points or when every x is the same (no slope exists). */
export function leastSquares(xs: readonly number[], ys: readonly number[]): LeastSquaresLine | undefined {
  if (xs.length !== ys.length) throw new Error(`leastSquares needs as many x as y (${xs.length} ≠ ${ys.length})`)
  const n = xs.length
  if (n < 2) return undefined
  let meanX = 0
  let meanY = 0
  for (let i = 0; i < n; i++) {
    meanX += xs[i]! / n
    meanY += ys[i]! / n
  }
  let sxx = 0
  let sxy = 0
  let syy = 0
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - meanX
    const dy = ys[i]! - meanY
    sxx += dx * dx
    sxy += dx * dy
    syy += dy * dy
  }
  if (sxx === 0) return undefined
  const slope = sxy / sxx
  return { slope, intercept: meanY - slope * meanX, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) }
}
