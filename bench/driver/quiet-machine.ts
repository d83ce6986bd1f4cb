// Wait until the machine is quiet before an open-loop point: the whole machine's CPU, not only the
// server under test. An open-loop group keeps every model's server open and takes their points in
// turn, and a point can leave work behind it: seen 2026-12-06 in `--model=all --rate=auto`, where
// fork's point left ~256 queued connections that it went on accepting after the client had gone, a
// new Node child for each, and the next point (prefork at 9,100/s) got no answer for 8 s; three
// more points after such ones timed out whole (eventloop at 21,400/s among them), while each
// passed alone on a fresh server (p99 0.3–9 ms). Such a point measured its neighbour.

import { availableParallelism } from 'node:os'
import { busyCores, readMachineCpu, type MachineCpu } from '../host/machine-cpu.js'

export interface QuietWait {
  /** How long the point waited for the machine, ms. */
  waitedMs: number
  /** Cores busy in the last window looked at. */
  busyCores: number
  /** False when the wait gave up: the point ran beside that much work. */
  settled: boolean
}

export interface QuietOptions {
  /** Quiet: fewer cores busy than this over one window (default 0.3: idle servers, the machine's services). */
  thresholdCores?: number
  windowMs?: number
  /** Give up after this long (default 30 s) and say so. */
  maxWaitMs?: number
  read?: () => MachineCpu | null
  sleep?: (ms: number) => Promise<void>
  now?: () => number
  cores?: number
}

/** Resolves once one window of `windowMs` saw fewer than `thresholdCores` busy, or `maxWaitMs` passed. */
export async function awaitQuietMachine(options: QuietOptions = {}): Promise<QuietWait | null> {
  const read = options.read ?? readMachineCpu
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const now = options.now ?? Date.now
  const threshold = options.thresholdCores ?? 0.3
  const windowMs = options.windowMs ?? 250
  const maxWaitMs = options.maxWaitMs ?? 30_000
  const cores = options.cores ?? availableParallelism()
  const start = now()
  let before = read()
  if (before === null) return null
  for (;;) {
    await sleep(windowMs)
    const after = read()
    if (after === null) return null
    const busy = busyCores(before, after, cores)
    const waitedMs = now() - start
    if (busy < threshold) return { waitedMs, busyCores: busy, settled: true }
    if (waitedMs >= maxWaitMs) return { waitedMs, busyCores: busy, settled: false }
    before = after
  }
}
