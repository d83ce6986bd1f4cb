// A tiny TCP proxy to put between a connection pool and MariaDB, so a test can take the database
// away (cut: every connection destroyed, the port closed) and bring it back (restore: listen on
// the same port again) without touching the real server.

import { connect, createServer, type Server, type Socket } from 'node:net'

export class TcpProxy {
  readonly #target: { host: string; port: number }
  readonly #sockets = new Set<Socket>()
  #server: Server | undefined
  #port = 0

  private constructor(target: { host: string; port: number }) {
    this.#target = target
  }

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const proxy = new TcpProxy(target)
    await proxy.restore()
    return proxy
  }

  /** The proxy's own port on 127.0.0.1 (the same after cut and restore). */
  get port(): number {
    return this.#port
  }

  /** Listen again (on the first call: on a free port). */
  async restore(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.#target.port, this.#target.host)
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket)
        socket.on('close', () => this.#sockets.delete(socket))
        socket.on('error', () => {})
      }
      client.pipe(upstream)
      upstream.pipe(client)
      client.on('close', () => upstream.destroy())
      upstream.on('close', () => client.destroy())
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(this.#port, '127.0.0.1', () => resolve())
    })
    this.#port = (server.address() as { port: number }).port
    this.#server = server
  }

  /** Drop every connection and stop listening: to its clients the database is gone. */
  async cut(): Promise<void> {
    const server = this.#server
    this.#server = undefined
    for (const socket of this.#sockets) socket.destroy()
    if (server !== undefined) await new Promise((resolve) => server.close(resolve))
  }

  close(): Promise<void> {
    return this.cut()
  }
}
