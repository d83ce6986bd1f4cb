// design: the course's iterative server: accept one connection, read its request, answer, close,
//   and only then look at the next one.
// Accepts: libuv accepts eagerly (Node has no way to leave connections in the kernel backlog), so
//   the listener is `pauseOnConnect` and accepted sockets wait, unread, in an arrival-order queue:
//   that queue stands in for the course's listen backlog. The listen backlog itself stays Node's
//   default (511): libuv empties it at once, so a small one would only make bursts retry SYNs,
//   not serialize anything more.
// Reads: the socket at the head of the queue is resumed ('data' events) and fed to an HttpSession;
//   nothing is read from any other connection meanwhile.
// Writes: one buffer per response (noDelay on as well), then `end()`; the next connection starts
//   when that response has been handed to the kernel ('finish'), as the course's `close()` returns
//   before the peer has read. `Connection: close` on every response; pipelined requests after the
//   first are neither answered nor passed to the app.
// In flight: one request in the whole server. The app may await (the mysql store does): the wait
//   still blocks every other client, which is the point. The course's literal variant — the fd
//   switched to blocking and read with fs.readSync inside 'connection' — freezes the event loop, so
//   it could not await the database and the head timeout (408) could not fire; this queue keeps both.
// Stands in for: a blocking socket served by `while True: accept(); recv(); send(); close()`.
import net from 'node:net'
import type { ConnectionSet } from './connection-set.js'
import type { Model } from './model.js'
import { HttpSession, type SessionContext } from './session.js'
import { startNetServer } from './start-net-server.js'

// A peer that never closes its side after our FIN must not hold its socket forever: nginx's
// lingering_timeout (5 s) bounds the same wait.
const LINGER_MS = 5_000

/** Serve the one request of `socket`; resolves once the answer is written and our side closed. */
function serveOne(socket: net.Socket, context: SessionContext, connections: ConnectionSet): Promise<void> {
  return new Promise((resolve) => {
    // oneRequest: the first request is answered with `Connection: close`; anything pipelined
    // after it is neither answered nor passed to the app.
    const session = new HttpSession(
      context,
      { remoteAddress: socket.remoteAddress, remotePort: socket.remotePort },
      { write: (bytes) => socket.write(bytes), close: () => socket.end() },
      { oneRequest: true },
    )
    const untrack = connections.add(session, () => socket.destroy())
    let done = false
    const next = (): void => {
      if (done) return
      done = true
      untrack()
      socket.setTimeout(LINGER_MS, () => socket.destroy())
      resolve()
    }
    socket.on('data', (chunk: Buffer) => session.receive(chunk))
    socket.on('end', () => session.end())
    socket.on('finish', next)
    socket.on('close', () => {
      session.abort()
      next()
    })
    socket.resume()
  })
}

export const blocking: Model = {
  name: 'blocking',
  summary: 'one connection at a time, in arrival order, closed after one response (the iterative server)',
  keepAlive: false,
  start(options) {
    return startNetServer(options, { pauseOnConnect: true, allowHalfOpen: true }, (context, connections) => {
      const waiting: net.Socket[] = []
      let busy = false
      const serveNext = (): void => {
        let socket: net.Socket | undefined
        while ((socket = waiting.shift()) !== undefined && socket.destroyed);
        busy = socket !== undefined
        if (socket) void serveOne(socket, context, connections).then(serveNext)
      }
      return {
        onConnection(socket) {
          socket.on('error', () => {}) // a reset while waiting or being served is the client's business
          waiting.push(socket)
          if (!busy) serveNext()
        },
        // Connections still queued were never read: they are the backlog, and closing a
        // listening socket resets its backlog too. The one being served finishes.
        stopAccepting() {
          for (const socket of waiting.splice(0)) socket.destroy()
        },
      }
    })
  },
}
