// The child process of the fork model: one process, one connection. fork.ts starts it with the
// server's options (JSON) as its argument and then sends it the accepted socket; the child serves
// that connection the event-loop way (keep-alive, pipelining, head and idle timeouts) and exits
// when it closes.
//
// Stopping: the parent's shutdown message, SIGTERM, SIGINT (a terminal's Ctrl-C reaches the
// whole process group) or a vanished parent all mean the same thing: finish what is in flight,
// close, exit 0.
import type net from 'node:net'
import { describeError, logError } from '../log.js'
import { ConnectionSet } from './connection-set.js'
import { serveSocket } from './eventloop.js'
import { SHUTDOWN_MESSAGE } from './fork.js'
import type { ServeOptions } from './model.js'
import { openServerContext, type ServerContext } from './server-context.js'
import { unavailableContext } from './unavailable-context.js'

// A peer that never closes its side after our FIN must not hold a process (and a --max-procs
// slot) forever: nginx's lingering_timeout (5 s) bounds the same wait.
const LINGER_MS = 5_000

// One turn of the event loop reads what has arrived; 20 ms leaves room on a busy machine.
const READ_GRACE_MS = 20

const options = JSON.parse(process.argv[2] ?? '{}') as ServeOptions
const connections = new ConnectionSet()
let socket: net.Socket | undefined
let stopping = false
let serving = false

// Load the app while the socket is on its way: the two waits overlap.
const contextReady = openServerContext(options)
const socketReady = new Promise<net.Socket>((resolve) => {
  process.on('message', (message: unknown, handle: unknown) => {
    if (message === 'socket' && handle && !(handle as net.Socket).destroyed) {
      socket = handle as net.Socket // set at once: a shutdown in the same batch must see it
      resolve(socket)
    } else if (message === 'socket') {
      // The client closed its connection before the handle crossed over: it arrives already
      // destroyed (or not at all) and will never emit 'close' (Node's subprocess.send warns of
      // it; wrk's first connection, opened and closed at once, does it every run). Nothing to
      // serve: without this exit the child would wait for ever and hold a --max-procs slot.
      process.exit(0)
    } else if (message === SHUTDOWN_MESSAGE) {
      stop()
    }
  })
})

function stop(): void {
  if (stopping) return
  stopping = true
  if (socket === undefined) process.exit(0) // nothing taken on yet
  if (serving) drainSoon()
}

// Requests the client sent before the stop are in flight from its side, though this child may
// not have read them yet (it can take longer to start than the client took to send). Give the
// loop a moment to read what the kernel holds, then finish those and close. The socket's
// 'close' below ends the process.
function drainSoon(): void {
  setTimeout(() => void connections.drain(), READ_GRACE_MS)
}

process.on('SIGTERM', stop)
process.on('SIGINT', stop)
process.on('disconnect', stop)

let context: ServerContext
try {
  context = await contextReady
} catch (error) {
  logError(`fork child cannot open the app, answering 503: ${describeError(error)}`)
  context = { session: unavailableContext(options), close: async () => {} }
}
socket = await socketReady
// A socket rebuilt from a passed handle defaults to allowHalfOpen: false; a client may send its
// requests and shut its side, and we still owe the answers (as eventloop's server does).
socket.allowHalfOpen = true
socket.on('close', () => {
  void context.close().finally(() => process.exit(0))
})
socket.on('finish', () => socket!.setTimeout(LINGER_MS, () => socket!.destroy()))
serveSocket(socket, context.session, connections)
serving = true
if (stopping) drainSoon() // asked to stop while the app was loading
