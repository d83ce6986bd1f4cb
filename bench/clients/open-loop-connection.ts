// One connection of the open-loop client (open-loop-client.ts): it carries ONE request at a time
// (wrk2's rule; no pipelining), stamps the actual write, reads the response to its end and tells
// its owner how it went. Keep-alive connections are reused for the next request; close-mode ones
// carry one request (with `Connection: close`) and are done.
//
// Cost: the client must keep a schedule at tens of thousands of requests per second on one core,
// so a connection allocates nothing per request: the request bytes are built once by the owner,
// times are plain number fields, and reads land in one buffer per connection (net `onread`, as in
// close-client.ts). A response is complete when Content-Length body bytes have arrived (0 for HEAD,
// 204, 304); without Content-Length it is read to the close.
import net from 'node:net'
import { performance } from 'node:perf_hooks'
import { readResponseHead } from './response-head.js'
import type { LoadTarget } from './load-target.js'

export type ExchangeOutcome = 'response' | 'error'

/** What a connection reports to the client that owns it. */
export interface ConnectionOwner {
  /** Connected and idle (keep-alive), or connected with its request written (close). */
  ready(connection: OpenLoopConnection): void
  /** The request in flight ended; `status` is 0 unless it was a response. */
  ended(connection: OpenLoopConnection, outcome: ExchangeOutcome, status: number, now: number): void
  /** The socket is gone (closed by either side, or destroyed after an error or timeout). */
  closed(connection: OpenLoopConnection): void
}

/** One read buffer per connection: 64 KiB, the size libuv reads into by default. */
const READ_BUFFER = 64 * 1024

export class OpenLoopConnection {
  readonly socket: net.Socket
  connected = false
  /** A request is in flight (written or waiting for the connect to write it). */
  busy = false
  /** Intended send time of the request in flight (performance.now() ms). */
  intended = 0
  /** When its bytes were handed to the socket; 0 until then. */
  writtenAt = 0
  /** Whether the request in flight belongs to the measured window (warm-up ones are not recorded). */
  measured = false
  /** Response bytes read over the connection's life. */
  bytesRead = 0
  private request: Buffer = Buffer.alloc(0)
  private bodyless = false
  private status = 0
  /** Body bytes still expected; -1 = read to close. */
  private remaining = -1
  /** A response head split across reads, gathered here (rare). */
  private head: Buffer | null = null

  constructor(private readonly owner: ConnectionOwner, target: LoadTarget) {
    // net.Socket's constructor takes `onread` (net.connect passes its options straight to it);
    // @types/node only declares it on the connect options.
    const options: net.SocketConstructorOpts & Pick<net.TcpSocketConnectOpts, 'onread'> = {
      onread: { buffer: Buffer.allocUnsafe(READ_BUFFER), callback: (bytes, buffer) => this.onRead(bytes, buffer as Buffer) },
    }
    this.socket = new net.Socket(options)
    this.socket.setNoDelay(true)
    this.socket.on('connect', () => this.onConnect())
    this.socket.on('end', () => this.onEnd())
    this.socket.on('error', () => this.end('error'))
    this.socket.on('close', () => this.onClose())
    this.socket.connect(target.port, target.host)
  }

  /** Send a request now (or, before the connect, as soon as it completes). */
  send(request: Buffer, bodyless: boolean, intended: number, measured: boolean): void {
    this.busy = true
    this.request = request
    this.bodyless = bodyless
    this.intended = intended
    this.measured = measured
    this.status = 0
    this.remaining = -1
    this.head = null
    this.writtenAt = 0
    if (this.connected) this.write()
  }

  /** Give up on the request in flight (its timeout passed) and drop the connection. */
  abandon(): void {
    this.busy = false
    this.socket.destroy()
  }

  private write(): void {
    this.writtenAt = performance.now()
    this.socket.write(this.request)
  }

  private onConnect(): void {
    this.connected = true
    if (this.busy) this.write()
    this.owner.ready(this)
  }

  private onRead(bytes: number, buffer: Buffer): boolean {
    this.bytesRead += bytes
    if (!this.busy) return true // bytes nobody asked for: ignored (the owner's timeout already ended that exchange)
    if (this.status === 0) this.onHead(buffer, bytes)
    else this.onBody(bytes)
    return true
  }

  private onHead(buffer: Buffer, bytes: number): void {
    // common case: the whole head is in this read; otherwise gather it (copies)
    let view = buffer.subarray(0, bytes)
    if (this.head !== null) view = Buffer.concat([this.head, view])
    const head = readResponseHead(view)
    if (head === 'malformed') return this.fail()
    if (head === null) {
      this.head = Buffer.from(view)
      return
    }
    this.head = null
    const { status, length, bodyAt } = head
    this.status = status
    this.remaining = this.bodyless || status === 204 || status === 304 ? 0 : length
    if (this.remaining === 0) return this.end('response')
    this.onBody(view.length - bodyAt)
  }

  private onBody(bytes: number): void {
    if (this.remaining < 0) return // read to close
    this.remaining -= bytes
    if (this.remaining <= 0) this.end('response')
  }

  private onEnd(): void {
    // peer closed: a read-to-close body is complete; anything else in flight was cut off
    if (this.busy) this.end(this.status !== 0 && this.remaining < 0 ? 'response' : 'error')
  }

  private onClose(): void {
    this.connected = false
    if (this.busy) this.end('error') // closed with the exchange still open: counted, never lost
    this.owner.closed(this)
  }

  private fail(): void {
    this.end('error')
    this.socket.destroy()
  }

  private end(outcome: ExchangeOutcome): void {
    if (!this.busy) return
    this.busy = false
    this.owner.ended(this, outcome, outcome === 'response' ? this.status : 0, performance.now())
  }
}
