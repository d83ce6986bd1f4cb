// One cell of the matrix, start to finish, in its own server process (Node's benchmark/common.js
// forks one child per configuration): start the server the way the serve CLI does, verify the
// scenario, warm up (not recorded), measure with the server's CPU and memory metered around the
// load only, audit writes, stop the server and insist on a clean exit. Anything wrong makes the
// cell failed, with the reason and the counts kept; a failed cell never becomes a number.

import { type Cell, describeCell } from './matrix.js'
import { expectedBody } from './expected-body.js'
import { defaultDocRoot, defaultServeEntry } from '../host/paths.js'
import { runLoad, type DriverName } from '../clients/run-load.js'
import { chooseClient } from '../clients/registry.js'
import { cellSkipReason, scenario as scenarioNamed, isScenarioName, skipReason, storeFor } from './scenarios.js'
import { serveArgs } from './serve-args.js'
import { type ServerProcess, startServerProcess } from './server-process.js'
import type { ConnectionMode, LoadResult, LoadSpec, ServerUsage } from '../types.js'
import { type Verification, verifyScenario } from './verify.js'
import { auditWrites, resetWrites, type WriteAudit } from './write-audit.js'

export type { Cell } from './matrix.js'
export type { ConnectionMode } from '../types.js'

export interface CellOptions {
  durationSec: number
  warmupSec: number
  /** `memory` or a mysql URL: the store for `db` and `write` (hello, static and template always use memory). */
  db: string
  workers?: number
  /** The client asked for (clients/registry.ts picks the one that can drive each mode). */
  driver: DriverName
  serveEntry?: string
  serverEnv?: NodeJS.ProcessEnv
  /** Document root (default fixtures/www). */
  root?: string
  /** A request unanswered this long counts as a timeout (default 10 s, autocannon's). */
  timeoutMs?: number
  /** Model whose answers are the reference for rendered pages (default node-http). */
  referenceModel?: string
}

export interface CellResult {
  cell: Cell
  ok: boolean
  /** One line: why the cell failed (the first reason; counts included). */
  failure?: string
  load?: LoadResult
  server?: ServerUsage
  /** ISO time the cell started. */
  startedAt: string
  /** Wall time of the whole cell (start, verify, warm-up, load, audit, stop), seconds. */
  wallSec: number
  verification?: Verification
  writeAudit?: WriteAudit
  /** Things a reader of this cell's numbers should know (e.g. the load client was switched). */
  notes?: string[]
  /** How the server process ended when stopped. */
  exit?: { code: number | null; signal: string | null; stderrTail?: string }
}

/** The client that measures a cell of `mode` when `driver` was asked for (clients/registry.ts's rule). */
export const driverFor = (mode: ConnectionMode, driver: DriverName): DriverName => chooseClient({ mode }, driver).name

/** Why a measured load cannot be quoted, or null. Errors, non-2xx and timeouts are never averaged away. */
export function loadFailure(load: LoadResult): string | null {
  const problems: string[] = []
  if (load.errors > 0) problems.push(`${load.errors} error${load.errors === 1 ? '' : 's'}`)
  if (load.non2xx > 0) problems.push(`${load.non2xx} non-2xx`)
  if (load.timeouts > 0) problems.push(`${load.timeouts} timeout${load.timeouts === 1 ? '' : 's'}`)
  if (problems.length > 0) return `${problems.join(', ')} during measurement (${load.requests} responses)`
  if (load.requests === 0) return `no response within the ${load.durationSec.toFixed(1)} s measured (every request still waiting when the load ended)`
  return null
}

export async function runCell(cell: Cell, options: CellOptions): Promise<CellResult> {
  const started = Date.now()
  const result: CellResult = { cell, ok: false, startedAt: new Date(started).toISOString(), wallSec: 0 }
  const finish = (failure?: string): CellResult => {
    if (failure !== undefined && result.failure === undefined) result.failure = failure
    result.ok = result.failure === undefined
    result.wallSec = (Date.now() - started) / 1000
    return result
  }

  if (!isScenarioName(cell.scenario)) return finish(`unknown scenario ${cell.scenario}`)
  const s = scenarioNamed(cell.scenario)
  const skip = skipReason(s.name, options.db) ?? cellSkipReason(cell.model, s.name, options.db)
  if (skip !== null) return finish(skip)
  const db = storeFor(s, options.db)
  const root = options.root ?? defaultDocRoot()
  const serveEntry = options.serveEntry ?? defaultServeEntry()

  let expected
  try {
    expected = await expectedBody(s, { root, db, serveEntry, serverEnv: options.serverEnv, referenceModel: options.referenceModel ?? 'node-http' })
  } catch (error) {
    return finish(`no expected body for ${s.name}: ${(error as Error).message}`)
  }

  let server: ServerProcess
  try {
    server = await startServerProcess({ entry: serveEntry, args: serveArgs(cell.model, db, root, options.workers), env: options.serverEnv })
  } catch (error) {
    return finish(`server did not start: ${(error as Error).message}`)
  }

  try {
    const loadCode = s.auditsWrites ? writeCodeOf(s.requests[0]!.path) : ''
    // a database keeps state between runs: start the write scenario from "not followed"
    if (s.auditsWrites) await resetWrites(server.origin, db, loadCode)
    result.verification = await verifyScenario(server.origin, s, expected, cell.mode)
    if (!result.verification.ok) return finish(result.verification.failure)
    const rowsBefore = s.auditsWrites ? await resetWrites(server.origin, db, loadCode) : 0

    let spec = loadSpec(server.origin, s.requests, cell, options)
    let driver = driverFor(cell.mode, options.driver)
    if (driver === 'autocannon' && result.verification.serverCloses === true) {
      // autocannon drops or mis-times responses on connections the server closes (bench-anchors.md §0)
      driver = 'close-client'
      spec = { ...spec, mode: 'close' }
      result.notes = ['the server closes every connection, so this keep-alive cell was measured with the close-client (autocannon mis-times server-closed connections)']
    }
    if (options.warmupSec > 0) {
      await runLoad({ ...spec, durationSec: options.warmupSec }, driver)
      // the warm-up may stop between a follow and its unfollow
      if (s.auditsWrites) {
        const settled = await settle(() => resetWrites(server.origin, db, loadCode), rowsBefore)
        if (settled !== rowsBefore) return finish(`write audit failed: after the warm-up and a reset focus has ${settled} rows, expected ${rowsBefore}`)
      }
    }

    const meter = server.measure()
    let load: LoadResult
    try {
      load = await runLoad(spec, driver)
    } finally {
      result.server = meter.stop()
    }
    result.load = load
    const bad = loadFailure(load)
    if (bad !== null) {
      // every write of the cycle must change a row; the app answers 409 when one did not
      const hint = s.auditsWrites && load.non2xx > 0 ? ' — every follow/unfollow of the cycle should answer 200; 409s mean the load did not alternate them (does the load client follow LoadSpec.requests?)' : ''
      return finish(`${bad}${hint}`)
    }

    if (s.auditsWrites) {
      result.writeAudit = await auditWrites(server.origin, db, rowsBefore, loadCode)
      if (!result.writeAudit.ok) return finish(result.writeAudit.failure)
    }
    return finish()
  } catch (error) {
    return finish(`${describeCell(cell)}: ${(error as Error).message}`)
  } finally {
    await stopServer(server, result)
    result.ok = result.failure === undefined
    result.wallSec = (Date.now() - started) / 1000
  }
}

function loadSpec(origin: string, requests: LoadSpec['requests'] & object, cell: Cell, options: CellOptions): LoadSpec {
  const first = requests[0]!
  return {
    origin,
    method: first.method,
    path: first.path,
    headers: { ...first.headers },
    ...(first.body !== undefined ? { body: first.body } : {}),
    ...(requests.length > 1 ? { requests } : {}),
    connections: cell.connections,
    pipelining: 1,
    durationSec: options.durationSec,
    mode: cell.mode,
    timeoutMs: options.timeoutMs ?? 10_000,
  }
}

/** A clean stop is part of the cell: SIGTERM must finish in-flight work and exit 0 (contract 3). */
async function stopServer(server: ServerProcess, result: CellResult): Promise<void> {
  try {
    const exit = await server.stop()
    const stderrTail = exit.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 300)
    result.exit = { code: exit.code, signal: exit.signal, ...(stderrTail !== '' ? { stderrTail } : {}) }
    if (exit.code !== 0 && result.failure === undefined) {
      const how = exit.signal !== null ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`
      result.failure = `server ${how} when stopped${stderrTail !== '' ? `: ${stderrTail}` : ''}`
    }
  } catch (error) {
    if (result.failure === undefined) result.failure = `server did not stop: ${(error as Error).message}`
  }
}

const writeCodeOf = (path: string): string => /\/add\/([^/]+)\.html$/.exec(path)?.[1] ?? ''

/** A write still in flight when the warm-up client stopped may land a moment later (a database
 * query takes its time): retry the reset a few times before calling the count wrong. */
async function settle(reset: () => Promise<number>, expected: number): Promise<number> {
  let rows = await reset()
  for (let attempt = 0; attempt < 3 && rows !== expected; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    rows = await reset()
  }
  return rows
}
