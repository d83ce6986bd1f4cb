// The wait in a single-server queue with a fixed service time S (a server that handles one request
// at a time, each taking S): by formula for Poisson arrivals (M/D/1, Pollaczek–Khinchine), and
// exactly for one given schedule by Lindley's recursion. They are the yardstick of the open-loop
// client's queueing proof (test/bench/clients/open-loop-queueing.timing.test.ts): the client's
// measured wait must match the formula, on a schedule whose own exact wait is the formula's, so
// what is tested is the client and not the luck of the draw. Pure: no clock, no I/O.

/** M/D/1 mean wait in the queue (not counting the service itself): ρS / (2(1 − ρ)), ρ = λS < 1. */
export function mdOneMeanWait(utilization: number, serviceMs: number): number {
  if (!(utilization >= 0 && utilization < 1)) throw new Error(`utilization must be in [0, 1) (got ${utilization})`)
  return (utilization * serviceMs) / (2 * (1 - utilization))
}

/**
 * Each arrival's wait before its service starts, for arrivals at `arrivalsMs` (ascending) served
 * first come first served, each taking `serviceMs`: Lindley's recursion
 * W₀ = 0, Wₙ₊₁ = max(0, Wₙ + S − (Aₙ₊₁ − Aₙ)).
 */
export function lindleyWaits(arrivalsMs: readonly number[], serviceMs: number): number[] {
  const waits: number[] = []
  let wait = 0
  for (let i = 0; i < arrivalsMs.length; i++) {
    if (i > 0) wait = Math.max(0, wait + serviceMs - (arrivalsMs[i]! - arrivalsMs[i - 1]!))
    waits.push(wait)
  }
  return waits
}

/** The mean wait of the arrivals at or after `fromMs` and before `toMs` (a run's measured window, its warm-up before it). */
export function meanWaitInWindow(arrivalsMs: readonly number[], serviceMs: number, fromMs: number, toMs: number): number {
  const waits = lindleyWaits(arrivalsMs, serviceMs)
  let sum = 0
  let n = 0
  arrivalsMs.forEach((at, i) => {
    if (at >= fromMs && at < toMs) {
      sum += waits[i]!
      n++
    }
  })
  if (n === 0) throw new Error(`no arrival in the window [${fromMs}, ${toMs}) ms`)
  return sum / n
}
