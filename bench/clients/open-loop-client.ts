// The open-loop client (issue #10; wrk2, mutilate): requests are due on a schedule at a fixed
// offered rate (stats/arrival-schedule.ts: Poisson or uniform, seeded) whatever the server does,
// and latency runs from each request's INTENDED send time, so a server that stalls cannot hide the
// stall by slowing the client down (coordinated omission).
//
// Keep-alive: a pool of connections, ONE request in flight on each (wrk2's rule). A request whose
// turn comes while every connection is busy waits in the client, in order, and that wait stays in
// its latency; the pool grows on demand (a connection opened for each request waiting beyond those
// already connecting) up to maxConnections, and the result says how many it held at once. Close:
// a new connection per request (`Connection: close`), at most maxConnections open at once, the rest
// waiting in the client the same way.
//
// Timing: Node's timers fire on whole milliseconds, often a millisecond late (lateness p50 ~0.6 ms,
// p99 1.4–3 ms here), and polling the event loop until a due time burns a core that a 2-core
// machine's scheduler then takes away in whole slices. So a thread sleeps precisely until the next
// due time and wakes the event loop (precise-wake.ts); on each wake, and after each response, the
// scheduler dispatches every request whose time has come, each stamped with its own intended time.
// Its lateness (dispatch − intended) is measured for every request: it is the client's own error,
// and a run where its p99 passes 1 ms, the send rate falls short, or its event loop was busy over
// 90% of the schedule (answers then wait to be read) is flagged client-lagging (open-loop-tally.ts).
// The client runs under SCHED_FIFO where it may (bench/host/realtime-priority.ts): on this VM an
// ordinary thread waking beside the server waited behind it for ms at a time. A realtime sleep has
// no timer slack, so its wake thread does not spin. Measured 2026-12-06 against the null server,
// 2 s per rate: lateness p50 14–64 µs and p99 36–362 µs from 1,000/s to 24,000/s.
//
// Every request due in the measured window is followed to its end after the window (answer, error,
// or timeout at timeoutMs from its intended time, recorded at timeoutMs as a lower bound): none
// vanishes. Run it in a process of its own (load-session.ts runOpenLoopInWorker) so the client's
// CPU and event loop are nobody else's; clientCpuSec is this process's CPU over the run.
import { performance, type EventLoopUtilization } from 'node:perf_hooks'
import { buildCloseRequest } from './close-client.js'
import { validateLoadSpec } from './run-load.js'
import { loadTarget, type LoadTarget } from './load-target.js'
import { OpenLoopConnection, type ConnectionOwner, type ExchangeOutcome } from './open-loop-connection.js'
import { OpenLoopTally } from './open-loop-tally.js'
import { PreciseWake, SPIN_US } from './precise-wake.js'
import { ordinaryScheduling, raiseToRealtime } from '../host/realtime-priority.js'
import { arrivalSchedule, type ArrivalSchedule } from '../stats/arrival-schedule.js'
import type { OpenLoopResult, OpenLoopSpec } from '../types.js'

/** wrk2 and k6 go to a few thousand connections; one fd each, under the usual 1024 soft limit. */
const MAX_CONNECTIONS = 1000
const MAX_RATE = 1_000_000

export interface OpenLoopTuning {
  /** How the scheduler waits for the next due time: woken by a thread (precise-wake.ts, the
   * default) or on Node's timers alone (ms-granular: lateness p50 ~0.6 ms here, for comparison). */
  wake?: 'thread' | 'timer'
  /** Run at realtime priority where permitted (default true; realtime-priority.ts says why). */
  realtime?: boolean
}

/** Checks an open-loop spec; throws one clear line on the first problem. */
export function validateOpenLoopSpec(spec: OpenLoopSpec): OpenLoopSpec {
  const fail = (why: string): never => { throw new Error(`bad open-loop spec: ${why}`) }
  if (typeof spec !== 'object' || spec === null) fail('not an object')
  if (!(typeof spec.rate === 'number' && spec.rate > 0 && spec.rate <= MAX_RATE)) fail(`rate must be > 0 and ≤ ${MAX_RATE} requests/s (got ${String(spec.rate)})`)
  if (spec.arrivals !== 'poisson' && spec.arrivals !== 'uniform') fail(`arrivals must be poisson or uniform (got ${JSON.stringify(spec.arrivals)})`)
  if (!(typeof spec.warmupSec === 'number' && spec.warmupSec >= 0 && spec.warmupSec <= 600)) fail('warmupSec must be from 0 to 600')
  if (spec.seed !== undefined && !Number.isInteger(spec.seed)) fail('seed must be an integer')
  if (!Number.isInteger(spec.maxConnections) || spec.maxConnections < 1 || spec.maxConnections > MAX_CONNECTIONS) fail(`maxConnections must be an integer from 1 to ${MAX_CONNECTIONS}`)
  // the fields it shares with a closed-loop LoadSpec follow the same rules
  validateLoadSpec({ ...spec, connections: spec.maxConnections, pipelining: 1 })
  return spec
}

export async function runOpenLoop(spec: OpenLoopSpec, tuning: OpenLoopTuning = {}): Promise<OpenLoopResult> {
  validateOpenLoopSpec(spec)
  const target = loadTarget(spec.origin)
  const cycle = (spec.requests ?? [spec]).map((r) => ({
    bytes: buildCloseRequest({ ...spec, ...r, headers: { ...spec.headers, ...r.headers } }, target.hostHeader, spec.mode === 'close'),
    bodyless: r.method === 'HEAD',
  }))
  // raised before the wake thread starts, which inherits the policy
  const grant = tuning.realtime === false ? ordinaryScheduling('as asked') : raiseToRealtime()
  try {
    const cpuBefore = process.cpuUsage()
    // a realtime thread's sleep has no timer slack (an ordinary one's is 50 µs), so it need not spin
    const spinUs = grant.realtime ? 0 : SPIN_US
    const run = new OpenLoopRun(spec, target, cycle, tuning.wake ?? 'thread', spinUs)
    const tally = await run.finished
    const cpu = process.cpuUsage(cpuBefore)
    return tally.result({
      mode: spec.mode, arrivals: spec.arrivals, targetRate: spec.rate, timeoutMs: spec.timeoutMs,
      clientCpuSec: (cpu.user + cpu.system) / 1e6, clientScheduling: grant.scheduling,
    })
  } finally {
    grant.restore()
  }
}

class OpenLoopRun implements ConnectionOwner {
  readonly finished: Promise<OpenLoopTally>
  private resolve!: (tally: OpenLoopTally) => void
  private readonly keepAlive: boolean
  private readonly schedule: ArrivalSchedule
  private start = 0
  /** The event loop's utilization when the schedule began (performance.eventLoopUtilization). */
  private eluAtStart: EventLoopUtilization | undefined
  private tally!: OpenLoopTally
  private nextAt = 0
  private schedulingDone = false
  private done = false
  /** Which request of the cycle goes next. */
  private turn = 0
  private readonly all = new Set<OpenLoopConnection>()
  private readonly connecting = new Set<OpenLoopConnection>()
  /** Keep-alive connections with nothing in flight (a stack: the most recently used goes first). */
  private readonly idle: OpenLoopConnection[] = []
  /** Intended times of requests waiting for a connection, oldest first, from `head`. */
  private queue: number[] = []
  private head = 0
  private inFlight = 0
  private sweeper: NodeJS.Timeout | undefined
  private waker: PreciseWake | undefined
  private timerSet = false

  constructor(
    private readonly spec: OpenLoopSpec,
    private readonly target: LoadTarget,
    private readonly cycle: Array<{ bytes: Buffer; bodyless: boolean }>,
    wake: 'thread' | 'timer',
    spinUs: number,
  ) {
    if (wake === 'thread') this.waker = new PreciseWake(() => this.tick(), spinUs)
    this.keepAlive = spec.mode === 'keepalive'
    this.schedule = arrivalSchedule(spec.arrivals, spec.rate, spec.seed)
    this.finished = new Promise((resolve) => { this.resolve = resolve })
    // keep-alive starts with one connection made, so the first requests do not all wait for a connect
    if (this.keepAlive) this.open()
    else this.begin()
  }

  private begin(): void {
    this.start = performance.now()
    this.eluAtStart = performance.eventLoopUtilization()
    const windowStart = this.start + this.spec.warmupSec * 1000
    this.tally = new OpenLoopTally(windowStart, this.spec.durationSec)
    this.tally.connectionsUsed = this.all.size
    this.nextAt = this.start + this.schedule.next()
    // one sweep instead of a timer per request; a timeout is noticed within timeoutMs + the sweep
    const sweepMs = Math.max(5, Math.min(100, Math.floor(this.spec.timeoutMs / 4)))
    this.sweeper = setInterval(() => this.sweep(), sweepMs)
    this.tick()
  }

  /** Dispatch every request whose time has come, then sleep (or poll) until the next is due. */
  private tick(): void {
    for (;;) {
      if (this.nextAt >= this.tally.windowEnd) {
        this.schedulingDone = true
        this.tally.eventLoopBusy = performance.eventLoopUtilization(this.eluAtStart).utilization
        return this.checkDone()
      }
      const now = performance.now()
      if (this.nextAt > now) break
      this.dispatch(this.nextAt, now)
      this.nextAt = this.start + this.schedule.next()
    }
    if (this.waker !== undefined) this.waker.wakeAt(this.nextAt)
    else if (!this.timerSet) {
      this.timerSet = true
      setTimeout(() => { this.timerSet = false; this.tick() }, this.nextAt - performance.now())
    }
  }

  private dispatch(intended: number, now: number): void {
    if (intended >= this.tally.windowStart) this.tally.dispatched(intended, now)
    if (this.keepAlive) {
      const connection = this.idle.pop()
      if (connection !== undefined) return this.sendOn(connection, intended)
      this.queue.push(intended)
      return this.grow()
    }
    if (this.all.size < this.spec.maxConnections) this.sendOnNew(intended)
    else this.queue.push(intended)
  }

  private sendOn(connection: OpenLoopConnection, intended: number): void {
    const request = this.cycle[this.turn]!
    this.turn = (this.turn + 1) % this.cycle.length
    this.inFlight++
    connection.send(request.bytes, request.bodyless, intended, intended >= this.tally.windowStart)
  }

  /** Close mode: a connection of its own for this request (counted in connectionsUsed when measured). */
  private sendOnNew(intended: number): void {
    if (intended >= this.tally.windowStart) this.tally.connectionsUsed++
    const connection = new OpenLoopConnection(this, this.target)
    this.all.add(connection)
    this.sendOn(connection, intended)
  }

  /** Keep-alive: one more connection in the pool (the most held at once is connectionsUsed). */
  private open(): void {
    const connection = new OpenLoopConnection(this, this.target)
    this.all.add(connection)
    this.connecting.add(connection)
    if (this.tally !== undefined && this.all.size > this.tally.connectionsUsed) this.tally.connectionsUsed = this.all.size
  }

  /** Keep-alive: a new connection for each waiting request beyond those already connecting, up to the cap. */
  private grow(): void {
    while (this.queue.length - this.head > this.connecting.size && this.all.size < this.spec.maxConnections) this.open()
  }

  private dequeue(): number | undefined {
    if (this.head >= this.queue.length) return undefined
    const intended = this.queue[this.head++]!
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head)
      this.head = 0
    }
    return intended
  }

  ready(connection: OpenLoopConnection): void {
    if (!this.keepAlive) return
    this.connecting.delete(connection)
    if (this.tally === undefined) this.begin() // the first connection: the schedule starts now
    this.give(connection)
  }

  /** A keep-alive connection is free: the oldest waiting request takes it, or it goes idle. */
  private give(connection: OpenLoopConnection): void {
    const intended = this.dequeue()
    if (intended !== undefined) this.sendOn(connection, intended)
    else this.idle.push(connection)
  }

  ended(connection: OpenLoopConnection, outcome: ExchangeOutcome, status: number, now: number): void {
    this.inFlight--
    if (connection.measured) {
      if (connection.writtenAt > 0) this.tally.sent++
      if (outcome === 'response') this.tally.response(connection.intended, connection.writtenAt, now, status)
      else this.tally.errors++
    }
    if (!this.keepAlive) connection.socket.destroy() // 'close' follows and lets the next waiting request in
    else if (outcome === 'response' && connection.connected && !this.done) this.give(connection)
    else connection.socket.destroy()
    this.checkDone()
    // a busy client gets round to its schedule between responses too, not only when woken
    if (!this.schedulingDone && this.nextAt <= now) this.tick()
  }

  closed(connection: OpenLoopConnection): void {
    this.all.delete(connection)
    const refused = this.connecting.delete(connection)
    const at = this.idle.indexOf(connection)
    if (at >= 0) this.idle.splice(at, 1)
    if (this.done) return
    if (this.tally === undefined) {
      // the first connect failed: nothing can be measured; every request of the run will count as an error
      return this.begin()
    }
    if (this.keepAlive) {
      // a connect that failed takes down the waiting request it was opened for (an error), so a
      // refusing server costs one attempt per request, not a loop of reconnects
      const lost = refused ? this.dequeue() : undefined
      if (lost !== undefined && lost >= this.tally.windowStart) this.tally.errors++
      this.grow()
    } else if (this.all.size < this.spec.maxConnections) {
      const intended = this.dequeue()
      if (intended !== undefined) this.sendOnNew(intended)
    }
    this.checkDone()
  }

  /** Requests unanswered timeoutMs after their intended time: recorded at timeoutMs, their connection dropped. */
  private sweep(): void {
    const now = performance.now()
    const limit = this.spec.timeoutMs
    for (const connection of this.all) {
      if (!connection.busy || now - connection.intended <= limit) continue
      this.inFlight--
      if (connection.measured) {
        if (connection.writtenAt > 0) this.tally.sent++
        this.tally.timeout(connection.intended, connection.writtenAt, limit)
      }
      connection.abandon()
    }
    while (this.head < this.queue.length && now - this.queue[this.head]! > limit) {
      const intended = this.dequeue()!
      if (intended >= this.tally.windowStart) this.tally.timeout(intended, 0, limit)
    }
    this.checkDone()
  }

  private checkDone(): void {
    if (this.done || !this.schedulingDone || this.inFlight > 0 || this.head < this.queue.length) return
    this.done = true
    clearInterval(this.sweeper)
    void this.waker?.close()
    for (const connection of this.all) connection.socket.destroy()
    this.resolve(this.tally)
  }
}
