// What a crowd (crowd-client.ts) is asked to do and what it reports: plain data that crosses the
// IPC channel between the driver and the crowd's process, and the results file after that.
import { quantile } from '../stats/descriptive.js'

export type CrowdBehaviour = 'idle' | 'slowloris' | 'slow-reader'

export interface CrowdSpec {
  origin: string
  behaviour: CrowdBehaviour
  connections: number
  /** What each connection asks for (slowloris: the head it never finishes). */
  path: string
  /** The burst ends at the latest this long after it began, whatever is still on its way. */
  burstCapMs: number
  /** …or once every connect has resolved, no connection got in or failed for this long, and the
   * kernel holds nothing more for the server (its accept queue and half-done handshakes are empty). */
  quietMs: number
  /** slowloris: ms between header lines. */
  headerIntervalMs: number
  /** slow-reader: bytes per second each connection reads. */
  readBytesPerSec: number
}

export interface CrowdCounts {
  requested: number
  /** Got in (see the top of the file) and were not then refused by a reset or an unanswered close;
   * an answered connection the server closed later still counts. */
  in: number
  /** Connect not resolved yet: the SYN is waiting (a full accept queue drops it; the client retries). */
  connecting: number
  refused: number
  /** Reset by the server before any byte of an answer. */
  reset: number
  /** Closed by the server (FIN) before any byte of an answer. */
  closedWithoutResponse: number
  /** Closed or reset by the server after it had answered (Connection: close, a 408, a timeout). */
  closedAfterResponse: number
  /** Connected, not in, still open: waiting in some queue of the server's. */
  waiting: number
  /** Connected and not closed by either side: what the server holds now. */
  open: number
}

export interface Spread { p50: number; p99: number; max: number; count: number }

export interface CrowdBurst {
  /** Burst start → the end of the burst phase. */
  burstMs: number
  /** Burst start → the moment the last connection got in; null when none did. */
  lastInMs: number | null
  /** Burst start → each connection getting in. */
  inMs: Spread | null
  /** all-settled: every connection in or gone; quiet: the rest wait inside the server; cap: time ran out. */
  endedBy: 'all-settled' | 'quiet' | 'cap'
  counts: CrowdCounts
}

export interface CrowdReport {
  counts: CrowdCounts
  /** First status code each answered connection saw (e.g. 200 for idle, 408 for slowloris). */
  statuses: Record<string, number>
  /** Connect → the first byte of an answer (slowloris: its 408), for connections that got one. */
  answeredAfterMs: Spread | null
  /** Connect → the server ending the connection (closed or reset, answered or not). */
  endedAfterMs: Spread | null
  /** slowloris: header lines written in all; slow-reader: bytes read in all. */
  headerLines: number
  bytesRead: number
  /** slow-reader: connections that read their whole answer. */
  completed: number
}

export function spread(values: readonly number[]): Spread | null {
  if (values.length === 0) return null
  const round = (n: number): number => Math.round(n * 10) / 10
  return { p50: round(quantile(values, 0.5)), p99: round(quantile(values, 0.99)), max: round(Math.max(...values)), count: values.length }
}
