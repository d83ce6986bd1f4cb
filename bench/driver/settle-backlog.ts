// The settle between a crowd's burst and its held window: at least CROWD_TIMING.settleSec, and then
// until the kernel holds no connection for the server (its accept queue and half-done handshakes
// empty) for a few readings in a row, up to a cap. What a burst leaves behind belongs to the burst:
// a probe that gave up while the crowd poured in still sits, handshake done, in the accept queue,
// and a model that accepts one connection per pass (nonblocking: one per sweep of ~18 ms at 2,000
// clients) takes ~6 s to work through 400 of them. Measured that way the "steady" probe waited
// 1.3 s at its median (2026-12-06): the burst's tail, not the held crowd's cost.
import { kernelBacklog } from '../host/tcp-counters.js'

/** Readings of an empty backlog in a row that end the settle, this far apart. */
const EMPTY_READINGS = 3
const POLL_MS = 250

export interface Settle {
  /** From the end of the burst to the start of the held window. */
  ms: number
  /** The backlog was still not empty at the cap (or /proc could not say: null). */
  drained: boolean | null
  /** The accept queue and SYN_RECV handshakes at the first reading after the minimum. */
  backlogAtMinimum: { acceptQueue: number; synRecv: number } | null
}

export async function settleBacklog(port: number, minimumMs: number, capMs: number): Promise<Settle> {
  const start = performance.now()
  await sleep(minimumMs)
  const first = kernelBacklog(port)
  if (first === null) return { ms: Math.round(performance.now() - start), drained: null, backlogAtMinimum: null }
  let emptyInARow = 0
  let reading = first
  while (performance.now() - start < capMs) {
    emptyInARow = reading.acceptQueue === 0 && reading.synRecv === 0 ? emptyInARow + 1 : 0
    if (emptyInARow >= EMPTY_READINGS) break
    await sleep(POLL_MS)
    reading = kernelBacklog(port) ?? reading
  }
  return { ms: Math.round(performance.now() - start), drained: emptyInARow >= EMPTY_READINGS, backlogAtMinimum: first }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
