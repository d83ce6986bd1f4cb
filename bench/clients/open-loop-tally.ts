// What an open-loop run counts, and its reduction to the OpenLoopResult (bench/types.ts). Only
// requests whose INTENDED send time falls in the measured window are recorded; the warm-up's are
// sent and answered but left out. Three µs histograms: latency from the intended send time (what
// a user waits), service time from the actual write, and the client's own lateness (dispatch −
// intended: how late the client itself got round to the request, a wait for a free connection
// excluded). Latency is also kept per 1 s interval of intended time, each encoded on its own, so
// several client processes' runs merge exactly (stats/merge-latency.ts).
import * as hdr from 'hdr-histogram-js'
import { createLatencyHistogram, type LatencyHistogram, recordMs, summarizeHistogram } from '../stats/latency-histogram.js'
import type { Arrivals, ConnectionMode, OpenLoopResult } from '../types.js'

/** The client kept its schedule unless it sent under this share of the requests its schedule put in
 * the window (issue #10: 99% of the target rate; see result()). */
export const ACHIEVED_SHARE = 0.99
/** …or its own lateness p99 exceeded this (µs): 1 ms, the resolution of Node's timers. */
export const LATENESS_P99_LIMIT_US = 1000
/** …or its event loop was busy more than this share of the schedule: then responses waited to be
 * read, and a request's wait for a free connection was the client's doing as much as the server's. */
export const EVENT_LOOP_BUSY_LIMIT = 0.9

export class OpenLoopTally {
  readonly latency = createLatencyHistogram()
  readonly service = createLatencyHistogram()
  readonly lateness = createLatencyHistogram()
  readonly intervals: LatencyHistogram[] = []
  readonly perSecond: number[] = []
  scheduled = 0
  /** Measured requests the scheduler dispatched before the window ended (the achieved rate's count). */
  dispatchedInWindow = 0
  sent = 0
  requests = 0
  non2xx = 0
  errors = 0
  timeouts = 0
  /** Timed-out requests recorded at timeoutMs: lower bounds, not latencies. */
  lowerBounds = 0
  connectionsUsed = 0
  /** The client's event-loop utilization from the schedule's start to its end (warm-up included). */
  eventLoopBusy = 0

  constructor(
    /** performance.now() at the start and end of the measured window. */
    readonly windowStart: number,
    /** The window's length as asked, s (windowEnd − windowStart up to float error). */
    readonly durationSec: number,
  ) {
    this.windowEnd = windowStart + durationSec * 1000
  }

  readonly windowEnd: number

  /** The scheduler handled a measured request at `now` (wrote it, or queued it for a connection). */
  dispatched(intended: number, now: number): void {
    this.scheduled++
    if (now < this.windowEnd) this.dispatchedInWindow++
    recordMs(this.lateness, now - intended)
  }

  response(intended: number, writtenAt: number, now: number, status: number): void {
    this.requests++
    if (status > 299) this.non2xx++
    recordMs(this.latency, now - intended)
    recordMs(this.service, now - writtenAt)
    this.interval(intended).recordValue(Math.max(0, Math.round((now - intended) * 1000)))
    const second = Math.floor((now - this.windowStart) / 1000)
    if (second >= 0) this.perSecond[second] = (this.perSecond[second] ?? 0) + 1
  }

  /** Unanswered timeoutMs after its intended time: in the latency at timeoutMs, a lower bound; in
   * the service time (when it was written) at the age it had reached since the write. */
  timeout(intended: number, writtenAt: number, timeoutMs: number): void {
    this.timeouts++
    this.lowerBounds++
    recordMs(this.latency, timeoutMs)
    if (writtenAt > 0) recordMs(this.service, intended + timeoutMs - writtenAt)
    this.interval(intended).recordValue(Math.round(timeoutMs * 1000))
  }

  private interval(intended: number): LatencyHistogram {
    const index = Math.max(0, Math.floor((intended - this.windowStart) / 1000))
    while (this.intervals.length <= index) this.intervals.push(createLatencyHistogram())
    return this.intervals[index]!
  }

  result(options: { mode: ConnectionMode; arrivals: Arrivals; targetRate: number; timeoutMs: number; clientCpuSec: number; clientScheduling?: string }): OpenLoopResult {
    const durationSec = this.durationSec
    const achievedRate = this.dispatchedInWindow / durationSec
    const describe = `open-loop ${options.arrivals} at ${options.targetRate}/s, ${options.mode}`
    const latencyUs = { ...summarizeHistogram(this.latency, `${describe}: µs from the intended send time (timeouts at ${options.timeoutMs} ms, lower bounds)`), lowerBounds: this.lowerBounds }
    const latenessUs = summarizeHistogram(this.lateness, `${describe}: µs the client itself was late (dispatch − intended)`)
    const lagging: string[] = []
    // against what the schedule asked in this window, not the target: Poisson counts in a window
    // scatter by √n (±5% over 400 arrivals), and that is the schedule, not the client
    if (this.dispatchedInWindow < ACHIEVED_SHARE * this.scheduled) {
      lagging.push(`sent ${achievedRate.toFixed(0)}/s while its schedule asked ${(this.scheduled / durationSec).toFixed(0)}/s (target ${options.targetRate}/s; under ${ACHIEVED_SHARE * 100}%)`)
    }
    if (latenessUs.p99 > LATENESS_P99_LIMIT_US) lagging.push(`its own lateness p99 ${latenessUs.p99} µs > ${LATENESS_P99_LIMIT_US} µs`)
    if (this.eventLoopBusy > EVENT_LOOP_BUSY_LIMIT) {
      lagging.push(`its event loop was busy ${(this.eventLoopBusy * 100).toFixed(0)}% of the schedule (> ${EVENT_LOOP_BUSY_LIMIT * 100}%): answers waited for the client`)
    }
    return {
      driver: 'open-loop',
      mode: options.mode,
      arrivals: options.arrivals,
      targetRate: options.targetRate,
      achievedRate,
      durationSec,
      scheduled: this.scheduled,
      sent: this.sent,
      requests: this.requests,
      non2xx: this.non2xx,
      errors: this.errors,
      timeouts: this.timeouts,
      connectionsUsed: this.connectionsUsed,
      latencyUs,
      serviceUs: summarizeHistogram(this.service, `${describe}: µs from the actual write`),
      latenessUs,
      latencyIntervals: this.intervals.map((h) => hdr.encodeIntoCompressedBase64(h)),
      ...(lagging.length > 0 ? { clientLagging: `client-lagging: ${lagging.join('; ')}` } : {}),
      clientCpuSec: options.clientCpuSec,
      clientEventLoopBusy: this.eventLoopBusy,
      ...(options.clientScheduling !== undefined ? { clientScheduling: options.clientScheduling } : {}),
      perSecond: Array.from({ length: Math.max(this.perSecond.length, Math.ceil(durationSec - 1e-9)) }, (_, i) => this.perSecond[i] ?? 0),
    }
  }
}
