// One HTTP connection, without the socket: bytes in, ordered response bytes out.
//
// Every model feeds the bytes it reads into a session and writes out what the session hands its
// sink; how bytes are read and written (events, blocking reads, polling, a child process, a
// thread) is the only thing a model decides. Parsing, calling the app, error → status mapping,
// keep-alive and pipelining order, and the head/idle timeouts all live here, once.
//
// Rules:
// - Responses leave in request order, even when a later pipelined request finishes first.
// - A synchronous app result is written at once, without a promise (the fast path).
// - A malformed request gets its 4xx (HttpError.status) after the responses before it, then close;
//   bytes after it are ignored. `Connection: close` (or 1.0 without keep-alive): answer, then close.
// - Expect: 100-continue (RFC 9110 §10.1.1): when a head asks for it and its body has not started
//   to arrive, `HTTP/1.1 100 Continue` is sent once, in its place in the response order (after the
//   responses to earlier pipelined requests). A request refused at its head gets its final status
//   instead and no 100: 413 for a declared length over the limit, 417 for another expectation
//   (the parser's rules). Once the session is finishing no 100 goes out: no body will be read.
// - Timeouts (when enabled): a head that has started must complete within headersTimeoutMs (408),
//   an idle keep-alive connection is closed after keepAliveTimeoutMs (no response: nothing was asked).
import { callApp } from '../app/call-app.js'
import type { App, AppResponse, ConnInfo } from '../app/gateway.js'
import { HttpError, RequestParser, type ParsedRequest, type ParserOptions } from '../http/parser.js'
import { errorResponse, serializeResponseParts } from '../http/response.js'

export interface SessionContext {
  app: App
  limits: Partial<ParserOptions>
  serverName: string
  serverPort: number
  headersTimeoutMs: number
  keepAliveTimeoutMs: number
}

/** Where a session's output goes. A model implements it over its own kind of socket. */
export interface SessionSink {
  /** Response bytes, in order: usually a whole response in one buffer; a large body comes as a
   * second buffer after its head (write both before yielding, or cork: noDelay is on everywhere). */
  write(bytes: Buffer): void
  /** No more output: end the connection once written bytes are flushed. */
  close(): void
}

export interface Peer {
  remoteAddress?: string
  remotePort?: number
}

interface Slot {
  response: AppResponse | undefined
  head: boolean
  keepAlive: boolean
  /** The interim `100 Continue` for the request still reading its body, not a final response. */
  interim?: true
}

// An interim response has no headers worth sending (RFC 9110 §15.2: no content, and nothing in it
// that the final response does not say); node:http sends exactly these bytes too.
const CONTINUE = Buffer.from('HTTP/1.1 100 Continue\r\n\r\n', 'latin1')
/** What an interim slot holds: ready to flush at once (the bytes written are CONTINUE). */
const INTERIM: AppResponse = Object.freeze({ status: 100, reason: 'Continue', headers: [], body: new Uint8Array(0) })

export class HttpSession {
  readonly #parser: RequestParser
  readonly #sink: SessionSink
  readonly #conn: ConnInfo
  readonly #app: App
  readonly #headersTimeoutMs: number
  readonly #keepAliveTimeoutMs: number
  /** Responses not yet written, in request order; only used once something had to wait. */
  readonly #pending: Slot[] = []
  #closed = false
  /** No new requests will be read: a close request, an error, the peer's end, or shutdown. */
  #finishing = false
  /** Answer the first request only, then close (the iterative server's one request per connection). */
  readonly #oneRequest: boolean
  #timer: NodeJS.Timeout | undefined
  #timerKind: 'head' | 'idle' | undefined

  constructor(context: SessionContext, peer: Peer, sink: SessionSink, options: { timers?: boolean; oneRequest?: boolean } = {}) {
    this.#oneRequest = options.oneRequest ?? false
    this.#parser = new RequestParser(context.limits)
    this.#sink = sink
    this.#app = context.app
    this.#conn = {
      remoteAddress: peer.remoteAddress ?? '',
      remotePort: peer.remotePort ?? 0,
      serverName: context.serverName,
      serverPort: context.serverPort,
    }
    const timers = options.timers ?? true
    this.#headersTimeoutMs = timers ? context.headersTimeoutMs : 0
    this.#keepAliveTimeoutMs = timers ? context.keepAliveTimeoutMs : 0
    this.#armIdle()
  }

  /** True when nothing is in flight and no partial request is buffered. */
  get idle(): boolean {
    return this.#pending.length === 0 && this.#parser.buffered === 0
  }

  get closed(): boolean {
    return this.#closed
  }

  /** Feed bytes read from the connection. */
  receive(chunk: Uint8Array): void {
    if (this.#finishing) return
    let requests: ParsedRequest[]
    try {
      requests = this.#parser.push(chunk)
    } catch (error) {
      // Requests completed before the bad bytes in the same chunk are still answered, in order.
      if (error instanceof HttpError) this.#handleAll(error.requests)
      if (!this.#finishing) this.#fail(error)
      return
    }
    this.#handleAll(requests)
    if (!this.#finishing && this.#parser.takeContinue()) this.#sendContinue()
    this.#updateTimer()
  }

  /** The peer closed its sending side. A request cut off in the middle gets its 400. */
  end(): void {
    if (this.#finishing) return
    try {
      this.#parser.end()
    } catch (error) {
      this.#fail(error)
      return
    }
    this.#finish()
  }

  /** Graceful shutdown: answer what is in flight, then close; close at once when idle. */
  shutdown(): void {
    if (this.#finishing) return
    this.#finish()
  }

  /** The connection is gone (reset, destroyed): drop everything, write nothing more. */
  abort(): void {
    this.#closed = true
    this.#finishing = true
    this.#pending.length = 0
    this.#clearTimer()
  }

  #handleAll(requests: ParsedRequest[]): void {
    const count = this.#oneRequest ? Math.min(requests.length, 1) : requests.length
    for (let i = 0; i < count && !this.#finishing; i++) this.#handle(requests[i]!)
  }

  #handle(request: ParsedRequest): void {
    const head = request.method === 'HEAD'
    const keepAlive = request.keepAlive && !this.#oneRequest
    if (!keepAlive) this.#finishing = true
    const result = callApp(this.#app, request, this.#conn)
    if (this.#pending.length === 0 && !(result instanceof Promise)) {
      this.#write(result, head, keepAlive)
      return
    }
    const slot: Slot = { response: undefined, head, keepAlive }
    this.#pending.push(slot)
    if (result instanceof Promise) {
      // callApp maps every app failure to a response; a rejection here would be our own bug,
      // and it still must not leave the connection hanging.
      result.then(
        (response) => this.#settle(slot, response),
        () => this.#settle(slot, errorResponse(500)),
      )
    } else {
      slot.response = result
    }
  }

  #sendContinue(): void {
    if (this.#pending.length === 0) this.#sink.write(CONTINUE)
    else this.#pending.push({ response: INTERIM, head: false, keepAlive: true, interim: true })
  }

  /** No more requests will be read, so no body either: a queued 100 Continue would invite one. */
  #dropContinue(): void {
    const pending = this.#pending
    const last = pending[pending.length - 1]
    if (last?.interim) pending.pop() // only the request still reading its body has one: the last
  }

  #settle(slot: Slot, response: AppResponse): void {
    slot.response = response
    this.#flush()
  }

  #flush(): void {
    while (this.#pending.length > 0 && this.#pending[0]!.response !== undefined) {
      const slot = this.#pending.shift()!
      if (this.#closed) return
      if (slot.interim) this.#sink.write(CONTINUE)
      else this.#write(slot.response!, slot.head, slot.keepAlive)
    }
    this.#updateTimer()
  }

  #write(response: AppResponse, head: boolean, keepAlive: boolean): void {
    if (this.#closed) return
    // Once finishing, the last response announces the close.
    const last = !keepAlive || (this.#finishing && this.#pending.length === 0)
    const parts = serializeResponseParts(response, { head, keepAlive: !last })
    for (let i = 0; i < parts.length; i++) this.#sink.write(parts[i]!)
    if (last) this.#close()
  }

  #fail(error: unknown): void {
    this.#finishing = true
    this.#dropContinue()
    const status = error instanceof HttpError ? error.status : 400
    const detail = error instanceof Error ? error.message : undefined
    const slot: Slot = { response: errorResponse(status, detail), head: false, keepAlive: false }
    this.#pending.push(slot)
    this.#flush()
  }

  #finish(): void {
    this.#finishing = true
    this.#dropContinue()
    if (this.#pending.length === 0) this.#close()
  }

  #close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#pending.length = 0
    this.#clearTimer()
    this.#sink.close()
  }

  // Timers are re-armed only when the connection changes state (idle ↔ partial head ↔ busy),
  // not per chunk, and refreshed rather than recreated.
  #updateTimer(): void {
    if (this.#closed) return
    if (this.#pending.length > 0) this.#clearTimer()
    else if (this.#parser.buffered > 0) this.#armHead()
    else this.#armIdle()
  }

  #armHead(): void {
    if (this.#headersTimeoutMs <= 0 || this.#timerKind === 'head') return
    this.#arm('head', this.#headersTimeoutMs)
  }

  #armIdle(): void {
    if (this.#keepAliveTimeoutMs <= 0) return
    if (this.#timerKind === 'idle') {
      this.#timer!.refresh()
      return
    }
    this.#arm('idle', this.#keepAliveTimeoutMs)
  }

  #arm(kind: 'head' | 'idle', ms: number): void {
    this.#clearTimer()
    this.#timerKind = kind
    this.#timer = setTimeout(() => this.#onTimeout(kind), ms)
    this.#timer.unref()
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = undefined
    this.#timerKind = undefined
  }

  #onTimeout(kind: 'head' | 'idle'): void {
    this.#timer = undefined
    this.#timerKind = undefined
    if (this.#closed || this.#pending.length > 0) return
    if (kind === 'head' && this.#parser.buffered > 0) {
      this.#finishing = true
      this.#pending.push({ response: errorResponse(408), head: false, keepAlive: false })
      this.#flush()
    } else {
      this.#finish()
    }
  }
}
