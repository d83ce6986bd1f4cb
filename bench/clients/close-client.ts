// The project's own close-per-request load client: `connections` concurrent loops of
// connect → write one request carrying `Connection: close` → read the whole response → close.
// autocannon cannot do this correctly (it drops the response that triggers a reconnect and leaks
// stale start times: research/bench-anchors.md §0), so close-mode cells use this client.
//
// Timing: connect time (connect() called → 'connect') and response time (request written →
// response complete) go into separate µs HDR histograms, like h2load and oha report them.
// A response is complete when Content-Length body bytes have arrived (0 for HEAD, 1xx, 204, 304);
// without Content-Length it is read to close. The client then closes its end at once, as wrk does
// (wrk src/wrk.c response_complete → reconnect_socket).
//
// Deadline rule: no connection starts after durationSec; every connection started before it is
// followed to its end (response, error or timeout), so each response the server sent is counted
// exactly once; durationSec is measured to the end of the last one.
//
// Per loop (issue 14): each loop is one "connection" slot of the run's ConnectionLedger; a
// timed-out request goes into the latency histogram at its age, as a lower bound. Nothing is left
// outstanding at the end: the deadline rule follows every exchange to its end.
//
// Cost: on 2 cores this client is CPU-bound, so the request is built once, each loop reuses one
// socket object and one read buffer (net `onread`), and timeouts are checked by one sweep timer
// instead of a timer per request.
import net from 'node:net'
import { performance } from 'node:perf_hooks'
import { readResponseHead } from './response-head.js'
import { ConnectionLedger } from '../stats/connection-ledger.js'
import { createLatencyHistogram, recordMs, summarizeHistogram } from '../stats/latency-histogram.js'
import type { LoadClient } from './load-client.js'
import { loadTarget, type LoadTarget } from './load-target.js'
import type { LoadResult, LoadSpec } from '../types.js'

/** The old name of the load-target guard (load-target.ts), which now also admits 198.18.0.0/15. */
export const loopbackTarget = loadTarget

/** The request bytes, built once. Connection and Content-Length are ours to set; the spec's other headers pass through.
 * `close` false leaves Connection out (HTTP/1.1 keeps the connection: the open-loop client's keep-alive pool). */
export function buildCloseRequest(spec: Pick<LoadSpec, 'method' | 'path' | 'headers' | 'body'>, hostHeader: string, close = true): Buffer {
  const body = spec.body === undefined ? Buffer.alloc(0) : Buffer.from(spec.body)
  const lines = [`${spec.method} ${spec.path} HTTP/1.1`]
  const names = Object.keys(spec.headers).map((name) => name.toLowerCase())
  if (!names.includes('host')) lines.push(`Host: ${hostHeader}`)
  for (const [name, value] of Object.entries(spec.headers)) {
    const lower = name.toLowerCase()
    if (lower !== 'connection' && lower !== 'content-length') lines.push(`${name}: ${value}`)
  }
  if (close) lines.push('Connection: close')
  if (body.length > 0 || spec.method === 'POST' || spec.method === 'PUT') lines.push(`Content-Length: ${body.length}`)
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), body])
}

/** One read buffer per loop: 64 KiB, the size libuv reads into by default. */
const READ_BUFFER = 64 * 1024

type Outcome = 'response' | 'error' | 'timeout'

/** What one run counts; shared by all loops. */
class Tally {
  requests = 0
  non2xx = 0
  errors = 0
  timeouts = 0
  bytesRead = 0
  readonly latency = createLatencyHistogram()
  readonly connectLatency = createLatencyHistogram()
  readonly perSecond: number[] = []
  readonly start = performance.now()
  /** When the last exchange ended. */
  end = this.start
  readonly ledger: ConnectionLedger
  /** Timed-out requests recorded in `latency` at their age. */
  lowerBounds = 0
  constructor(connections: number) {
    this.ledger = new ConnectionLedger(connections, this.start)
  }
}

/**
 * One connect → request → response → close loop. It owns one net.Socket for the whole run and
 * connects it again after each 'close' (net's socket.connect() allows exactly that), with its
 * listeners attached once: a new Socket per request cost ~15 µs more CPU here, and this client is
 * CPU-bound on 2 cores.
 */
class Loop {
  private readonly socket: net.Socket
  private startedAt = 0
  private writtenAt = 0
  /** Which request of the cycle the current exchange sends. */
  private turn = 0
  /** The current exchange has ended (counted); waiting for 'close' before the next one. */
  private ended = true
  private status = 0
  /** Body bytes still expected; -1 = no length, read to close. */
  private remaining = -1
  /** A response head split across reads, gathered here (rare). */
  private head: Buffer | null = null

  constructor(
    /** This loop's slot in the tally's ledger. */
    private readonly index: number,
    private readonly target: LoadTarget,
    /** The request cycle (one entry unless the spec gives `requests`); each loop walks it in turn. */
    private readonly cycle: Array<{ bytes: Buffer; bodyless: boolean }>,
    private readonly tally: Tally,
    private readonly shouldStop: () => boolean,
    private readonly onIdle: () => void,
  ) {
    // net.Socket's constructor takes `onread` (net.connect passes its options straight to it);
    // @types/node only declares it on the connect options.
    const options: net.SocketConstructorOpts & Pick<net.TcpSocketConnectOpts, 'onread'> = {
      onread: { buffer: Buffer.allocUnsafe(READ_BUFFER), callback: (bytes, buffer) => this.onRead(bytes, buffer as Buffer) },
    }
    this.socket = new net.Socket(options)
    this.socket.on('connect', () => this.onConnect())
    this.socket.on('end', () => this.onEnd())
    this.socket.on('error', () => this.finish('error'))
    this.socket.on('close', () => this.onClose())
  }

  /** Starts the next exchange, or goes idle once the deadline has passed. */
  next(): void {
    if (this.shouldStop()) return this.onIdle()
    this.ended = false
    this.status = 0
    this.remaining = -1
    this.head = null
    this.writtenAt = 0
    this.startedAt = performance.now()
    this.socket.connect(this.target.port, this.target.host)
  }

  /** Ends the exchange in flight as a timeout if it began more than timeoutMs ago. */
  checkTimeout(now: number, timeoutMs: number): void {
    if (!this.ended && now - this.startedAt > timeoutMs) this.finish('timeout')
  }

  private onConnect(): void {
    if (this.ended) return
    recordMs(this.tally.connectLatency, performance.now() - this.startedAt)
    this.socket.write(this.cycle[this.turn]!.bytes)
    this.writtenAt = performance.now()
  }

  private onRead(bytes: number, buffer: Buffer): boolean {
    if (this.ended) return false
    this.tally.bytesRead += bytes
    if (this.status === 0) this.onHead(buffer, bytes)
    else this.onBody(bytes)
    return true
  }

  private onHead(buffer: Buffer, bytes: number): void {
    // common case: the whole head is in this read; otherwise gather it (copies)
    let view = buffer.subarray(0, bytes)
    if (this.head !== null) view = Buffer.concat([this.head, view])
    const head = readResponseHead(view)
    if (head === 'malformed') return this.finish('error')
    if (head === null) {
      this.head = Buffer.from(view)
      return
    }
    this.head = null
    const { status, length, bodyAt } = head
    this.status = status
    this.remaining = this.cycle[this.turn]!.bodyless || status === 204 || status === 304 ? 0 : length
    if (this.remaining === 0) return this.finish('response')
    this.onBody(view.length - bodyAt)
  }

  private onBody(bytes: number): void {
    if (this.remaining < 0) return
    this.remaining -= bytes
    if (this.remaining <= 0) this.finish('response')
  }

  private onClose(): void {
    // closed with the exchange still open (neither 'end' nor 'error' came first): count it, never lose it
    if (!this.ended) this.finish('error')
    this.next()
  }

  private onEnd(): void {
    // peer closed: a read-to-close body is complete; anything else was cut off
    this.finish(this.status !== 0 && this.remaining < 0 ? 'response' : 'error')
  }

  private finish(outcome: Outcome): void {
    if (this.ended) return
    this.ended = true
    this.turn = (this.turn + 1) % this.cycle.length
    const tally = this.tally
    const now = performance.now()
    if (outcome === 'response') {
      tally.requests++
      recordMs(tally.latency, now - this.writtenAt)
      const second = Math.floor((now - tally.start) / 1000)
      tally.perSecond[second] = (tally.perSecond[second] ?? 0) + 1
      if (this.status > 299) tally.non2xx++
      tally.ledger.response(this.index, now)
    } else if (outcome === 'timeout') {
      tally.timeouts++
      // a request written and never answered waited at least this long (a connect that never
      // completed sent no request: it is a timeout only)
      if (this.writtenAt > 0) {
        recordMs(tally.latency, now - this.writtenAt)
        tally.lowerBounds++
      }
    } else {
      tally.errors++
    }
    tally.end = now
    if (!this.socket.destroyed) this.socket.destroy() // 'close' follows and starts the next exchange
  }
}

export const closeClient: LoadClient = {
  name: 'close-client',
  modes: ['close'],
  unavailable: () => null, // our own code
  run: (spec) => runCloseClient(spec),
}

export async function runCloseClient(spec: LoadSpec): Promise<LoadResult> {
  if (spec.mode !== 'close') throw new Error(`close-client only runs mode 'close' (got '${spec.mode}'); use autocannon or wrk for keep-alive`)
  const target = loadTarget(spec.origin)
  const cycle = (spec.requests ?? [spec]).map((r) => ({
    bytes: buildCloseRequest({ ...spec, ...r, headers: { ...spec.headers, ...r.headers } }, target.hostHeader),
    bodyless: r.method === 'HEAD',
  }))
  const tally = new Tally(spec.connections)
  let stopping = false

  await new Promise<void>((resolve) => {
    let idle = 0
    const onIdle = (): void => {
      if (++idle < spec.connections) return
      clearInterval(sweeper)
      clearTimeout(deadline)
      resolve()
    }
    const loops = Array.from({ length: spec.connections }, (_, i) =>
      new Loop(i, target, cycle, tally, () => stopping, onIdle))
    // One sweep instead of a timer per request; a timeout is noticed within timeoutMs + sweep.
    const sweepMs = Math.max(10, Math.min(100, Math.floor(spec.timeoutMs / 4)))
    const sweeper = setInterval(() => {
      const now = performance.now()
      for (const loop of loops) loop.checkTimeout(now, spec.timeoutMs)
    }, sweepMs)
    const deadline = setTimeout(() => { stopping = true }, spec.durationSec * 1000)
    for (const loop of loops) loop.next()
  })

  const durationSec = Math.max(tally.end - tally.start, 1) / 1000
  const latency = summarizeHistogram(tally.latency, 'close-client hdr µs (request written → response complete)')
  return {
    driver: 'close-client',
    mode: 'close',
    durationSec,
    requests: tally.requests,
    requestsPerSec: tally.requests / durationSec,
    non2xx: tally.non2xx,
    errors: tally.errors,
    timeouts: tally.timeouts,
    bytesRead: tally.bytesRead,
    latencyUs: { ...latency, lowerBounds: tally.lowerBounds },
    connectUs: summarizeHistogram(tally.connectLatency, 'close-client hdr µs (connect → established)'),
    clientCpuSec: 0, // measured by the process that runs the client (run-load)
    perSecond: Array.from(tally.perSecond, (count) => count ?? 0),
    ...tally.ledger.close(tally.end),
    longestWaitUs: latency.max,
    outstanding: [],
  }
}
