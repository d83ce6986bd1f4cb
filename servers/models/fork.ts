// design: the course's process per connection (accept, os.fork(), the child serves, the parent
//   closes its copy and accepts again).
// Accepts: the parent listens with pauseOnConnect, so it never reads a byte of any connection. For
//   each accepted socket it starts a child (child_process.fork of the compiled fork-child.js: a
//   fresh Node process, ~60 ms here, so ~30 connections/s is the honest ceiling) and hands the
//   socket over IPC (child.send('socket', socket)); Node closes the parent's copy once the child
//   acknowledges it, as the course's parent close()s its copy after fork().
// Reads/writes: in the child, the event-loop way (serveSocket: 'data' events into an HttpSession,
//   one write per response) for that one connection, keep-alive and pipelining included; the
//   child exits when its connection closes.
// In flight: one connection per process. --max-procs caps live children; further connections
//   wait unread, in arrival order, in the parent (the course's listen backlog behind a full
//   process table). A child that crashes costs only its own connection: the parent sees the exit
//   and starts the next waiting one.
// Stands in for: os.fork(). Node cannot fork a running process, so each child loads the app
//   itself (one database pool per child, see worker-options.ts).
import { fork as forkProcess, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import { fileURLToPath } from 'node:url'
import { logError } from '../log.js'
import { SHUTDOWN_DEADLINE_MS } from './connection-set.js'
import { listen } from './listen.js'
import type { Model, RunningServer, ServeOptions } from './model.js'
import { openServerContext } from './server-context.js'
import { optionsForWorker } from './worker-options.js'

// Runtime code runs compiled JS: the child entry sits beside this file in dist/.
const CHILD_ENTRY = fileURLToPath(new URL('./fork-child.js', import.meta.url))

/** What the parent tells a child after the socket: finish in-flight requests, then exit. */
export const SHUTDOWN_MESSAGE = 'shutdown'

async function start(options: ServeOptions): Promise<RunningServer> {
  // The parent never serves, but a bad --app or an unreachable database must fail at start with
  // one clear line, not in every child: open the app once to check it, then let it go.
  const probe = await openServerContext(options)
  await probe.close()

  const waiting: net.Socket[] = []
  const children = new Set<ChildProcess>()
  const exited: Array<() => void> = []
  let childArgs: string[] = []
  let closing = false

  const admit = (): void => {
    while (!closing && children.size < options.maxProcs && waiting.length > 0) spawnFor(waiting.shift()!)
  }

  const spawnFor = (socket: net.Socket): void => {
    const child = forkProcess(CHILD_ENTRY, childArgs, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    children.add(child)
    const ended = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (!children.delete(child)) return
      if (code !== 0 && !closing) logError(`fork: child ${child.pid} ended with ${signal ?? `code ${code}`}; only its connection was lost`)
      socket.destroy() // still ours if the child died before taking it
      if (children.size === 0) for (const wake of exited.splice(0)) wake()
      admit()
    }
    child.once('exit', ended)
    // A spawn that failed (no pid) never exits; a send to a dead child is followed by 'exit'.
    child.on('error', (error) => {
      if (child.pid === undefined) {
        logError(`fork: cannot start a child: ${error.message}`)
        ended(1, null)
      }
    })
    child.send('socket', socket, (error) => {
      if (error) child.kill('SIGKILL')
    })
  }

  const server = net.createServer({ pauseOnConnect: true }, (socket) => {
    socket.on('error', () => {}) // a reset while it waits is the client's business
    waiting.push(socket)
    admit()
  })
  const bound = await listen(server, options)
  // Children learn the bound port (SERVER_PORT) and get one database connection each.
  childArgs = [JSON.stringify(optionsForWorker(options, bound.port, options.maxProcs))]

  return {
    host: bound.host,
    port: bound.port,
    async close() {
      closing = true
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
      // Connections still waiting were never read: they are the backlog, which closing a
      // listening socket resets as well.
      for (const socket of waiting.splice(0)) socket.destroy()
      if (children.size > 0) {
        const allExited = new Promise<void>((resolve) => exited.push(resolve))
        for (const child of children) if (child.connected) child.send(SHUTDOWN_MESSAGE, () => {})
        // Each child destroys its straggler at SHUTDOWN_DEADLINE_MS; one that still lives a
        // second later is stuck and is killed, so no child outlives the server.
        const kill = setTimeout(() => {
          for (const child of children) child.kill('SIGKILL')
        }, SHUTDOWN_DEADLINE_MS + 1_000)
        await allExited
        clearTimeout(kill)
      }
      await stopped
    },
  }
}

export const fork: Model = {
  name: 'fork',
  summary: 'a new child process per connection, capped by --max-procs (fork after accept)',
  keepAlive: true,
  start,
}
