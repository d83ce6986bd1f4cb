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
