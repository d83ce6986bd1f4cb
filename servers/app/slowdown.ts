// TEST-ONLY knob: HTTPMODELS_SLOWDOWN_US=<microseconds> makes every request burn that much extra
// CPU in the shared request path, so the performance gate (`npm run bench:check`) can be proven to
// catch a real slowdown (issue 5: "with a 25% slowdown injected into one model, the check fails").
// Off by default; never set it outside that proof.
//
// Why a calibrated loop and not a sleep or a clock spin: a sleep costs no CPU (an event-loop model
// would simply serve other connections meanwhile), and spinning until the clock says N µs have
// passed burns less than N µs of CPU whenever the process is preempted, which on a shared 2-core
// machine is often. A fixed number of iterations, calibrated once at start-up against
// process.hrtime, is a fixed amount of CPU work per request whatever else the machine is doing.
//
// The call site does `slowdown?.()`: when the variable is unset `slowdown` is undefined, so the hot
// path pays one load and one comparison, nothing else.

/** The environment variable that turns the knob on. */
export const SLOWDOWN_ENV = 'HTTPMODELS_SLOWDOWN_US'

/** Above a second of CPU per request the "server" would be nothing but the knob. */
const MAX_SLOWDOWN_US = 1_000_000

/** Parse the knob's value: 0 when unset or empty (off), the microseconds otherwise.
 * Anything that is not a number in [0, 1e6] is a clear error: a gate proof run with a mistyped
 * knob must not quietly measure nothing. */
export function parseSlowdownUs(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 0
  const us = Number(value)
  if (!Number.isFinite(us) || us < 0 || us > MAX_SLOWDOWN_US) {
    throw new RangeError(
      `${SLOWDOWN_ENV} must be microseconds of CPU per request between 0 and ${MAX_SLOWDOWN_US}, got "${value}"`,
    )
  }
  return us
}

// Written by every burn so the optimiser cannot drop the loop as dead code.
let sink = 1

/** xorshift32 steps: cheap, branch-free, and impossible to fold into a constant. */
function spin(iterations: number): void {
  let x = sink | 1
  for (let i = 0; i < iterations; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
  }
  sink = x
}

/** Iterations of `spin` per microsecond on this machine: warm the loop up so the optimised code is
 * what gets timed, then keep the fastest of several short trials (the one least disturbed by
 * preemption; a slower trial would over-count the time per iteration and under-burn later). */
export function calibrateIterationsPerUs(): number {
  const trialIterations = 200_000
  for (let i = 0; i < 20; i++) spin(trialIterations)
  let bestNs = Number.POSITIVE_INFINITY
  for (let trial = 0; trial < 15; trial++) {
    const start = process.hrtime.bigint()
    spin(trialIterations)
    const ns = Number(process.hrtime.bigint() - start)
    if (ns > 0 && ns < bestNs) bestNs = ns
  }
  return (trialIterations * 1000) / bestNs
}

/** A function that burns `us` microseconds of CPU per call, or undefined when `us` is 0. */
export function makeSlowdown(us: number, iterationsPerUs?: number): (() => void) | undefined {
  if (us <= 0) return undefined
  // Calibrate only when the knob is on: the ~10 ms it takes would otherwise be paid by every
  // process start (the fork model starts one per connection).
  const iterations = Math.max(1, Math.round(us * (iterationsPerUs ?? calibrateIterationsPerUs())))
  return () => spin(iterations)
}

/** Microseconds per request the knob is set to in this process (0 = off). */
export const slowdownUs: number = parseSlowdownUs(process.env[SLOWDOWN_ENV])

/** Call once per request from the shared request path: `slowdown?.()`. Undefined unless the
 * test-only HTTPMODELS_SLOWDOWN_US is set. */
export const slowdown: (() => void) | undefined = makeSlowdown(slowdownUs)
