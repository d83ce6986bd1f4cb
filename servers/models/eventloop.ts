// design: the course's epoll server with keep-alive framed by Content-Length.
// Accepts: libuv's readiness loop (level-triggered epoll, drained to EAGAIN) hands each connection
//   to a 'connection' callback. Reads: 'data' events, one HttpSession (parser state) per
//   connection; several pipelined requests in one chunk are answered in order. Writes: one buffer
//   per response, corked while a chunk is being answered so pipelined responses leave in one
//   writev; noDelay on (raw net sockets default to Nagle: header/body splits would stall 40 ms).
// In flight: every connection at once, one thread; a request waiting on the database does not
//   block others. Stands in for: select/epoll + non-blocking sockets, in libuv's own loop.
import net from 'node:net'
import type { ConnectionSet } from './connection-set.js'
import type { Model } from './model.js'
import { HttpSession, type SessionContext } from './session.js'
import { startNetServer } from './start-net-server.js'

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

export const eventloop: Model = {
  name: 'eventloop',
  summary: 'one thread, libuv readiness events, keep-alive and pipelining (the epoll server)',
  keepAlive: true,
  start(options) {
    // allowHalfOpen: a client may send its requests and shut its side; we still owe the answers.
    return startNetServer(options, { allowHalfOpen: true }, (context, connections) => ({
      onConnection: (socket) => serveSocket(socket, context, connections),
    }))
  },
}
