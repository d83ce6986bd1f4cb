// design: the course's epoll server with keep-alive framed by Content-Length.
// Accepts: libuv's readiness loop (level-triggered epoll, drained to EAGAIN) hands each connection
//   to a 'connection' callback. Reads: 'data' events, one HttpSession (parser state) per
//   connection; several pipelined requests in one chunk are answered in order. Writes: one buffer
//   per response, corked while a chunk is being answered so pipelined responses leave in one
//   writev; noDelay on (raw net sockets default to Nagle: header/body splits would stall 40 ms).
// In flight: every connection at once, one thread; a request waiting on the database does not
//   block others. Stands in for: select/epoll + non-blocking sockets, in libuv's own loop.
import net from 'node:net'
import type { Model, RunningServer, ServeOptions } from './model.js'
import { ConnectionSet } from './connection-set.js'
import { listen } from './listen.js'
import { openServerContext } from './server-context.js'
import { HttpSession, type SessionContext } from './session.js'

/** Serve one accepted socket the event-loop way (also used by prefork workers and fork children). */
export function serveSocket(socket: net.Socket, context: SessionContext, connections: ConnectionSet): void {
  socket.setNoDelay(true)
  const session = new HttpSession(
    context,
    { remoteAddress: socket.remoteAddress, remotePort: socket.remotePort },
    {
      write: (bytes) => {
        if (!socket.write(bytes)) socket.pause() // client not reading: stop reading its requests
      },
      close: () => socket.end(),
    },
  )
  const untrack = connections.add(session, () => socket.destroy())
  socket.on('drain', () => socket.resume())
  socket.on('data', (chunk: Buffer) => {
    socket.cork()
    session.receive(chunk)
    socket.uncork()
  })
  socket.on('end', () => session.end())
  // Resets and broken pipes are the client's business; the 'close' below cleans up.
  socket.on('error', () => {})
  socket.on('close', () => {
    session.abort()
    untrack()
  })
}

/** An event-loop server on an already opened context (prefork workers start it this way). */
export async function startEventLoop(options: ServeOptions, context: SessionContext, onClose: () => Promise<void>): Promise<RunningServer> {
  const connections = new ConnectionSet()
  // allowHalfOpen: a client may send its requests and shut its side; we still owe the answers.
  const server = net.createServer({ noDelay: true, allowHalfOpen: true }, (socket) => serveSocket(socket, context, connections))
  const bound = await listen(server, options)
  context.serverPort = bound.port
  return {
    host: bound.host,
    port: bound.port,
    async close() {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
      await connections.drain()
      await stopped
      await onClose()
    },
  }
}

export const eventloop: Model = {
  name: 'eventloop',
  summary: 'one thread, libuv readiness events, keep-alive and pipelining (the epoll server)',
  keepAlive: true,
  async start(options) {
    const context = await openServerContext(options)
    try {
      return await startEventLoop(options, context.session, context.close)
    } catch (error) {
      await context.close()
      throw error
    }
  },
}
