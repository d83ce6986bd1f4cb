// design: the course's thread per connection (accept, then a thread serves the connection with
//   blocking recv/send), from a fixed pool of threads as a ThreadPoolExecutor would give.
// Accepts: the main thread, with pauseOnConnect, so it never reads; it hands the connection's fd
//   NUMBER (the fd table is process-wide) to a piscina task. Node 20 cannot transfer a socket to a
//   thread (postMessage of a socket or its handle throws; transferable TCP handles arrive with
//   nodejs/node#64225) and has no reusePort for a listener per thread (node-models.md §3).
// Reads/writes: the thread (threads-worker.ts) reads and writes the fd itself with fs.readSync /
//   fs.writeSync, into its own HttpSession, for the whole connection, keep-alive included. The fd
//   stays non-blocking and an empty read waits and retries (Atomics.wait between requests,
//   setImmediate mid-request, setTimeout once quiet), which gives the thread a read with a
//   timeout: 408, the idle keep-alive close, graceful shutdown and awaiting the database all work
//   in a thread that otherwise reads "blocking". The price, measured here: a keep-alive request
//   sent at once waits ~75 µs more at worst (median RTT as eventloop's, p90 ~190 µs against
//   ~85 µs); one after a lull of 50 ms or more waits up to 25 ms; an idle keep-alive connection
//   costs ~1.2% of a core in wakeups. When the task ends, main shuts our side and closes the
//   socket (it owns the libuv handle; the thread never closes the fd).
// In flight: one connection per thread, --workers threads (default: CPU count), each with its own
//   app and database pool (the pool budget split between them, worker-options.ts). Further
//   connections wait, unread, in piscina's queue (bounded, see MAX_QUEUE); slow or idle
//   keep-alive clients hold their threads and exhaust the pool, exactly as in the course.
// Why this design and not the other one (main moves the bytes, threads only parse and handle):
//   that one is the event loop with ~50 µs of message passing per request added (node-models.md
//   §3: 20k req/s against 96k) and no thread ever owns a connection, so it would not show what
//   thread-per-connection does under load — a pool exhausted by slow clients.
// Stands in for: threading.Thread(target=handle_client, args=(client_socket,)).
import { BroadcastChannel } from 'node:worker_threads'
import net from 'node:net'
import { fileURLToPath } from 'node:url'
import { Piscina } from 'piscina'
import { describeError, logError } from '../log.js'
import { SHUTDOWN_DEADLINE_MS } from './connection-set.js'
import { listen } from './listen.js'
import type { Model, RunningServer, ServeOptions } from './model.js'
import { ABORTING, CONTROL_WORDS, DRAINING, STATE, type ThreadsTask, type ThreadsWorkerData } from './threads-control.js'
import { optionsForWorker } from './worker-options.js'

const WORKER_ENTRY = fileURLToPath(new URL('./threads-worker.js', import.meta.url))

// Connections waiting for a thread each hold an fd; bound the wait like the kernel's accept queue
// would (Node's default listen backlog, 511). Beyond it a connection is closed at once.
const MAX_QUEUE = 511
// After our FIN, a client that keeps its side open is given this long to close it: nginx's
// lingering_timeout (5 s).
const LINGER_MS = 5_000
// How long threads get to close their database pools at shutdown before they are terminated.
const CLOSE_APPS_MS = 2_000

async function start(options: ServeOptions): Promise<RunningServer> {
  const control = new SharedArrayBuffer(CONTROL_WORDS * Int32Array.BYTES_PER_ELEMENT)
  const words = new Int32Array(control)
  const channelName = `httpmodels threads ${process.pid} ${Date.now()}`
  const tasks = new Set<Promise<void>>()
  const lingering = new Set<net.Socket>()
  let pool: Piscina<ThreadsTask, void> | undefined

  const release = (socket: net.Socket): void => {
    // The thread is done with the fd: send our FIN after everything it wrote, read and drop what
    // the client still sends (a request pipelined after a close) until it closes too, so the
    // kernel does not answer unread bytes with a reset that could cost the client our response.
    lingering.add(socket)
    socket.once('close', () => lingering.delete(socket))
    socket.setTimeout(LINGER_MS, () => socket.destroy())
    socket.end()
    socket.resume()
  }

  const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true }, (socket) => {
    socket.on('error', () => {}) // resets are the client's business; 'close' cleans up
    const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd
    if (pool === undefined || typeof fd !== 'number' || fd < 0) {
      socket.destroy()
      return
    }
    const task = pool.run({ fd, peer: { remoteAddress: socket.remoteAddress, remotePort: socket.remotePort } }).then(
      () => release(socket),
      (error: unknown) => {
        // Queue full: refuse like a full backlog. A crashed thread: piscina has replaced it, and
        // only this connection is lost.
        if (!/queue/i.test(describeError(error))) logError(`threads: a connection was lost: ${describeError(error)}`)
        socket.destroy()
      },
    )
    tasks.add(task)
    void task.finally(() => tasks.delete(task))
  })
  const bound = await listen(server, options)

  pool = new Piscina<ThreadsTask, void>({
    filename: WORKER_ENTRY,
    // A fixed pool, started up front (a ThreadPoolExecutor's max_workers): threads never exit
    // when idle, because each holds an open database pool whose connections cost a TCP and
    // authentication handshake to rebuild. piscina's default idleTimeout (0) would end every
    // thread above minThreads the moment it finished a task; Infinity disables that timer.
    minThreads: options.workers,
    maxThreads: options.workers,
    idleTimeout: Infinity,
    // One connection per thread: that is the model.
    concurrentTasksPerWorker: 1,
    maxQueue: MAX_QUEUE,
    // 'sync' (the default) parks an idle thread in Atomics.wait between tasks, freezing its event
    // loop: the mysql pool's timers and idle-connection handling would stall. 'disabled' lets the
    // thread's loop run between tasks; the ~10 µs of a MessagePort message per task is nothing
    // next to a whole connection.
    atomics: 'disabled',
    // Each thread is a V8 isolate with its own heap, and V8 grows a busy isolate's young
    // generation to 32 MB (two 16 MB semi-spaces; measured with v8.getHeapSpaceStatistics: new
    // space 8 → 16 → 32 MB within 20,000 requests while old space stayed at 10–12 MB). Times N
    // threads that is most of the server's memory: 4 threads went from 149 to 190 MB. Capped at
    // 8 MB, 4 threads stay at ~150 MB, with no measurable change in CPU per request on
    // /stocks.html. Per-thread memory is this model's cost, as a thread's stack is the course's.
    resourceLimits: { maxYoungGenerationSizeMb: 8 },
    workerData: {
      options: optionsForWorker(options, bound.port, options.workers),
      control,
      channel: channelName,
    } satisfies ThreadsWorkerData,
  })
  // A thread that dies while it holds no connection (an error thrown from its database pool's
  // timers, say) is reported here instead of as an unhandled 'error' that would end the server;
  // piscina has already replaced it.
  pool.on('error', (error: unknown) => logError(`threads: an idle thread crashed: ${describeError(error)}`))
  // Each thread opens the app as it loads; fail the start with the reason if it cannot.
  try {
    await pool.run('ready')
  } catch (error) {
    server.close()
    await pool.destroy()
    throw error instanceof Error ? error : new Error(describeError(error))
  }

  return {
    host: bound.host,
    port: bound.port,
    async close() {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
      // Threads finish in-flight requests and close idle connections (a sleeping one wakes now).
      Atomics.store(words, STATE, DRAINING)
      Atomics.notify(words, STATE)
      if (!(await settled(tasks, SHUTDOWN_DEADLINE_MS))) {
        Atomics.store(words, STATE, ABORTING)
        Atomics.notify(words, STATE)
        await settled(tasks, 1_000)
      }
      for (const socket of lingering) socket.destroy()
      await closeApps(channelName, pool!.threads.length)
      await pool!.destroy()
      await stopped
    },
  }
}

/** Wait until every task in `tasks` (including ones added meanwhile) settled; false on timeout. */
async function settled(tasks: Set<Promise<void>>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (tasks.size > 0) {
    const left = deadline - Date.now()
    if (left <= 0) return false
    let timer: NodeJS.Timeout | undefined
    await Promise.race([Promise.allSettled([...tasks]), new Promise((resolve) => (timer = setTimeout(resolve, left)))])
    clearTimeout(timer)
  }
  return true
}

/** Ask every thread to close its app (database pool) and wait for their answers, bounded. */
async function closeApps(name: string, threads: number): Promise<void> {
  const channel = new BroadcastChannel(name)
  let answers = 0
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, CLOSE_APPS_MS)
    channel.onmessage = () => {
      if (++answers >= threads) {
        clearTimeout(timer)
        resolve()
      }
    }
    channel.postMessage('close')
    if (threads === 0) resolve()
  })
  channel.close()
}

export const threads: Model = {
  name: 'threads',
  summary: 'a pooled worker thread per connection, reading and writing its fd (thread per connection)',
  keepAlive: true,
  start,
}
