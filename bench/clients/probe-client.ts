// The probe: what a newcomer waits while a crowd holds the server. An open-loop, low-rate stream of
// normal requests, each on a fresh connection (GET with Connection: close), sent on a fixed
// schedule whatever the server does (mutilate's separate low-rate latency client; research/
// open-loop-and-many-connections.md). Latency runs from the INTENDED send time to the end of the
// answer, so a server that stalls cannot hide the stall by slowing the probe down (coordinated
// omission). A probe unanswered after timeoutMs is given up, counted as "no answer", and enters
// the histogram at timeoutMs, a lower bound of what it would have waited: it never vanishes.
// Connections the server refused or reset count apart. Each probe belongs to the phase (baseline,
// burst, steady, …) in force at its intended send time, so one stream measures every phase.
// A note for clients/open-loop-client.ts (the general open-loop client): this is a deliberately
// small special case of it (fixed gaps, close mode, per-phase histograms); once that client can
// label phases and report censored probes, the probe could become one configuration of it.
import net from 'node:net'
import { performance } from 'node:perf_hooks'
import { buildCloseRequest, loopbackTarget } from './close-client.js'
import { createLatencyHistogram, type LatencyHistogram, recordMs, summarizeHistogram } from '../stats/latency-histogram.js'
import { quantile } from '../stats/descriptive.js'
import type { LatencySummary } from '../types.js'

export interface ProbeSpec {
  origin: string
  path: string
  ratePerSec: number
  /** A probe still unanswered this long after its intended send time is given up. */
  timeoutMs: number
}

export interface ProbePhaseReport {
  phase: string
  sent: number
  answered: number
  /** Still unanswered after timeoutMs: recorded in the latency at timeoutMs. */
  noAnswer: number
  /** The connect was refused, or the server reset or closed the connection without an answer. */
  refused: number
  reset: number
  closed: number
  non2xx: number
  /** Answered probes and no-answer ones (at timeoutMs), from the intended send time, µs. */
  latencyUs: LatencySummary
  /** How late the probe itself started each connect after its intended time (the client's own
   * timer and event loop), µs: the part of the latency that is ours, not the server's. */
  sendLateUs: { p50: number; max: number }
}

/** A phase while it runs: the report's counts, with the raw latencies and lateness behind them. */
type PhaseTally = Omit<ProbePhaseReport, 'latencyUs' | 'sendLateUs'> & {
  /** performance.now() when the phase began. */
  from: number
  histogram: LatencyHistogram
  lateMs: number[]
}

export class Probe {
  readonly #spec: ProbeSpec
  readonly #request: Buffer
  readonly #target: { host: string; port: number }
  readonly #phases: PhaseTally[] = []
  readonly #inFlight = new Set<Promise<void>>()
  #start = 0
  #sentCount = 0
  #timer: NodeJS.Timeout | undefined
  #stopped = false
  #paused = false

  constructor(spec: ProbeSpec) {
    if (!(spec.ratePerSec > 0) || !(spec.timeoutMs > 0)) throw new Error('probe: ratePerSec and timeoutMs must be > 0')
    this.#spec = spec
    const target = loopbackTarget(spec.origin)
    this.#target = target
    this.#request = buildCloseRequest({ method: 'GET', path: spec.path, headers: {} }, target.hostHeader)
  }

  /** Start the schedule; probes belong to `phase` until the next phase() call. */
  start(phase: string): void {
    this.#start = performance.now()
    this.phase(phase)
    this.#tick()
  }

  /** From now on, probes whose intended time comes belong to this phase. */
  phase(name: string): void {
    this.#phases.push(tally(name, performance.now()))
  }

  /**
   * Send nothing until resume(): the probes whose intended time falls in the pause are skipped, not
   * sent late, and counted nowhere. Resolves once the probes in flight have ended, so the server can
   * be read with no probe of ours inside it (fork starts a process per probe: a memory reading
   * taken meanwhile would count the probe's processes as the crowd's).
   */
  async pause(): Promise<void> {
    this.#paused = true
    await Promise.all(this.#inFlight)
  }

  resume(): void {
    this.#paused = false
  }

  /** No further probes; waits for those in flight (each bounded by timeoutMs), then reports each phase. */
  async stop(): Promise<ProbePhaseReport[]> {
    this.#stopped = true
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    await Promise.all(this.#inFlight)
    const source = `probe: fresh connection per request at ${this.#spec.ratePerSec}/s, from the intended send time; no answer counted at ${this.#spec.timeoutMs} ms`
    return this.#phases.map(({ from: _from, histogram, lateMs, ...counts }) => ({
      ...counts,
      latencyUs: summarizeHistogram(histogram, source),
      sendLateUs: lateness(lateMs),
    }))
  }

  /** Send every probe whose intended time has come, then sleep until the next one. */
  #tick(): void {
    if (this.#stopped) return
    const gapMs = 1000 / this.#spec.ratePerSec
    const now = performance.now()
    while (this.#start + this.#sentCount * gapMs <= now) {
      if (!this.#paused) this.#send(this.#start + this.#sentCount * gapMs)
      this.#sentCount++
    }
    this.#timer = setTimeout(() => this.#tick(), Math.max(0, this.#start + this.#sentCount * gapMs - performance.now()))
  }

  #send(intended: number): void {
    // the phase in force at the intended time (a late timer must not move a probe into the next one)
    const phase = this.#phases.findLast((p) => p.from <= intended) ?? this.#phases[0]!
    phase.sent++
    phase.lateMs.push(performance.now() - intended)
    const done = new Promise<void>((resolve) => {
      const socket = net.connect({ host: this.#target.host, port: this.#target.port, noDelay: true })
      let head = ''
      let expected = -1
      let received = 0
      let finished = false
      const finish = (outcome: 'answered' | 'noAnswer' | 'refused' | 'reset' | 'closed'): void => {
        if (finished) return
        finished = true
        clearTimeout(timer)
        socket.destroy()
        phase[outcome]++
        if (outcome === 'answered') recordMs(phase.histogram, performance.now() - intended)
        if (outcome === 'noAnswer') recordMs(phase.histogram, this.#spec.timeoutMs)
        resolve()
      }
      const timer = setTimeout(() => finish('noAnswer'), Math.max(0, intended + this.#spec.timeoutMs - performance.now()))
      let connected = false
      socket.on('connect', () => {
        connected = true
        socket.write(this.#request)
      })
      socket.on('data', (chunk: Buffer) => {
        received += chunk.length
        if (expected < 0) {
          head += chunk.toString('latin1')
          const end = head.indexOf('\r\n\r\n')
          if (end < 0) return
          const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0)
          if (status < 200 || status > 299) phase.non2xx++
          const length = /\r\ncontent-length: *(\d+)/i.exec(head.slice(0, end))
          expected = end + 4 + (length === null ? 0 : Number(length[1]))
          head = ''
        }
        if (received >= expected) finish('answered')
      })
      socket.on('end', () => finish(expected >= 0 && received >= expected ? 'answered' : received > 0 ? 'answered' : 'closed'))
      socket.on('error', () => finish(connected ? 'reset' : 'refused'))
      socket.on('close', () => finish(received > 0 ? 'answered' : 'closed'))
    })
    this.#inFlight.add(done)
    void done.then(() => this.#inFlight.delete(done))
  }
}

/** p50 and max of how late probes were sent, ms → µs. */
function lateness(lateMs: number[]): ProbePhaseReport['sendLateUs'] {
  return lateMs.length === 0 ? { p50: 0, max: 0 } : { p50: Math.round(quantile(lateMs, 0.5) * 1000), max: Math.round(Math.max(...lateMs) * 1000) }
}

function tally(phase: string, from: number): PhaseTally {
  return { phase, from, sent: 0, answered: 0, noAnswer: 0, refused: 0, reset: 0, closed: 0, non2xx: 0, histogram: createLatencyHistogram(), lateMs: [] }
}
