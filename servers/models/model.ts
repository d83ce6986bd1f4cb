// The one interface every concurrency model implements (gunicorn's Worker, reduced to what
// differs): start listening with the shared options, report the bound address, stop gracefully.

import type { ParserOptions } from '../http/parser.js'
import type { SweepStats } from './sweep-log.js'

/** Everything `serve` and the bench driver can set. One object: child processes and worker
 * threads receive it as JSON and rebuild the same server. */
export interface ServeOptions {
  model: string
  port: number
  host: string
  /** Document root for static files. */
  root: string
  /** `memory` or `mysql://user:pass@host:port/db`. */
  db: string
  /** `module:export` of a gateway app; empty means the built-in stock app. */
  app: string
  /** Worker processes or threads (prefork, threads). */
  workers: number
  /** Cap on live child processes (fork). */
  maxProcs: number
  /** 408 if a request head has not fully arrived this long after its first byte
   * (Node's server.headersTimeout is 60 s; nginx's client_header_timeout 60 s). */
  headersTimeoutMs: number
  /** Close a keep-alive connection idle this long between requests (Node's keepAliveTimeout: 5 s). */
  keepAliveTimeoutMs: number
  /** Serve the process tree's CPU and RSS on this port (serve.ts, servers/stats-endpoint.ts); the
   * models ignore it. Absent: no stats endpoint. */
  statsPort?: number
  /** Parser limits; unset ones take the parser's defaults. */
  limits: Partial<ParserOptions>
}

export interface RunningServer {
  /** The address actually bound (port 0 resolved). */
  readonly host: string
  readonly port: number
  /** Stop accepting, finish in-flight requests, release children/threads/pools, then resolve. */
  close(): Promise<void>
  /** A polling model's own timing of its passes over the clients (nonblocking), for the stats endpoint. */
  sweepStats?(): SweepStats
}

export interface Model {
  /** CLI value (`--model=`). */
  readonly name: string
  /** One line for `--help` and the README table. */
  readonly summary: string
  /** Whether a connection may carry more than one request. */
  readonly keepAlive: boolean
  start(options: ServeOptions): Promise<RunningServer>
}
