// design: the course's gevent server: one coroutine (here an async function) per connection,
//   written as straight-line blocking code — read, handle, write, repeat — while the runtime
//   interleaves all of them on one thread.
// Accepts: libuv's accept loop calls 'connection'; each socket gets its own `serveCoroutine`.
// Reads: `for await (const chunk of socket.iterator({ destroyOnReturn: false }))`, Node's async
//   iterator over the socket (the monkey-patched `recv` that yields to the hub); each chunk feeds
//   the connection's HttpSession. `destroyOnReturn: false` because leaving the loop early (the
//   session closed) must not destroy the socket before the last response is flushed
//   (Node's default destroys it on `return`, src internal/streams/readable.js).
// Writes: one buffer per response, noDelay on; when the socket's buffer is full the coroutine
//   awaits 'drain' before it reads the next chunk (gevent's `sendall` blocks the greenlet the same way).
// In flight: every connection at once, on one thread; a connection awaiting the database does not
//   block the others. Keep-alive and pipelining: yes (the session answers in order).
// Stands in for: gevent greenlets + monkey-patched sockets, as async functions + async iterators
//   (about 8–10% more CPU per request than plain 'data' listeners, measured: nodejs/node#31979).
import net from 'node:net'
import type { ConnectionSet } from './connection-set.js'
import type { Model } from './model.js'
import { HttpSession, type SessionContext } from './session.js'
import { startNetServer } from './start-net-server.js'

/** Resolves when the socket can take more output, or when it is gone (then nothing will drain). */
function writable(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('drain', done)
      socket.off('close', done)
      resolve()
    }
    socket.on('drain', done)
    socket.on('close', done)
  })
}

/** One connection, from its first byte to its close, as one async function. */
async function serveCoroutine(socket: net.Socket, context: SessionContext, connections: ConnectionSet): Promise<void> {
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  // Resets and broken pipes are the client's business; the iterator ends or throws and `closed` settles.
  socket.on('error', () => {})
  const session = new HttpSession(
    context,
    { remoteAddress: socket.remoteAddress, remotePort: socket.remotePort },
    {
      write: (bytes) => void socket.write(bytes),
      close: () => void socket.end(),
    },
  )
  const untrack = connections.add(session, () => socket.destroy())
  try {
    for await (const chunk of socket.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      session.receive(chunk)
      if (session.closed) break
      // Back-pressure: a client that does not read its responses stops being read.
      if (socket.writableNeedDrain) await writable(socket)
    }
    if (!session.closed) session.end()
    else socket.resume() // discard whatever follows the last answered request, until the peer's FIN
  } catch {
    // the connection was reset mid-read; `closed` follows
  }
  await closed
  session.abort()
  untrack()
}

export const coroutines: Model = {
  name: 'coroutines',
  summary: 'one async function per connection over an async socket iterator (the gevent server)',
  keepAlive: true,
  start(options) {
    // allowHalfOpen: a client may send its requests and shut its side; we still owe the answers.
    return startNetServer(options, { allowHalfOpen: true }, (context, connections) => ({
      onConnection: (socket) => void serveCoroutine(socket, context, connections),
    }))
  },
}
