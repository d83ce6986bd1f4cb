// The null server: the fastest thing a load client can face on this machine, so a client's
// requests/s against it is that client's ceiling here (driver-ceiling.ts). A raw `net` server with
// no parser and no app: it finds the end of each request head (CRLF CRLF) and writes a response
// built in advance, corked with the others of the same read, Nagle off. The response is chosen by
// the request target, compared as bytes against the few it knows: `/hello` (the ceiling's own
// request) and `/` (the static home page), so it also stands beside the models and nginx as a
// `--target` on the hello and static scenarios; anything else is a prebuilt 404.
//
// What it does not do, on purpose: read request bodies (GET and HEAD only; a body would be taken
// for the next head), honour HTTP/1.0 keep-alive rules, or time anything out. `Connection: close`
// in a head is honoured (the close-client and close-mode verification ask for it): the answer says
// so and the connection ends after it. Date is rebuilt once a second, as real servers cache it.

import { readFileSync } from 'node:fs'
import net from 'node:net'
import { join } from 'node:path'
import { listen } from '../../servers/models/listen.js'

export interface NullServerOptions {
  host: string
  port: number
  /** Document root the home page is read from (fixtures/www). */
  root: string
}

export interface RunningNullServer {
  host: string
  port: number
  close(): Promise<void>
}

/** What the Server header says: not `httpmodels`, so the bench treats it as a foreign target (verify.ts). */
export const NULL_SERVER_NAME = 'httpmodels-null'

const HEAD_END = Buffer.from('\r\n\r\n')
/** Both spellings clients send (node:http lower-cases the name; wrk and the close-client do not). */
const CLOSE_MARK = Buffer.from('onnection: close')

interface Page { status: string; type: string; body: Buffer }
interface Prebuilt { keep: Buffer; close: Buffer }

function pages(root: string): Map<string, Page> {
  const home: Page = { status: '200 OK', type: 'text/html; charset=utf-8', body: readFileSync(join(root, 'index.html')) }
  return new Map([
    ['/hello', { status: '200 OK', type: 'text/plain; charset=utf-8', body: Buffer.from('Hello, World!') }],
    ['/', home],
    ['/index.html', home],
  ])
}

const NOT_FOUND: Page = { status: '404 Not Found', type: 'text/plain; charset=utf-8', body: Buffer.from('Not Found') }

function build(page: Page, date: string): Prebuilt {
  const head = (connection: string): Buffer => Buffer.from(
    `HTTP/1.1 ${page.status}\r\nServer: ${NULL_SERVER_NAME}\r\nDate: ${date}\r\nContent-Type: ${page.type}\r\n` +
    `Content-Length: ${page.body.length}\r\nConnection: ${connection}\r\n\r\n`, 'latin1')
  return { keep: Buffer.concat([head('keep-alive'), page.body]), close: Buffer.concat([head('close'), page.body]) }
}

export async function startNullServer(options: NullServerOptions): Promise<RunningNullServer> {
  const known = pages(options.root)
  const targets = [...known.keys()].map((path) => ({ path, bytes: Buffer.from(path, 'latin1') }))
  let responses = new Map<string, Prebuilt>()
  let notFound: Prebuilt
  const rebuild = (): void => {
    const date = new Date().toUTCString()
    responses = new Map([...known].map(([path, page]) => [path, build(page, date)]))
    notFound = build(NOT_FOUND, date)
  }
  rebuild()
  const clock = setInterval(rebuild, 1000)
  clock.unref()

  /** The prebuilt answer for the head in buf[start, end): its request target compared as bytes. */
  const answerFor = (buf: Buffer, start: number, end: number): Prebuilt => {
    const space = buf.indexOf(0x20, start)
    if (space >= 0 && space < end) {
      const after = space + 1
      for (const t of targets) {
        if (buf[after + t.bytes.length] === 0x20 && buf.compare(t.bytes, 0, t.bytes.length, after, after + t.bytes.length) === 0) return responses.get(t.path)!
      }
    }
    return notFound
  }

  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.setNoDelay(true)
    socket.on('error', () => {})
    socket.on('close', () => sockets.delete(socket))
    let pending: Buffer | null = null
    let closing = false
    socket.on('data', (chunk: Buffer) => {
      if (closing) return
      const buf: Buffer = pending === null ? chunk : Buffer.concat([pending, chunk])
      let from = 0
      const out: Buffer[] = []
      for (let end = buf.indexOf(HEAD_END, from); end >= 0; end = buf.indexOf(HEAD_END, from)) {
        const answer = answerFor(buf, from, end)
        const close = buf.subarray(from, end).indexOf(CLOSE_MARK) >= 0
        from = end + HEAD_END.length
        out.push(close ? answer.close : answer.keep)
        if (close) {
          closing = true
          break
        }
      }
      // keep an unfinished head (copied: the chunk's memory is not ours to hold)
      pending = closing || from >= buf.length ? null : Buffer.from(buf.subarray(from))
      if (out.length > 0) socket.write(out.length === 1 ? out[0]! : Buffer.concat(out))
      if (closing) socket.end()
    })
  })
  let bound: { port: number }
  try {
    bound = await listen(server, { port: options.port, host: options.host })
  } catch (error) {
    clearInterval(clock)
    throw error
  }
  return {
    host: options.host,
    port: bound.port,
    close: () => new Promise<void>((done) => {
      clearInterval(clock)
      server.close(() => done())
      for (const socket of sockets) socket.destroy()
    }),
  }
}
