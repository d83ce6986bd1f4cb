// One keep-alive client connection a test can talk to step by step: send a request, await its
// response, look again later (is it still open? which process answered?), close it when done.
import net from 'node:net'
import { parseResponses, type RawResponse } from '../helpers/raw-http.js'

export class PersistentConnection {
  readonly #socket: net.Socket
  #buffer = Buffer.alloc(0)
  #waiters: Array<{ resolve(response: RawResponse): void; reject(error: Error): void }> = []
  #closed = false
  /** Resolves when the server (or a reset) closed the connection. */
  readonly closed: Promise<void>

  private constructor(socket: net.Socket) {
    this.#socket = socket
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()))
    socket.on('data', (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk])
      this.#deliver()
    })
    socket.on('error', () => {})
    socket.on('close', () => {
      this.#closed = true
      for (const waiter of this.#waiters.splice(0)) waiter.reject(new Error('the server closed the connection before answering'))
    })
  }

  static open(port: number): Promise<PersistentConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: '127.0.0.1', noDelay: true })
      socket.once('connect', () => resolve(new PersistentConnection(socket)))
      socket.once('error', reject)
    })
  }

  get isClosed(): boolean {
    return this.#closed
  }

  /** Send raw bytes; resolves with the next response on this connection. */
  request(bytes: string): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      if (this.#closed) {
        reject(new Error('the connection is closed'))
        return
      }
      this.#waiters.push({ resolve, reject })
      this.#socket.write(bytes)
    })
  }

  get(path: string): Promise<RawResponse> {
    return this.request(`GET ${path} HTTP/1.1\r\nHost: test\r\n\r\n`)
  }

  /** Send without waiting for anything (the response, if any, goes to the next waiter). */
  send(bytes: string): void {
    this.#socket.write(bytes)
  }

  /** Resolves with the next response already sent for (see send). */
  next(): Promise<RawResponse> {
    return new Promise((resolve, reject) => {
      this.#waiters.push({ resolve, reject })
      this.#deliver()
    })
  }

  close(): void {
    this.#socket.destroy()
  }

  #deliver(): void {
    while (this.#waiters.length > 0) {
      const [response] = parseResponses(this.#buffer)
      if (response === undefined) return
      const end = this.#buffer.indexOf('\r\n\r\n') + 4 + response.body.length
      this.#buffer = this.#buffer.subarray(end)
      this.#waiters.shift()!.resolve(response)
    }
  }
}
