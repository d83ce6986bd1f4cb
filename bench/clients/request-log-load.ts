// A closed-loop keep-alive load that logs every request: N connections, each sending its next
// request as soon as the last one is answered, the request chosen by a plan (so a write load can
// follow what each connection's answers told it), and every exchange recorded with its send and
// answer times, its status, or why it was lost (the connection closed or reset with the request in
// flight, no answer within the request timeout, or the connection refused). A lost connection
// reconnects after a short pause, as a load generator would. For fault runs, where what matters
// is each request's fate, not a throughput histogram.

import net from 'node:net'
import { loadTarget } from './load-target.js'
import { contentLength, parseStatus } from './response-head.js'

export interface PlannedRequest {
  method: 'GET' | 'POST'
  path: string
}

export interface LoggedExchange {
  connection: number
  request: PlannedRequest
  /** ms since the load started */
  sentAtMs: number
  /** When the answer (or the loss) came, ms since the load started. */
  doneAtMs: number
  /** The status, or why no answer came. */
  status: number | 'closed' | 'timeout' | 'refused'
}

export interface RequestPlan {
  /** The next request of this connection. */
  next(connection: number): PlannedRequest
  /** Called with each finished exchange (and its body when wantsBody), before the connection's next
   * request is asked for. */
  settled?(exchange: LoggedExchange, body?: Buffer): void
  readonly wantsBody?: boolean
}

export interface RequestLogLoadOptions {
  connections: number
  plan: RequestPlan
  /** A request unanswered this long is lost (and its connection closed): a hang, not a delay. */
  requestTimeoutMs: number
  reconnectDelayMs?: number
}

const MAX_CONNECTIONS = 1000

export class RequestLogLoad {
  readonly exchanges: LoggedExchange[] = []
  readonly #started = performance.now()
  #stopped = false
  #stoppedAtMs = Infinity
  readonly #done: Promise<void>

  private constructor(origin: string, options: RequestLogLoadOptions) {
    const target = loadTarget(origin)
    if (!Number.isInteger(options.connections) || options.connections < 1 || options.connections > MAX_CONNECTIONS) {
      throw new Error(`connections must be 1–${MAX_CONNECTIONS}, got ${options.connections}`)
    }
    this.#done = Promise.all(Array.from({ length: options.connections }, (_, i) => this.#run(target.host, target.port, target.hostHeader, i, options))).then(() => undefined)
  }

  static start(origin: string, options: RequestLogLoadOptions): RequestLogLoad {
    return new RequestLogLoad(origin, options)
  }

  now(): number {
    return performance.now() - this.#started
  }

  /** When stop() was called, ms since the start. */
  get stoppedAtMs(): number {
    return this.#stoppedAtMs
  }

  /** Send nothing more; resolves when every request in flight is answered or lost. */
  async stop(): Promise<void> {
    if (!this.#stopped) this.#stoppedAtMs = this.now()
    this.#stopped = true
    await this.#done
  }

  async #run(host: string, port: number, hostHeader: string, connection: number, options: RequestLogLoadOptions): Promise<void> {
    while (!this.#stopped) {
      const lost = await this.#connection(host, port, hostHeader, connection, options)
      if (lost) await new Promise((r) => setTimeout(r, options.reconnectDelayMs ?? 20))
    }
  }

  #log(exchange: LoggedExchange, plan: RequestPlan, body?: Buffer): void {
    this.exchanges.push(exchange)
    plan.settled?.(exchange, body)
  }

  /** One connection's life: requests until stopped (false) or until one is lost (true). */
  #connection(host: string, port: number, hostHeader: string, connection: number, options: RequestLogLoadOptions): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = net.connect({ port, host, noDelay: true })
      let buffer: Buffer = Buffer.alloc(0)
      let connected = false
      let timer: NodeJS.Timeout | undefined
      let inFlight: { request: PlannedRequest; sentAtMs: number } | undefined
      let settled = false
      const finish = (lost: LoggedExchange['status'] | undefined): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        socket.destroy()
        if (lost !== undefined && inFlight !== undefined) this.#log({ connection, ...inFlight, doneAtMs: this.now(), status: lost }, options.plan)
        else if (lost === 'refused') this.#log({ connection, request: options.plan.next(connection), sentAtMs: this.now(), doneAtMs: this.now(), status: 'refused' }, options.plan)
        resolve(lost !== undefined)
      }
      const send = (): void => {
        if (this.#stopped) return finish(undefined)
        const request = options.plan.next(connection)
        inFlight = { request, sentAtMs: this.now() }
        timer = setTimeout(() => finish('timeout'), options.requestTimeoutMs)
        const body = request.method === 'POST' ? 'Content-Length: 0\r\n' : ''
        socket.write(`${request.method} ${request.path} HTTP/1.1\r\nHost: ${hostHeader}\r\n${body}\r\n`)
      }
      socket.on('connect', () => {
        connected = true
        send()
      })
      socket.on('data', (chunk: Buffer) => {
        buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk])
        const end = buffer.indexOf('\r\n\r\n')
        if (end < 0) return
        const head = buffer.subarray(0, end + 4).toString('latin1')
        const length = contentLength(head)
        if (length < 0) return finish('closed') // every answer of ours has a Content-Length
        if (buffer.length < end + 4 + length) return
        clearTimeout(timer)
        const body = options.plan.wantsBody === true ? buffer.subarray(end + 4, end + 4 + length) : undefined
        buffer = Buffer.alloc(0) // one request in flight: nothing can follow its response
        this.#log({ connection, ...inFlight!, doneAtMs: this.now(), status: parseStatus(head) }, options.plan, body)
        inFlight = undefined
        // the server closes after this answer: a fresh connection, no request lost
        if (/\r\nconnection:[ \t]*close/i.test(head)) return finish(undefined)
        send()
      })
      socket.on('error', () => {})
      socket.on('close', () => finish(connected ? (this.#stopped && inFlight === undefined ? undefined : 'closed') : 'refused'))
    })
  }
}
