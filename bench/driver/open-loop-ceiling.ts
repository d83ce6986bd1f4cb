// The open-loop client's own ceiling on this machine: the highest offered rate at which it still
// keeps its schedule (clientLagging absent: it sent ≥ 99% of what its schedule asked, its own
// lateness p99 ≤ 1 ms) against the null server (null-server.ts), the fastest thing it can face
// here. A report prints it beside the latency curves so nobody reads a client limit as a server
// limit (issue #10). Found as wrk2 users find theirs: rates doubled from `startRate` until the
// client lags (halved instead when it lags from the first), then the gap between the last rate it
// held and the first it did not is halved (geometrically) `refine` times. Each rate runs in the kept load worker (load-session.ts), the
// way the bench runs the client, with the null server's CPU metered: a null server at ≥ 90% of a
// core was itself the bottleneck (driver-ceiling.ts's rule), and the ceiling says so.

import { nullServerBound } from './driver-ceiling.js'
import { startServerProcess } from './server-process.js'
import { LoadSession } from '../clients/load-session.js'
import { defaultDocRoot, nullServerEntry } from '../host/paths.js'
import type { Arrivals, ConnectionMode, OpenLoopResult, OpenLoopSpec } from '../types.js'

/** Against the null server a median over this (µs) is a queue, not a service time: the client and
 * the null server together saturate the machine, even when the client sent on time (2026-12-06, here:
 * p50 66–80 µs up to 24,000/s, 440 ms at 64,000/s with the client's lateness p99 52 µs). */
export const SATURATED_P50_US = 1000

export interface OpenLoopCeilingStep {
  rate: number
  achievedRate: number
  latenessP99Us: number
  /** The client's CPU over the run, in cores. */
  clientCpuShare: number
  /** The null server's CPU over the run, in cores. */
  serverCpuShare: number
  /** The client's reason, when it lagged at this rate. */
  lagging?: string
}

export interface OpenLoopCeiling {
  /** The highest rate tried at which the client kept its schedule, req/s (0: not even the first). */
  rate: number
  mode: ConnectionMode
  arrivals: Arrivals
  /** Measured seconds per rate. */
  durationSec: number
  /** The first rate it did not hold, and why; absent when it held every rate up to maxRate. */
  laggedAt?: { rate: number; reason: string }
  /** The null server used ≥ 90% of a core at the ceiling: it, not the client, may have set it (a lower bound). */
  nullServerBound: boolean
  /** Every rate tried, in the order tried. */
  steps: OpenLoopCeilingStep[]
  /** Why there is no ceiling (the null server did not start, a run failed). */
  failure?: string
}

export interface OpenLoopCeilingOptions {
  mode?: ConnectionMode
  arrivals?: Arrivals
  /** Measured seconds per rate (default 1; 0.3 s of warm-up before each). */
  durationSec?: number
  /** First rate tried (default 2,000/s), the highest (default 256,000/s), and the lowest tried when
   * the client lags from the first (halving down; default 125/s). */
  startRate?: number
  maxRate?: number
  minRate?: number
  /** Halvings of the last gap (default 3: within ~9% of the true ceiling). */
  refine?: number
  maxConnections?: number
  root?: string
}

/** How each rate is measured: one open-loop run against `origin` (the tests pass a stand-in). */
export type OpenLoopRunner = (spec: OpenLoopSpec) => Promise<{ result: OpenLoopResult; serverCpuSec: number }>

/** Start the null server, find the client's ceiling against it, stop it. Failures are recorded, never thrown. */
export async function measureOpenLoopCeiling(options: OpenLoopCeilingOptions = {}): Promise<OpenLoopCeiling> {
  const mode = options.mode ?? 'keepalive'
  const arrivals = options.arrivals ?? 'poisson'
  const durationSec = options.durationSec ?? 1
  let server
  try {
    server = await startServerProcess({ entry: nullServerEntry(), args: ['--port=0', `--root=${options.root ?? defaultDocRoot()}`] })
  } catch (error) {
    return { rate: 0, mode, arrivals, durationSec, nullServerBound: false, steps: [], failure: `the null server did not start: ${(error as Error).message.split('\n')[0]}` }
  }
  const session = new LoadSession()
  const origin = server.origin
  try {
    return await searchOpenLoopCeiling(options, async (spec) => {
      const meter = server.measure()
      try {
        const result = await session.runOpenLoop({ ...spec, origin })
        return { result, serverCpuSec: (await meter.stop())?.cpuSec ?? 0 }
      } catch (error) {
        await meter.stop()
        throw error
      }
    })
  } finally {
    session.close()
    await server.stop()
  }
}

/** The search itself, over any runner: double until the client lags, then narrow the gap. */
export async function searchOpenLoopCeiling(options: OpenLoopCeilingOptions, run: OpenLoopRunner): Promise<OpenLoopCeiling> {
  const mode = options.mode ?? 'keepalive'
  const arrivals = options.arrivals ?? 'poisson'
  const durationSec = options.durationSec ?? 1
  const maxRate = options.maxRate ?? 256_000
  const minRate = options.minRate ?? 125
  const steps: OpenLoopCeilingStep[] = []
  const ceiling: OpenLoopCeiling = { rate: 0, mode, arrivals, durationSec, nullServerBound: false, steps }
  const attempt = async (rate: number): Promise<OpenLoopCeilingStep> => {
    const spec: OpenLoopSpec = {
      origin: 'http://127.0.0.1:1', method: 'GET', path: '/hello', headers: {}, mode, rate, arrivals, durationSec,
      warmupSec: 0.3, maxConnections: options.maxConnections ?? 256, timeoutMs: 2000, seed: 1,
    }
    const { result, serverCpuSec } = await run(spec)
    const saturated = result.latencyUs.p50 > SATURATED_P50_US
      ? `latency p50 ${result.latencyUs.p50} µs against the null server (> ${SATURATED_P50_US} µs): the client and the null server together saturate the machine`
      : undefined
    const bad = result.errors > 0 ? `${result.errors} errors` : result.clientLagging ?? saturated
    const step: OpenLoopCeilingStep = {
      rate, achievedRate: result.achievedRate, latenessP99Us: result.latenessUs.p99,
      clientCpuShare: result.clientCpuSec / (durationSec + spec.warmupSec), serverCpuShare: serverCpuSec / (durationSec + spec.warmupSec),
      ...(bad !== undefined ? { lagging: bad } : {}),
    }
    steps.push(step)
    return step
  }
  const held = (step: OpenLoopCeilingStep): void => {
    ceiling.rate = step.rate
    ceiling.nullServerBound = nullServerBound(step)
  }
  try {
    let good: OpenLoopCeilingStep | undefined
    let bad: OpenLoopCeilingStep | undefined
    for (let rate = options.startRate ?? 2000; rate <= maxRate && bad === undefined; rate *= 2) {
      const step = await attempt(rate)
      if (step.lagging !== undefined) bad = step
      else held((good = step))
    }
    // lagging from the first rate: halve down to minRate until one holds
    for (let rate = (bad?.rate ?? 0) / 2; good === undefined && rate >= minRate; rate /= 2) {
      const step = await attempt(rate)
      if (step.lagging !== undefined) bad = step
      else held((good = step))
    }
    for (let i = 0; i < (options.refine ?? 3) && good !== undefined && bad !== undefined; i++) {
      const step = await attempt(Math.round(Math.sqrt(good.rate * bad.rate)))
      if (step.lagging !== undefined) bad = step
      else held((good = step))
    }
    if (bad !== undefined) ceiling.laggedAt = { rate: bad.rate, reason: bad.lagging! }
  } catch (error) {
    ceiling.failure = (error as Error).message.split('\n')[0]!
  }
  return ceiling
}
