// The numbers the gate compares, read out of one measured run. A run is whatever the driver's
// runCell returned; only the fields used here are required, so the gate's logic can be tested with
// hand-made runs.

import type { LoadResult, ServerUsage } from '../types.js'

/** One slice of a duet round (duet-round.ts): what one server did in its turn. */
export interface SliceSample {
  requests: number
  seconds: number
  cpuSec: number
}

export interface MeasuredRun {
  ok: boolean
  failure?: string
  load?: LoadResult
  server?: ServerUsage
  /** Duet rounds only: the run's slices, in order, so ratios can be taken slice by slice. */
  slices?: SliceSample[]
}

function loadOf(run: MeasuredRun): LoadResult {
  if (!run.ok || run.load === undefined) throw new Error(`run failed: ${run.failure ?? 'no load result'}`)
  return run.load
}

export function requestsPerSec(run: MeasuredRun): number {
  return loadOf(run).requestsPerSec
}

export function p99Us(run: MeasuredRun): number {
  return loadOf(run).latencyUs.p99
}

/** Server CPU (the whole process tree) per completed request, in microseconds. It compares models
 * even when the load client is the bottleneck (DESIGN.md: "Report server CPU per request"). */
export function cpuUsPerRequest(run: MeasuredRun): number {
  const load = loadOf(run)
  if (run.server === undefined) throw new Error('run has no server usage')
  if (load.requests <= 0) throw new Error('run completed no requests')
  return (run.server.cpuSec * 1e6) / load.requests
}

/** Why a run cannot be used as a sample, or undefined when it can: a failed run, or one whose load
 * saw errors, timeouts or non-2xx answers (a number with errors is not a number, DESIGN.md). */
export function unusableReason(run: MeasuredRun): string | undefined {
  if (!run.ok) return run.failure ?? 'failed'
  if (run.load === undefined) return 'no load result'
  const { errors, timeouts, non2xx, requests } = run.load
  if (requests <= 0) return 'no requests completed'
  if (errors + timeouts + non2xx > 0) return `${errors} errors, ${timeouts} timeouts, ${non2xx} non-2xx`
  return undefined
}
