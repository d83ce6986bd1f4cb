// A pooled thread of the threads model: each task is one whole connection, served through its fd
// number with fs.readSync / fs.writeSync (see threads.ts for why). The thread opens its own app
// and database pool once, at load, and keeps them across tasks.
//
// The fd stays non-blocking (libuv made it so at accept). A blocking read could not be timed out,
// so there would be no 408, no idle keep-alive close, no graceful shutdown and no awaiting the
// database; instead a read that finds nothing (EAGAIN) waits and tries again, with a wait that
// grows the longer the connection stays quiet — a read with a timeout, like Python's
// socket.settimeout:
//   1. sleep (between requests: the session is idle): Atomics.wait on the shared control word,
//      50 µs growing to 800 µs until the connection has been quiet for 2 ms. The kernel's timer
//      slack makes the shortest real sleep ~75 µs (measured), which is the latency this adds to a
//      keep-alive request that arrives right away; main's Atomics.notify at shutdown cuts a sleep
//      short. It freezes this thread's event loop, which is why it is only used while idle.
//   1'. spin (mid-request: part of a head or body buffered, or a response pending): yield to the
//      event loop with setImmediate (~8 µs) for up to SPIN_US — the rest of a request split over
//      packets arrives within µs, and the app's promises (mysql) keep running;
//   2. doze: setTimeout, 1 ms growing to MAX_POLL_MS, so the session's own timers (408, idle
//      close) and the app's pending promises run between reads; a response written while dozing
//      wakes the loop at once.
// Writes loop over partial writes; EAGAIN (the client is not reading, e.g. /large.bin) waits with
// Atomics.wait and retries, up to SEND_TIMEOUT_MS without progress.
import { BroadcastChannel, threadId, workerData } from 'node:worker_threads'
import fs from 'node:fs'
import { describeError, logError } from '../log.js'
import { openServerContext, type ServerContext } from './server-context.js'
import { HttpSession, type Peer, type SessionContext } from './session.js'
import { ABORTING, DRAINING, RUNNING, SLEEP, STATE, type ThreadsTask, type ThreadsWorkerData } from './threads-control.js'
import { unavailableContext } from './unavailable-context.js'

const SPIN_US = 200
const MIN_SLEEP_US = 50
const MAX_SLEEP_US = 800
const SLEEP_UNTIL_US = 2_000
// The longest pause between two reads of a quiet connection: the worst extra latency of a request
// that comes after a lull of 50 ms or more, against 40 wakeups/s per idle keep-alive connection.
// A wakeup is dear on this VM (~120 µs of CPU for a bare timer, ~300 µs with the read, measured
// with /proc/<pid>/task/<tid>/schedstat): 10 ms cost ~3% of a core per idle connection, 25 ms ~1.2%.
const MAX_POLL_MS = 25
// nginx's send_timeout (60 s): how long a client may leave a response unread before we give up.
const SEND_TIMEOUT_MS = 60_000
// Sockets give at most this much per read; 64 KiB is libuv's read size too.
const READ_SIZE = 64 * 1024

const { options, control, channel } = workerData as ThreadsWorkerData
const words = new Int32Array(control)
const readBuffer = Buffer.allocUnsafe(READ_SIZE)

// Opened once per thread and kept across tasks. A failure is kept too (not thrown at load), and
// tried again by a later task after REOPEN_MS: a thread that replaces a crashed one while the
// database is down must not stay broken once it is back.
const REOPEN_MS = 1_000
let opened: Promise<ServerContext | Error> = open()
let failedAt = 0

function open(): Promise<ServerContext | Error> {
  return openServerContext(options).catch((error: unknown) => {
    failedAt = Date.now()
    return error instanceof Error ? error : new Error(describeError(error))
  })
}

async function currentContext(): Promise<ServerContext | Error> {
  const result = await opened
  if (!(result instanceof Error) || Date.now() - failedAt < REOPEN_MS) return result
  opened = open()
  return opened
}

// Main asks every thread on this channel to close its app (its database pool) before the pool is
// destroyed; piscina has no per-thread teardown hook.
const closing = new BroadcastChannel(channel)
closing.unref()
closing.onmessage = (event) => {
  if ((event as MessageEvent).data !== 'close') return
  void opened
    .then((context) => (context instanceof Error ? undefined : context.close()))
    .catch(() => {})
    .finally(() => closing.postMessage({ closed: threadId }))
}

export default async function serveTask(task: ThreadsTask): Promise<void> {
  const context = await currentContext()
  if (task === 'ready') {
    if (context instanceof Error) throw context // start-up: the CLI prints it and exits
    return
  }
  if (context instanceof Error) logError(`threads: cannot open the app, answering 503: ${describeError(context)}`)
  await serveConnection(task.fd, task.peer, context instanceof Error ? unavailableContext(options) : context.session)
}

const AGAIN = -1
const GONE = -2

/** Bytes read, 0 at end of stream, AGAIN when nothing is there yet, GONE when the peer reset. */
function readSome(fd: number): number {
  try {
    return fs.readSync(fd, readBuffer, 0, READ_SIZE, null)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    return code === 'EAGAIN' || code === 'EWOULDBLOCK' || code === 'EINTR' ? AGAIN : GONE
  }
}

/** Write all of `bytes`; false when the peer is gone, stopped reading too long, or we abort. */
function writeAll(fd: number, bytes: Buffer): boolean {
  let offset = 0
  let sleepUs = MIN_SLEEP_US
  let stalledMs = 0
  while (offset < bytes.length) {
    try {
      offset += fs.writeSync(fd, bytes, offset, bytes.length - offset)
      sleepUs = MIN_SLEEP_US
      stalledMs = 0
      continue
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'EAGAIN' && code !== 'EWOULDBLOCK' && code !== 'EINTR') return false
    }
    if (Atomics.load(words, STATE) === ABORTING || stalledMs > SEND_TIMEOUT_MS) return false
    Atomics.wait(words, SLEEP, 0, sleepUs / 1000)
    stalledMs += sleepUs / 1000
    sleepUs = Math.min(MAX_POLL_MS * 1000, sleepUs * 2)
  }
  return true
}

async function serveConnection(fd: number, peer: Peer, context: SessionContext): Promise<void> {
  let closed = false
  let wake: (() => void) | undefined
  const session = new HttpSession(context, peer, {
    write(bytes) {
      if (!writeAll(fd, bytes)) {
        session.abort()
        closed = true
      }
      wake?.()
    },
    close() {
      closed = true
      wake?.()
    },
  })
  const doze = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms)
      function done(): void {
        clearTimeout(timer)
        wake = undefined
        resolve()
      }
      wake = done
    })

  let stopAsked = false
  let ended = false
  let quietSince = -1
  while (!closed) {
    const state = Atomics.load(words, STATE)
    if (state === ABORTING) {
      session.abort()
      break
    }
    const n = ended || stopAsked ? AGAIN : readSome(fd)
    if (n > 0) {
      // The parser may keep a partial head: it gets its own copy, the read buffer is reused.
      session.receive(Buffer.from(readBuffer.subarray(0, n)))
      quietSince = -1
      if (state === DRAINING && !stopAsked) {
        stopAsked = true
        session.shutdown()
      }
      continue
    }
    if (n === 0) {
      ended = true
      session.end()
      continue
    }
    if (n === GONE) {
      session.abort()
      break
    }
    if (state === DRAINING && !stopAsked) {
      stopAsked = true
      session.shutdown()
      continue
    }
    // Nothing to read yet: sleep or spin, then doze (see the top of the file). Each wait is about
    // half the quiet time so far, so the waits grow geometrically.
    if (quietSince < 0) quietSince = performance.now()
    const quietUs = (performance.now() - quietSince) * 1000
    const busy = ended || stopAsked || !session.idle
    if (!busy && quietUs < SLEEP_UNTIL_US) {
      Atomics.wait(words, STATE, RUNNING, Math.min(MAX_SLEEP_US, Math.max(MIN_SLEEP_US, quietUs / 2)) / 1000)
    } else if (busy && !ended && !stopAsked && quietUs < SPIN_US) {
      await new Promise<void>((resolve) => setImmediate(resolve))
    } else {
      await doze(Math.min(MAX_POLL_MS, Math.max(1, quietUs / 2000)))
    }
  }
}

// An uncaught error in a task's async work ends this thread (piscina replaces it and fails only
// that task's connection); say which thread it was before it goes.
process.on('uncaughtExceptionMonitor', (error) => logError(`threads: thread crashed: ${describeError(error)}`))
