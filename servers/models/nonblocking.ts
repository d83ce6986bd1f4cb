// design: the course's manual non-blocking loop: keep a list of client sockets and, in a loop
//   driven by the server itself, try a read on each one, catching EAGAIN ("nothing yet").
// Accepts: the listener is `pauseOnConnect`, so libuv never reads these sockets; its 'connection'
//   callback only appends the socket to the client list. That callback stands in for the course's
//   `try: accept() except BlockingIOError`: libuv tries accept() in every turn of its loop, and a
//   turn happens between two sweeps of ours, so a waiting connection joins the list within one sweep.
//   A newcomer is read once at its accept (the course's `recv` right after `accept()`): on a busy
//   loop the accept comes after the pass in progress, long after the client wrote its request, so
//   it is usually there and answered at once. Only appended (the course's `client_list.append`),
//   a newcomer waited for the pass in progress and then a whole pass more to reach it at the tail:
//   at 2,000 clients a probe's p99 was 2-3 sweeps. When the loop was napping the accept comes as
//   the SYN lands, before the request: that read finds nothing, and the pass the accept wakes reads
//   it again at the tail, a sweep later. Each pass still visits every client; only a newcomer's
//   first read moved.
// Reads: `fs.readSync(fd)` on each client's fd. libuv opened it O_NONBLOCK, so an empty socket
//   throws EAGAIN exactly like the course's `recv`; 0 bytes is the peer's FIN. Bytes feed the
//   client's HttpSession.
// Writes: `fs.writevSync(fd)` of the responses waiting for that client; a partial write or EAGAIN
//   (a large file, a slow reader) keeps the unsent rest, retried in the next sweeps; a client
//   with unsent output is not read (back-pressure). noDelay on: two responses may leave in two
//   writes, and Nagle would hold the second for the first one's ACK.
// The loop: a sweep over every client; after a sweep that moved bytes the next one runs at once
//   (setImmediate, so timers and accepts still get their turn); after empty sweeps it backs off
//   (setTimeout naps doubling from 1 ms, after 1 ms of empty sweeps, up to a ceiling that keeps
//   idle polling near 2% of a core) instead of burning one; with no clients at all it stops
//   until the next connection. A response finished by the app outside a sweep (the database answered)
//   wakes the loop, so the backoff delays reads, never answers.
// In flight: every connection at once, one thread, keep-alive and pipelining (the session orders).
// Stands in for: setblocking(False) sockets polled with recv() in a `while True` loop.
import fs from 'node:fs'
import net from 'node:net'
import type { ConnectionSet } from './connection-set.js'
import type { Model } from './model.js'
import { HttpSession, type SessionContext } from './session.js'
import { startNetServer } from './start-net-server.js'
import { SweepLog, type SweepStats } from './sweep-log.js'

// One read takes at most this much; 64 KiB is libuv's read size for streams (uv__read).
const READ_SIZE = 64 * 1024
// After bytes moved, keep sweeping at once for SPIN_MS: a keep-alive client's next request
// usually follows its response within a loopback round trip, and a nap would add up to a
// millisecond to it. Then empty sweeps back off: naps of 1, 2, 4, 8 ms and on, doubling up to a
// ceiling chosen so idle polling takes at most IDLE_SHARE of a core. An empty sweep costs about
// 5 µs per client (one EAGAIN exception) and a timer wake-up about 100 µs on this 2-core VM
// (measured), so the ceiling is (measured sweep time + WAKE_MS) / IDLE_SHARE: 10 ms with one
// client, about 18 ms with 50, longer when the machine is busy and every sweep slows down, never
// over MAX_NAP_MS. The price: the first request on a connection idle for a while waits up to one nap.
// The first nap is at least one empty sweep's cost: with 2,000 clients a sweep takes ~12 ms, and naps
// of 1, 2, 4 ms between such sweeps kept the loop sweeping back to back (98% of a core for an idle
// crowd and 20 newcomers a second), so a newcomer nearly always found a pass in progress and waited
// for it before its own: steady p99 30 ms = 2.4 sweeps; with both changes 17 ms = 1.6 sweeps at 66%
// of a core (results/crowds/, 2026-12-06). New connections wake the loop whatever the nap.
const SPIN_MS = 1
const MIN_CEILING_MS = 8
const MAX_NAP_MS = 50
const IDLE_SHARE = 0.02
const WAKE_MS = 0.1
// EAGAIN is the usual answer of a poll, and Node throws it as an Error; without a stack trace
// that exception costs about half (measured here: 3.4–6 µs instead of 7–10 µs per empty read).
// Only the two fs calls run with the limit at 0, so app errors keep their stacks.
const NO_STACK = 0

// A peer that never closes its side after our FIN is dropped after nginx's lingering_timeout (5 s).
const LINGER_MS = 5_000

interface Client {
  socket: net.Socket
  fd: number
  session: HttpSession
  /** Responses not yet written; the first one may be partly written already. */
  out: Buffer[]
  /** The peer sent FIN (or the read failed): nothing more to read. */
  eof: boolean
  /** The session is done: flush `out`, then shut our side. */
  closing: boolean
  /** When our FIN was sent: we wait (reading and discarding) for the peer's, until LINGER_MS. */
  shutAt: number
  gone: boolean
  untrack(): void
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException).code
}

class PollingLoop {
  readonly #clients: Client[] = []
  readonly #buffer = Buffer.allocUnsafe(READ_SIZE)
  readonly #context: SessionContext
  readonly #connections: ConnectionSet
  /** The one pending turn, if any (never more than one: two would poll every client twice). */
  #scheduled: 'immediate' | NodeJS.Timeout | undefined
  #sweeping = false
  #nap = 0
  /** When a sweep last moved bytes (or a client joined, or the app answered). */
  #lastActivity = 0
  /** What an empty sweep costs lately (moving average), ms. */
  #emptySweepMs = 0
  /** Every sweep's duration, served by the stats endpoint (a crowd's driver reads the real pass). */
  readonly #log = new SweepLog()

  constructor(context: SessionContext, connections: ConnectionSet) {
    this.#context = context
    this.#connections = connections
  }

  /** The 'connection' callback: read the accepted socket once, then append it to the client list. */
  add(socket: net.Socket): void {
    const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd
    if (typeof fd !== 'number' || fd < 0) {
      socket.destroy() // not a plain fd-backed TCP socket: nothing we can poll
      return
    }
    socket.on('error', () => {}) // our reads bypass the stream; errors surface as read/write errors
    const state = { socket, fd, out: [] as Buffer[], eof: false, closing: false, shutAt: 0, gone: false }
    const session = new HttpSession(this.#context, { remoteAddress: socket.remoteAddress, remotePort: socket.remotePort }, {
      write: (bytes) => {
        client.out.push(bytes)
        this.#flush(client) // answer at once when the socket takes it; the sweeps retry the rest
        this.#wake()
      },
      close: () => {
        client.closing = true
        this.#wake()
      },
    })
    const client: Client = Object.assign(state, {
      session,
      untrack: this.#connections.add(session, () => this.#drop(client)),
    })
    this.#clients.push(client)
    // Its request is usually waiting (see the top of the file). Never called during a sweep
    // (accepts come from libuv's poll phase), so the shared read buffer is free.
    this.#read(client)
    this.#wake()
  }

  /** One pass over every client; true when any bytes moved. */
  #sweep(): boolean {
    let progress = false
    for (const client of this.#clients) {
      if (client.gone) continue
      if (client.out.length > 0) progress = this.#flush(client) || progress
      if (client.out.length > 0 || client.gone) continue
      if (client.closing && client.shutAt === 0) this.#shut(client)
      if (client.eof) {
        if (client.shutAt !== 0) this.#drop(client)
        continue
      }
      progress = this.#read(client) || progress
      if (client.shutAt !== 0 && !client.gone && performance.now() - client.shutAt > LINGER_MS) this.#drop(client)
    }
    return progress
  }

  #read(client: Client): boolean {
    let n: number
    const stackTraceLimit = Error.stackTraceLimit
    Error.stackTraceLimit = NO_STACK
    try {
      n = fs.readSync(client.fd, this.#buffer, 0, READ_SIZE, null)
    } catch (error) {
      if (errorCode(error) === 'EAGAIN' || errorCode(error) === 'EWOULDBLOCK') return false
      this.#drop(client) // ECONNRESET and friends: the client is gone (no request can follow: not progress)
      return false
    } finally {
      Error.stackTraceLimit = stackTraceLimit
    }
    if (n === 0) {
      client.eof = true
      if (client.shutAt !== 0) this.#drop(client)
      else client.session.end() // a request cut off gets its 400; answers still owed are written
      // A FIN moves no request: nothing can follow it, so it is no reason to sweep again at once
      // (an answer session.end() writes wakes the loop itself). Counted as progress, every
      // close-per-request client cost a whole extra sweep (measured at 2,000 clients, 2026-12-06).
      return false
    }
    // Lingering after our FIN: what the peer still sends is read and discarded.
    if (client.shutAt === 0) client.session.receive(Buffer.from(this.#buffer.subarray(0, n)))
    return true
  }

  /** Write as much of the client's output as the socket takes now; true when bytes moved. */
  #flush(client: Client): boolean {
    let written: number
    const stackTraceLimit = Error.stackTraceLimit
    Error.stackTraceLimit = NO_STACK
    try {
      written = fs.writevSync(client.fd, client.out)
    } catch (error) {
      if (errorCode(error) === 'EAGAIN' || errorCode(error) === 'EWOULDBLOCK') return false
      this.#drop(client) // EPIPE, ECONNRESET: the client went away
      return true
    } finally {
      Error.stackTraceLimit = stackTraceLimit
    }
    while (written > 0) {
      const first = client.out[0]!
      if (written >= first.length) {
        client.out.shift()
        written -= first.length
      } else {
        client.out[0] = first.subarray(written)
        written = 0
      }
    }
    return true
  }

  /** Everything is written: send our FIN (shutdown(SHUT_WR) through libuv). */
  #shut(client: Client): void {
    client.shutAt = performance.now()
    client.socket.end()
    if (client.eof) this.#drop(client)
  }

  #drop(client: Client): void {
    if (client.gone) return
    client.gone = true
    client.session.abort()
    client.socket.destroy()
    client.untrack()
  }

  /** Run a sweep soon: new client, or output from outside a sweep (the app answered late). */
  #wake(): void {
    this.#nap = 0
    this.#lastActivity = performance.now()
    // During a sweep the turn itself schedules the next one; a second chain would poll twice.
    if (this.#sweeping || this.#scheduled === 'immediate') return
    if (this.#scheduled !== undefined) clearTimeout(this.#scheduled)
    this.#schedule()
  }

  #turn(): void {
    this.#scheduled = undefined
    this.#sweeping = true
    const start = performance.now()
    const swept = this.#clients.length
    const progress = this.#sweep()
    const now = performance.now()
    this.#log.record(now - start, swept)
    this.#sweeping = false
    this.#compact()
    if (this.#clients.length === 0) return // nothing to poll: sleep until the next connection
    if (progress) this.#lastActivity = now
    else this.#emptySweepMs = 0.8 * this.#emptySweepMs + 0.2 * (now - start)
    if (now - this.#lastActivity < SPIN_MS) this.#nap = 0
    else this.#nap = Math.min(this.#nap === 0 ? Math.max(1, this.#emptySweepMs) : this.#nap * 2, this.#napCeiling())
    this.#schedule()
  }

  /** The longest nap: idle polling may cost IDLE_SHARE of a core, given what sweeps cost now. */
  #napCeiling(): number {
    return Math.min(Math.max(MIN_CEILING_MS, (this.#emptySweepMs + WAKE_MS) / IDLE_SHARE), MAX_NAP_MS)
  }

  /** The one pending turn: an immediate while busy, a timer of #nap ms while backing off. */
  #schedule(): void {
    if (this.#nap === 0) {
      this.#scheduled = 'immediate'
      setImmediate(() => this.#turn())
    } else {
      this.#scheduled = setTimeout(() => this.#turn(), this.#nap)
    }
  }

  sweepStats(): SweepStats {
    return this.#log.stats(this.#clients.length)
  }

  #compact(): void {
    let kept = 0
    for (const client of this.#clients) if (!client.gone) this.#clients[kept++] = client
    this.#clients.length = kept
  }
}

export const nonblocking: Model = {
  name: 'nonblocking',
  summary: 'one loop polling every non-blocking socket with read(), EAGAIN when empty, backing off when idle',
  keepAlive: true,
  start(options) {
    return startNetServer(options, { pauseOnConnect: true }, (context, connections) => {
      const loop = new PollingLoop(context, connections)
      return { onConnection: (socket) => loop.add(socket), sweepStats: () => loop.sweepStats() }
    })
  },
}
