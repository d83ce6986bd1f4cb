// A server under test, ready for load: started the way the serve CLI is (its own process), its
// scenario verified (status, required headers, body hash), the write scenario's table reset, the
// load client chosen for the mode. Every way of measuring it — a closed-loop cell, interleaved
// rounds, an open-loop rate, a crowd of idle connections — starts from openCellServer and ends with
// closeCellServer, which insists on a clean exit (SIGTERM must finish in-flight work and exit 0).

import { expectedBody } from './expected-body.js'
import { cellSkipReason, isScenarioName, scenario as scenarioNamed, skipReason, storeFor, type Scenario } from './scenarios.js'
import { serveArgs } from './serve-args.js'
import { type ServerUnderTest, startServerProcess } from './server-process.js'
import { identifyTarget, readStats, type Target, targetServer } from './target-server.js'
import { type Foreign, type Verification, verifyScenario } from './verify.js'
import { resetWrites } from './write-audit.js'
import { chooseClient } from '../clients/registry.js'
import type { DriverChoice, DriverName } from '../clients/load-client.js'
import { defaultDocRoot, defaultServeEntry } from '../host/paths.js'
import type { ConnectionMode, LoadSpec } from '../types.js'

export interface CellServerOptions {
  /** `memory` or a mysql URL: the store for `db` and `write` (hello, static and template always use memory). */
  db: string
  /** The load client asked for (clients/registry.ts picks the one that can drive the mode). */
  driver: DriverChoice
  workers?: number
  serveEntry?: string
  serverEnv?: NodeJS.ProcessEnv
  /** Document root (default fixtures/www). */
  root?: string
  /** Model whose answers are the reference for rendered pages (default node-http). */
  referenceModel?: string
  /** A request unanswered this long counts as a timeout (default 10 s, autocannon's). */
  timeoutMs?: number
  /** Bind the server to this CPU (host/cpu-pinning.ts). */
  serverCpu?: number
  /** Serve flags beyond the usual ones (a crowd cell's longer keep-alive, say). */
  extraServeArgs?: string[]
  /** A gateway app (module:export) every server runs instead of the stock app; the reference model
   * running the same app then supplies every expected body. */
  app?: string
  /** Servers the bench did not start (`--target`); a cell whose model is one of their names measures it. */
  targets?: readonly Target[]
}

export interface CellServer {
  model: string
  scenario: Scenario
  mode: ConnectionMode
  /** The store this cell's server uses. */
  db: string
  server: ServerUnderTest
  verification: Verification
  /** The client that measures this server (a server that closes every connection gets the close-client). */
  driver: DriverName
  /** Things a reader of this server's numbers should know. */
  notes: string[]
  /** The write scenario: focus rows before any load, and the stock the load follows. */
  rowsBefore: number
  writeCode: string
  /** The load against this server at `connections` for `durationSec`. */
  spec(connections: number, durationSec: number): LoadSpec
}

export type OpenedServer = { ok: true; cell: CellServer } | { ok: false; failure: string; verification?: Verification; exit?: ServerExitInfo }

export interface ServerExitInfo { code: number | null; signal: string | null; stderrTail?: string }

/** Why a model × scenario is not measured with this store, or null. */
export function cellSkip(model: string, scenario: string, db: string): string | null {
  if (!isScenarioName(scenario)) return `unknown scenario ${scenario}`
  return skipReason(scenario, db) ?? cellSkipReason(model, scenario, db)
}

export async function openCellServer(target: { model: string; scenario: string; mode: ConnectionMode }, options: CellServerOptions): Promise<OpenedServer> {
  const skip = cellSkip(target.model, target.scenario, options.db)
  if (skip !== null) return { ok: false, failure: skip }
  const s = scenarioNamed(target.scenario as Parameters<typeof scenarioNamed>[0])
  const db = storeFor(s, options.db)
  const root = options.root ?? defaultDocRoot()
  const serveEntry = options.serveEntry ?? defaultServeEntry()

  const known = options.targets?.find((t) => t.name === target.model)
  let foreign: Foreign | undefined
  if (known !== undefined) {
    const checked = await checkTarget(known, s)
    if (typeof checked === 'string') return { ok: false, failure: checked }
    foreign = checked
  }

  let expected
  try {
    expected = foreign !== undefined && s.body.kind === 'reference'
      ? { sha256: null, bytes: null, source: `not checked: the page is the stock app's and ${target.model} is not an httpmodels server` }
      : await expectedBody(s, { root, db, serveEntry, serverEnv: options.serverEnv, referenceModel: options.referenceModel ?? 'node-http', ...(options.app !== undefined ? { app: options.app } : {}) })
  } catch (error) {
    return { ok: false, failure: `no expected body for ${s.name}: ${(error as Error).message}` }
  }
  let server: ServerUnderTest
  try {
    server = known !== undefined
      ? targetServer(known)
      : await startServerProcess({ entry: serveEntry, args: [...serveArgs(target.model, db, root, options.workers, options.app), ...(options.extraServeArgs ?? [])], env: options.serverEnv, cpu: options.serverCpu })
  } catch (error) {
    return { ok: false, failure: `server did not start: ${(error as Error).message}` }
  }
  try {
    const writeCode = s.auditsWrites ? writeCodeOf(s.requests[0]!.path) : ''
    // a database keeps state between runs: start the write scenario from "not followed"
    if (s.auditsWrites) await resetWrites(server.origin, db, writeCode)
    const verification = await verifyScenario(server.origin, s, expected, target.mode, foreign)
    if (!verification.ok) {
      const stopped = await closeServer(server)
      return { ok: false, failure: verification.failure ?? 'verification failed', verification, exit: stopped.exit }
    }
    const rowsBefore = s.auditsWrites ? await resetWrites(server.origin, db, writeCode) : 0
    let mode = target.mode
    let driver = chooseClient({ mode }, options.driver).name
    const notes: string[] = []
    if (verification.serverCloses === true && (driver === 'autocannon' || (options.driver === 'auto' && driver === 'wrk'))) {
      // autocannon drops or mis-times responses on connections the server closes (bench-anchors.md
      // §0); under auto, close-per-request is the close-client's job whatever the keep-alive client
      const why = driver === 'autocannon' ? 'autocannon mis-times server-closed connections' : '--driver=auto measures close-per-request with the close-client'
      driver = 'close-client'
      mode = 'close'
      notes.push(`the server closes every connection, so this keep-alive cell was measured with the close-client (${why})`)
    }
    const timeoutMs = options.timeoutMs ?? 10_000
    const spec = (connections: number, durationSec: number): LoadSpec => loadSpec(server.origin, s, connections, durationSec, mode, timeoutMs)
    return { ok: true, cell: { model: target.model, scenario: s, mode: target.mode, db, server, verification, driver, notes, rowsBefore, writeCode, spec } }
  } catch (error) {
    const stopped = await closeServer(server)
    return { ok: false, failure: `${target.model} ${target.scenario}: ${(error as Error).message}`, exit: stopped.exit }
  }
}

/** Stop the server; a clean stop is part of the measurement (contract 3). `failure` says why it was not clean. */
export async function closeCellServer(cell: CellServer): Promise<{ exit?: ServerExitInfo; failure?: string }> {
  return closeServer(cell.server)
}

/**
 * Whether a target can be measured on this scenario: it answers, its stats endpoint (if named)
 * answers, and a scenario that needs the stock app's audit runs only on one of ours. Returns why
 * not, or undefined for one of ours, or what a foreign one is.
 */
async function checkTarget(target: Target, s: Scenario): Promise<string | Foreign | undefined> {
  let identity
  try {
    identity = await identifyTarget(target)
  } catch (error) {
    return (error as Error).message
  }
  try {
    if (target.stats !== undefined) await readStats(target.stats)
  } catch (error) {
    return `target ${target.name}'s stats endpoint ${target.stats} did not answer: ${(error as Error).message}`
  }
  if (identity.ours) return undefined
  if (s.auditsWrites) return `${s.name} needs the stock app's write audit, and target ${target.name} is not an httpmodels server (Server: ${identity.server})`
  return { server: identity.server }
}

async function closeServer(server: ServerUnderTest): Promise<{ exit?: ServerExitInfo; failure?: string }> {
  try {
    const exit = await server.stop()
    const stderrTail = exit.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 300)
    const info: ServerExitInfo = { code: exit.code, signal: exit.signal, ...(stderrTail !== '' ? { stderrTail } : {}) }
    if (exit.code === 0) return { exit: info }
    const how = exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`
    return { exit: info, failure: `server ${how} when stopped${stderrTail !== '' ? `: ${stderrTail}` : ''}` }
  } catch (error) {
    return { failure: `server did not stop: ${(error as Error).message}` }
  }
}

function loadSpec(origin: string, s: Scenario, connections: number, durationSec: number, mode: ConnectionMode, timeoutMs: number): LoadSpec {
  const first = s.requests[0]!
  return {
    origin,
    method: first.method,
    path: first.path,
    headers: { ...first.headers },
    ...(first.body !== undefined ? { body: first.body } : {}),
    ...(s.requests.length > 1 ? { requests: s.requests } : {}),
    connections,
    pipelining: 1,
    durationSec,
    mode,
    timeoutMs,
  }
}

const writeCodeOf = (path: string): string => /\/add\/([^/]+)\.html$/.exec(path)?.[1] ?? ''
