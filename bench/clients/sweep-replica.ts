// What one sweep of the nonblocking model costs with this many clients, measured beside it:
// the model's sweep is one `fs.readSync` per client on a non-blocking socket that has nothing to
// read, each answered by an EAGAIN thrown as an exception, with Error.stackTraceLimit at 0
// (servers/models/nonblocking.ts). The crowd holds the other end of the same number of loopback
// sockets, idle as the server's are, so the same call over them, timed here, is one such sweep
// without touching the server. The median of a few passes, in µs.
import fs from 'node:fs'
import { performance } from 'node:perf_hooks'
import { quantile } from '../stats/descriptive.js'

/** Passes timed; the median is reported, so one pass disturbed by a neighbour does not count. */
const PASSES = 5

export function sweepReplicaUs(fds: readonly number[]): number | null {
  if (fds.length === 0) return null
  const buffer = Buffer.allocUnsafe(64 * 1024) // the model's read size
  const times: number[] = []
  for (let pass = 0; pass < PASSES; pass++) {
    const stackTraceLimit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    const start = performance.now()
    for (const fd of fds) {
      try {
        fs.readSync(fd, buffer, 0, buffer.length, null)
      } catch {
        // EAGAIN: nothing to read, which is the point
      }
    }
    times.push((performance.now() - start) * 1000)
    Error.stackTraceLimit = stackTraceLimit
  }
  return Math.round(quantile(times, 0.5))
}
