// Small servers the load-client tests start in this process, on 127.0.0.1 and port 0, each
// counting what it did so a client's counts can be checked against the server's.
import http from 'node:http'
import net from 'node:net'

export interface ServerCounts {
  /** TCP connections accepted. */
  connections: number
  /** Responses fully handed to the kernel (node:http 'finish', or the raw server's write callback). */
  responses: number
  /** Requests seen, by method, with their bodies (http servers only). */
  requests: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: string }>
}

export interface LocalServer {
  origin: string
  port: number
  counts: ServerCounts
  close(): Promise<void>
}

function counts(): ServerCounts {
  return { connections: 0, responses: 0, requests: [] }
}

/** node:http; the handler decides status and body (default: 200 "hello"). */
export async function startHttpServer(
  handler: (req: http.IncomingMessage, res: http.ServerResponse, index: number) => void = (_req, res) => res.end('hello'),
  options: { recordRequests?: boolean } = {},
): Promise<LocalServer> {
  const c = counts()
  let index = 0
  const server = http.createServer((req, res) => {
    const n = index++
    res.on('finish', () => { c.responses++ })
    if (options.recordRequests === true) {
      let body = ''
      req.setEncoding('utf8').on('data', (chunk: string) => { body += chunk })
      req.on('end', () => {
        c.requests.push({ method: req.method!, url: req.url!, headers: req.headers, body })
        handler(req, res, n)
      })
    } else {
      handler(req, res, n)
    }
  })
  server.on('connection', () => { c.connections++ })
  return listen(server, c, () => server.closeAllConnections())
}

/** A raw TCP server: each connection is handed to `onConnection` (which writes, closes, resets or stays silent). */
export async function startRawServer(onConnection: (socket: net.Socket, c: ServerCounts) => void): Promise<LocalServer> {
  const c = counts()
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    c.connections++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    onConnection(socket, c)
  })
  return listen(server, c, () => { for (const socket of sockets) socket.destroy() })
}

/** Answers each connection with `response` once the request head has arrived, counts it when written, then closes. */
export function answerThenClose(response: string | Buffer, options: { split?: boolean } = {}) {
  return (socket: net.Socket, c: ServerCounts): void => {
    let head = ''
    socket.setNoDelay(true)
    socket.on('data', (chunk) => {
      if (head.includes('\r\n\r\n')) return
      head += chunk.toString('latin1')
      if (!head.includes('\r\n\r\n')) return
      const bytes = Buffer.from(response)
      if (options.split === true) {
        // one byte at a time, each in its own write, so the client must gather the head across reads
        for (let i = 0; i < bytes.length; i++) socket.write(bytes.subarray(i, i + 1))
        socket.end(() => { c.responses++ })
      } else {
        socket.end(bytes, () => { c.responses++ })
      }
    })
  }
}

function listen(server: net.Server, c: ServerCounts, dropConnections: () => void): Promise<LocalServer> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      resolve({
        origin: `http://127.0.0.1:${port}`,
        port,
        counts: c,
        close: () => new Promise<void>((done) => {
          server.close(() => done())
          dropConnections()
        }),
      })
    })
  })
}

/** A port with nothing listening on it: bind port 0, note the port, close. */
export async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
