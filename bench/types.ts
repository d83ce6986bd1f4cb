// Shapes shared across the bench driver: what a load client is asked to do and what it reports,
// what a server under test reports about itself. Data only; the modules named after each
// function implement them.

export type ConnectionMode = 'keepalive' | 'close'

/** One request of a cycle (see LoadSpec.requests). */
export interface LoadRequest {
  method: string
  path: string
  headers?: Record<string, string>
  body?: string
}

/** One load run against one server. */
export interface LoadSpec {
  /** e.g. http://127.0.0.1:40123 */
  origin: string
  method: string
  path: string
  headers: Record<string, string>
  body?: string
  /**
   * Optional request cycle: when set (two or more entries), every connection sends these in turn,
   * starting from the first, instead of repeating method/path/body (which then mirror the first
   * entry). The `write` scenario uses it to alternate POST /add/<code>.html and POST /del/<code>.html.
   * autocannon takes the same list as its `requests` option; wrk can follow it from a Lua script.
   */
  requests?: LoadRequest[]
  /** Concurrent connections (keepalive) or concurrent connect→request→close loops (close). */
  connections: number
  /** Requests in flight per connection (keepalive only; 1 = no pipelining). */
  pipelining: number
  durationSec: number
  mode: ConnectionMode
  /** A request not answered within this long counts as a timeout. */
  timeoutMs: number
}

/** Percentiles in microseconds. */
export interface LatencySummary {
  p50: number
  p90: number
  p99: number
  p999: number
  max: number
  mean: number
  /** Where the numbers came from, e.g. 'close-client hdr µs', 'wrk --latency', 'autocannon (1 ms resolution)'. */
  source: string
  /** The whole µs HDR histogram, compressed and base64-encoded (hdr-histogram-js), where the client
   * recorded one: histograms of repeats, rounds or client processes merge exactly (stats/merge-latency.ts);
   * percentiles are never averaged. */
  histogram?: string
  /** How many of the histogram's values are lower bounds, not latencies: requests unanswered when
   * the load ended or timed out, recorded at the age they had reached (LoadResult.outstanding). */
  lowerBounds?: number
}

/** A request still unanswered when a load ended. */
export interface OutstandingRequest {
  /** Index into LoadResult.perConnection. */
  connection: number
  /** How long it had waited when the load ended, µs: a lower bound of its latency. */
  ageUs: number
}

export interface LoadResult {
  driver: 'autocannon' | 'close-client' | 'wrk' | 'test-double'
  mode: ConnectionMode
  /** Measured wall time in seconds. */
  durationSec: number
  /** Completed responses (any status). */
  requests: number
  requestsPerSec: number
  non2xx: number
  /** Connection errors, resets, parse failures. */
  errors: number
  timeouts: number
  bytesRead: number
  latencyUs: LatencySummary
  /** Close mode only: time to establish each TCP connection. */
  connectUs?: LatencySummary
  /** CPU seconds the load generator itself used during the run (user+sys). */
  clientCpuSec: number
  /** Per-second completed-request counts (as fine as the driver gives). */
  perSecond: number[]
  // Per-connection accounting (clients that can count per connection; absent from wrk's results and
  // from files written before it existed). stats/fairness.ts reads them.
  /** Responses each connection got (close mode: each connect→request→close loop), in connection order. */
  perConnection?: number[]
  /** The longest time each connection went without a response (start to first, between two, last to end), µs. */
  longestGapUs?: number[]
  /** The longest any request waited, answered or not (unanswered: its age at the end or at its timeout), µs. */
  longestWaitUs?: number
  /** Requests still unanswered when the load ended, with their ages; each is also in latencyUs as a lower bound. */
  outstanding?: OutstandingRequest[]
}

/** Resource use of a server under test: the whole process tree (children, workers, threads). */
export interface ServerUsage {
  /** user+sys CPU seconds of the tree over the measured window, exited children included. */
  cpuSec: number
  /** Highest summed RSS of the tree seen during the window, bytes. */
  peakRssBytes: number
}

// Open loop (issue #10): requests scheduled at a fixed rate whatever the server does (wrk2, mutilate).

export type Arrivals = 'poisson' | 'uniform'

/** One open-loop load run against one server: the request(s), mode and timeout as a LoadSpec's
 * (requests cycle included), then the schedule instead of a connection count. */
export interface OpenLoopSpec extends Pick<LoadSpec, 'origin' | 'method' | 'path' | 'headers' | 'body' | 'requests' | 'mode' | 'timeoutMs'> {
  /** Target (offered) rate, requests per second. */
  rate: number
  /** poisson: exponential gaps (the default); uniform: equal gaps. */
  arrivals: Arrivals
  /** Measured seconds, after the warm-up. */
  durationSec: number
  /** Seconds at the target rate before measuring; discarded. */
  warmupSec: number
  /** Keep-alive: the pool's cap (one request in flight per connection; a request whose turn comes
   * while every connection is busy waits in the client, and that wait counts). Close: the cap on
   * connections open at once. */
  maxConnections: number
  /** Seed of the arrival schedule, so a run's gaps can be reproduced. */
  seed?: number
}

/** What an open-loop run measured. Every histogram is µs and carries its encoded HDR histogram. */
export interface OpenLoopResult {
  driver: 'open-loop' | 'test-double'
  mode: ConnectionMode
  arrivals: Arrivals
  /** The offered rate asked for, and the send rate achieved over the measured window, req/s. */
  targetRate: number
  achievedRate: number
  /** Measured wall time in seconds. */
  durationSec: number
  /** Requests due in the measured window, requests written, responses completed (any status). */
  scheduled: number
  sent: number
  requests: number
  non2xx: number
  errors: number
  timeouts: number
  /** Keep-alive: the most connections the pool held at once; close: connections opened. */
  connectionsUsed: number
  /** From the INTENDED send time to the end of the response: what a user waits, free of coordinated omission. */
  latencyUs: LatencySummary
  /** From the actual write to the end of the response: the server's service time (plus the wire). */
  serviceUs: LatencySummary
  /** The client's own lateness: actual write − intended send time, minus any wait for a free connection
   * (that wait is the server's doing and stays in latencyUs). */
  latenessUs: LatencySummary
  /** Encoded per-interval (1 s) latency histograms, so runs of several processes or hosts merge exactly. */
  latencyIntervals?: string[]
  /** Why the client could not keep its schedule (achieved < 99% of target, or its own lateness p99 over
   * 1 ms); absent when it kept it. A lagging cell is never shown as a plain number. */
  clientLagging?: string
  /** CPU seconds the load generator used (user+sys). */
  clientCpuSec: number
  /** Share of the schedule (warm-up and window) the client's event loop was busy; over 0.9 it is lagging. */
  clientEventLoopBusy?: number
  /** The client's scheduling policy while it ran: `SCHED_FIFO 10`, or `normal (why)` (bench/host/realtime-priority.ts). */
  clientScheduling?: string
  /** Per-second completed-request counts. */
  perSecond: number[]
}
