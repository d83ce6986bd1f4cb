// A small fault-injecting TCP proxy to put between a connection pool and MariaDB, so a test can
// make the database slow (latency: every chunk held back that long, each way, order kept), take
// it away (cut: every connection destroyed and the port closed, so new connections are refused)
// and bring it back (restore: listen on the same port again) without touching the real server.

import { connect, createServer, type Server, type Socket } from 'node:net'

/** One direction of a proxied connection: chunks leave `latencyMs` after they came, in order. */
class DelayedPipe {
  readonly #queue: Array<{ chunk: Buffer; dueAt: number }> = []
  #timer: NodeJS.Timeout | undefined

  constructor(
    readonly to: Socket,
    readonly latencyMs: () => number,
  ) {}

  push(chunk: Buffer): void {
    const latency = this.latencyMs()
    if (latency <= 0 && this.#queue.length === 0) {
      this.to.write(chunk)
      return
    }
    // never before an earlier chunk: a latency lowered mid-stream cannot reorder bytes
    const last = this.#queue.at(-1)?.dueAt ?? 0
    this.#queue.push({ chunk, dueAt: Math.max(performance.now() + latency, last) })
    this.#schedule()
  }

  stop(): void {
    clearTimeout(this.#timer)
    this.#queue.length = 0
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#queue.length === 0) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      const now = performance.now()
      while (this.#queue.length > 0 && this.#queue[0]!.dueAt <= now + 1) this.to.write(this.#queue.shift()!.chunk)
      this.#schedule()
    }, Math.max(0, this.#queue[0]!.dueAt - performance.now()))
  }
}

export class FaultProxy {
  readonly #target: { host: string; port: number }
  readonly #sockets = new Set<Socket>()
  readonly #pipes = new Set<DelayedPipe>()
  #server: Server | undefined
  #port = 0
  #latencyMs = 0
  /** Connections accepted while listening, and connections destroyed by cut(). */
  accepted = 0
  cutConnections = 0

  private constructor(target: { host: string; port: number }) {
    this.#target = target
  }

  static async start(target: { host: string; port: number }): Promise<FaultProxy> {
    const proxy = new FaultProxy(target)
    await proxy.restore()
    return proxy
  }

  /** The proxy's own port on 127.0.0.1 (the same after cut and restore). */
  get port(): number {
    return this.#port
  }

  /** Hold every chunk back this long, each way, from now on (0: forward at once). */
  setLatency(ms: number): void {
    this.#latencyMs = ms
  }

  /** Listen again (on the first call: on a free port). */
  async restore(): Promise<void> {
    if (this.#server !== undefined) return
    const server = createServer((client) => this.#forward(client))
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.#port, '127.0.0.1', () => resolve())
    })
    this.#port = (server.address() as { port: number }).port
    this.#server = server
  }

  /** Drop every connection (bytes held back are lost with it) and stop listening: to its clients
   * the database is gone, and connecting is refused until restore(). */
  async cut(): Promise<void> {
    const server = this.#server
    this.#server = undefined
    for (const pipe of this.#pipes) pipe.stop()
    this.#pipes.clear()
    this.cutConnections += Math.floor(this.#sockets.size / 2)
    for (const socket of this.#sockets) socket.destroy()
    if (server !== undefined) await new Promise((resolve) => server.close(resolve))
  }

  close(): Promise<void> {
    return this.cut()
  }

  #forward(client: Socket): void {
    this.accepted++
    const upstream = connect(this.#target.port, this.#target.host)
    const latency = () => this.#latencyMs
    const toUpstream = new DelayedPipe(upstream, latency)
    const toClient = new DelayedPipe(client, latency)
    this.#pipes.add(toUpstream).add(toClient)
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket)
      socket.setNoDelay(true)
      socket.on('error', () => {})
      socket.on('close', () => {
        this.#sockets.delete(socket)
        toUpstream.stop()
        toClient.stop()
        this.#pipes.delete(toUpstream)
        this.#pipes.delete(toClient)
        client.destroy()
        upstream.destroy()
      })
    }
    client.on('data', (chunk: Buffer) => toUpstream.push(chunk))
    upstream.on('data', (chunk: Buffer) => toClient.push(chunk))
  }
}
