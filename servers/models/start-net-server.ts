// What the raw-net models (blocking, nonblocking, eventloop, coroutines) share around their one difference,
// the way they take a connection: open the app once, listen, and on close stop accepting, let the
// model let go of what it never started, finish in-flight requests, then release the app.
import net from 'node:net'
import type { RunningServer, ServeOptions } from './model.js'
import type { SweepStats } from './sweep-log.js'
import { ConnectionSet } from './connection-set.js'
import { listen } from './listen.js'
import { openServerContext, type ServerContext } from './server-context.js'
import type { SessionContext } from './session.js'

export interface Acceptor {
  /** An accepted socket (paused when the model asked for pauseOnConnect). */
  onConnection(socket: net.Socket): void
  /** Shutdown began and no new connection will arrive: drop what was never started. */
  stopAccepting?(): void
  /** The model's timing of its sweeps, if it sweeps (nonblocking). */
  sweepStats?(): SweepStats
}

/** `makeAcceptor` builds the model's per-server state once the app is loaded. */
export async function startNetServer(
  options: ServeOptions,
  serverOptions: net.ServerOpts,
  makeAcceptor: (context: SessionContext, connections: ConnectionSet) => Acceptor,
): Promise<RunningServer> {
  const context = await openServerContext(options)
  const connections = new ConnectionSet()
  const acceptor = makeAcceptor(context.session, connections)
  // noDelay always: raw net sockets default to Nagle, and a response written in two parts (or two
  // pipelined responses) would wait ~40 ms for a delayed ACK.
  const server = net.createServer({ ...serverOptions, noDelay: true }, (socket) => acceptor.onConnection(socket))
  const bound = await bindServer(server, options, context)
  return {
    host: bound.host,
    port: bound.port,
    ...(acceptor.sweepStats !== undefined ? { sweepStats: acceptor.sweepStats } : {}),
    async close() {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
      acceptor.stopAccepting?.()
      await connections.drain()
      await stopped
      await context.close()
    },
  }
}

/** Listen, and on failure release the app (its database pool) before rethrowing; on success
 * tell the session the bound port (port 0 resolves here). Shared with node-http's frame. */
export async function bindServer(server: net.Server, options: ServeOptions, context: ServerContext): Promise<{ host: string; port: number }> {
  let bound
  try {
    bound = await listen(server, options)
  } catch (error) {
    await context.close()
    throw error
  }
  context.session.serverPort = bound.port
  return bound
}
