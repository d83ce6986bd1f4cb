// design: the pre-forked worker pool that production servers use (gunicorn's arbiter, nginx's
//   worker processes): N processes started once, each an event-loop server.
// Accepts: node:cluster. The primary binds the port; each worker (prefork-worker.ts) runs the
//   `eventloop` model on its own openServerContext (its own app and database pool). Scheduling:
//   Node's default on Linux, round-robin (SCHED_RR): the primary accepts and passes each
//   connection to the next worker over IPC. We keep it because keep-alive benchmarks hold few,
//   long connections and rr spreads them evenly (measured 16/34 connections per worker, against
//   7/43 with the kernel choosing, where one worker's eager accepts grab whole bursts —
//   node-models.md §2); `NODE_CLUSTER_SCHED_POLICY=none` switches to the shared listening socket
//   (what gunicorn does) for anyone who wants to compare.
// Reads/writes: in each worker, 'data' events into an HttpSession per connection, one write per
//   response (see eventloop.ts).
// In flight: every connection on every worker at once; --workers=N (default: CPU count).
// Failure: a worker that dies takes its own connections with it; the primary forks a replacement
//   and the others keep answering meanwhile. One more connection can go down with it under rr: one
//   the primary hands over in the instant between the worker's death and the primary noticing
//   it. Node's RoundRobinHandle then waits for an acknowledgement that never comes and keeps the
//   socket open, so that client waits until it gives up (measured: a request sent 3 ms after a
//   SIGKILL timed out; once the primary reaped the worker, none did). Under `none` the kernel
//   would reset such a connection instead.
// Stands in for: os.fork() before accept(), N times.
import cluster, { type Worker } from 'node:cluster'
import { fileURLToPath } from 'node:url'
import { logError } from '../log.js'
import { SHUTDOWN_DEADLINE_MS } from './connection-set.js'
import type { Model, RunningServer, ServeOptions } from './model.js'
import { optionsForWorker } from './worker-options.js'

const WORKER_ENTRY = fileURLToPath(new URL('./prefork-worker.js', import.meta.url))

/** Environment variable that carries a worker's ServeOptions (JSON). */
export const WORKER_OPTIONS_ENV = 'HTTPMODELS_WORKER_OPTIONS'

/** What a worker that cannot start tells the primary before it exits. (The primary stops workers
 * with SIGTERM, not a message: cluster's own 'message' listener in a worker takes any message that
 * arrives while the worker is still loading, so a shutdown sent then would be lost; a signal is
 * not, and before the worker's handler exists its default action ends a worker that holds
 * nothing yet.) */
export type PreforkMessage = { type: 'failed'; message: string }

// A worker that dies within a second of its start is probably failing to boot (the database went
// away): wait that long before the next try instead of forking in a tight loop (systemd's
// RestartSec idea; gunicorn gives up on boot failures altogether).
const RESTART_DELAY_MS = 1_000

async function start(options: ServeOptions): Promise<RunningServer> {
  cluster.setupPrimary({ exec: WORKER_ENTRY, args: [], silent: false })
  const live = new Set<Worker>()
  const exited: Array<() => void> = []
  let closing = false
  // The port workers ask the primary for. Workers listening on port 0 share one handle (the
  // primary keys handles by address and port), so replacements keep asking for 0 while any
  // worker holds it; once all are gone the handle is closed, and the next one binds the port
  // the server announced.
  let listenPort = options.port
  let boundPort = 0

  const spawn = (): Worker => {
    if (live.size === 0 && boundPort !== 0) listenPort = boundPort
    const workerOptions = optionsForWorker(options, listenPort, options.workers)
    const worker = cluster.fork({ [WORKER_OPTIONS_ENV]: JSON.stringify(workerOptions) })
    const startedAt = Date.now()
    live.add(worker)
    worker.on('error', () => {}) // sends to a dying worker; its 'exit' follows
    let failure = ''
    worker.on('message', (message: PreforkMessage) => {
      if (message.type === 'failed') failure = `: ${message.message}`
    })
    worker.once('exit', (code, signal) => {
      live.delete(worker)
      if (closing) {
        if (live.size === 0) for (const wake of exited.splice(0)) wake()
        return
      }
      if (boundPort === 0) return // still starting: start() reports it
      logError(`prefork: worker ${worker.process.pid} ended with ${signal ?? `code ${code}`}${failure}; starting a replacement`)
      const delay = Date.now() - startedAt < RESTART_DELAY_MS ? RESTART_DELAY_MS : 0
      setTimeout(() => closing || spawn(), delay)
    })
    return worker
  }

  const stopAll = async (): Promise<void> => {
    closing = true
    if (live.size === 0) return
    const allExited = new Promise<void>((resolve) => exited.push(resolve))
    for (const worker of live) worker.process.kill('SIGTERM')
    // Workers destroy their stragglers at SHUTDOWN_DEADLINE_MS; one still alive a second later is
    // stuck and is killed, so no worker outlives the server.
    const kill = setTimeout(() => {
      for (const worker of live) worker.process.kill('SIGKILL')
    }, SHUTDOWN_DEADLINE_MS + 1_000)
    await allExited
    clearTimeout(kill)
  }

  // Ready once every worker listens; the first failure to start fails the server with its reason.
  const workers = Array.from({ length: options.workers }, spawn)
  try {
    const ports = await Promise.all(workers.map(listening))
    boundPort = ports[0]!
  } catch (error) {
    await stopAll()
    throw error
  }
  return { host: options.host, port: boundPort, close: stopAll }
}

/** Resolves with the port once the worker listens; rejects with its reason if it dies first. */
function listening(worker: Worker): Promise<number> {
  return new Promise((resolve, reject) => {
    let reason = ''
    worker.on('message', (message: PreforkMessage) => {
      if (message.type === 'failed') reason = message.message
    })
    worker.once('listening', (address) => resolve(address.port))
    worker.once('exit', (code, signal) => {
      reject(new Error(reason || `a prefork worker ended with ${signal ?? `code ${code}`} before listening`))
    })
  })
}

export const prefork: Model = {
  name: 'prefork',
  summary: 'node:cluster: N pre-forked worker processes, each an event-loop server (the pre-fork pool)',
  keepAlive: true,
  start,
}
