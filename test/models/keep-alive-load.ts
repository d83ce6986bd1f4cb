// A small closed-loop keep-alive load for fault tests: N connections, each sending its next GET as
// soon as the last one is answered, recording every answer (when, on which connection, and who
// served it: the crash app answers with its pid and thread) and every request lost (the connection
// closed or reset with the request in flight, or no answer within the request timeout). A lost
// connection reconnects after a short pause, as a load generator would.
import net from 'node:net'
import { parseResponses } from '../helpers/raw-http.js'

export interface Answer {
  /** ms since the load started */
  atMs: number
  connection: number
  status: number
  /** The response body (the crash app's "pid P thread T"). */
  body: string
}

export interface Loss {
  atMs: number
  connection: number
  /** Who answered this connection's previous request (the server the lost request was on). */
  lastServer: string | undefined
  why: 'closed' | 'timeout' | 'refused'
}

export interface LoadOptions {
  connections: number
  path: string
  /** A request unanswered this long is lost (and its connection closed): a hang, not a delay. */
  requestTimeoutMs?: number
  reconnectDelayMs?: number
}

export class KeepAliveLoad {
  readonly answers: Answer[] = []
  readonly losses: Loss[] = []
  readonly #started = performance.now()
  readonly #last: Array<string | undefined>
  #stopped = false
  readonly #done: Promise<void>

  private constructor(port: number, options: LoadOptions) {
    this.#last = new Array<string | undefined>(options.connections).fill(undefined)
    this.#done = Promise.all(Array.from({ length: options.connections }, (_, i) => this.#run(port, i, options))).then(() => undefined)
  }

  static start(port: number, options: LoadOptions): KeepAliveLoad {
    return new KeepAliveLoad(port, options)
  }

  now(): number {
    return performance.now() - this.#started
  }

  /** Who answered connection i last. */
  lastServer(connection: number): string | undefined {
    return this.#last[connection]
  }

  /** When stop() was called, ms since the start: the last moment the load was complete. */
  stoppedAtMs = Infinity

  async stop(): Promise<void> {
    if (!this.#stopped) this.stoppedAtMs = this.now()
    this.#stopped = true
    await this.#done
  }

  async #run(port: number, connection: number, options: LoadOptions): Promise<void> {
    const timeoutMs = options.requestTimeoutMs ?? 3000
    while (!this.#stopped) {
      const lost = await this.#serveOne(port, connection, options.path, timeoutMs)
      if (lost !== undefined) {
        this.losses.push({ atMs: this.now(), connection, lastServer: this.#last[connection], why: lost })
        await new Promise((r) => setTimeout(r, options.reconnectDelayMs ?? 10))
      }
    }
  }

  /** One connection's life: requests until stopped (undefined) or until one is lost (why). */
  #serveOne(port: number, connection: number, path: string, timeoutMs: number): Promise<Loss['why'] | undefined> {
    return new Promise((resolve) => {
      const socket = net.connect({ port, host: '127.0.0.1', noDelay: true })
      let buffer: Buffer = Buffer.alloc(0)
      let connected = false
      let timer: NodeJS.Timeout | undefined
      let settled = false
      const settle = (why: Loss['why'] | undefined): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        socket.destroy()
        resolve(why)
      }
      const send = (): void => {
        if (this.#stopped) return settle(undefined)
        timer = setTimeout(() => settle('timeout'), timeoutMs)
        socket.write(`GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`)
      }
      socket.on('connect', () => {
        connected = true
        send()
      })
      socket.on('data', (chunk: Buffer) => {
        buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk])
        const [response] = parseResponses(buffer)
        if (response === undefined) return
        clearTimeout(timer)
        buffer = Buffer.alloc(0) // one request in flight: nothing can follow its response
        const body = response.body.toString().trim()
        this.#last[connection] = body
        this.answers.push({ atMs: this.now(), connection, status: response.status, body })
        send()
      })
      socket.on('error', () => {})
      socket.on('close', () => settle(connected ? (this.#stopped ? undefined : 'closed') : 'refused'))
    })
  }
}

export interface Recovery {
  /** Answers per second before the fault (median of binMs bins over the second before it). */
  beforePerSec: number
  /** The lowest rate of a bin in the second after the fault. */
  lowestPerSec: number
  /** From the fault to the end of the first bin, at or after that lowest one, back at ≥ 80% of
   * beforePerSec: how long until throughput recovered (at bin resolution). */
  recoveredAfterMs: number | undefined
}

/** How throughput went through a fault at faultAtMs, from the answers' times, in binMs bins up
 * to endMs (when the load stopped). */
export function recovery(answerTimes: number[], faultAtMs: number, endMs: number, binMs = 100): Recovery {
  const rate = (from: number): number => (answerTimes.filter((t) => t >= from && t < from + binMs).length * 1000) / binMs
  const before: number[] = []
  for (let from = faultAtMs - 1000; from + binMs <= faultAtMs; from += binMs) before.push(rate(from))
  before.sort((a, b) => a - b)
  const beforePerSec = before[Math.floor(before.length / 2)] ?? 0
  let lowest = faultAtMs
  for (let from = faultAtMs; from + binMs <= Math.min(endMs, faultAtMs + 1000); from += binMs) if (rate(from) < rate(lowest)) lowest = from
  let recoveredAfterMs: number | undefined
  for (let from = lowest; from + binMs <= endMs; from += binMs) {
    if (rate(from) >= 0.8 * beforePerSec) {
      recoveredAfterMs = Math.round(from + binMs - faultAtMs)
      break
    }
  }
  return { beforePerSec, lowestPerSec: rate(lowest), recoveredAfterMs }
}
