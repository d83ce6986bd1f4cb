// One closed-loop cell of the matrix, start to finish, in its own server process (Node's
// benchmark/common.js forks one child per configuration): open the server (cell-server.ts: start,
// verify, reset), warm up (not recorded), measure with the server's CPU and memory metered around
// the load only, audit writes, close the server. Anything wrong makes the cell failed, with the
// reason and the counts kept; a failed cell never becomes a number.

import { type CellServer, type CellServerOptions, closeCellServer, openCellServer } from './cell-server.js'
import { needsFairnessProbe, probeFairness, probeNote } from './fairness-probe.js'
import { type Cell, describeCell } from './matrix.js'
import type { Verification } from './verify.js'
import { auditWrites, resetWrites, type WriteAudit } from './write-audit.js'
import type { DriverName } from '../clients/load-client.js'
import { runLoad } from '../clients/load-session.js'
import { chooseClient } from '../clients/registry.js'
import type { ConnectionMode, LoadResult, LoadSpec, ServerUsage } from '../types.js'

export type { Cell } from './matrix.js'
export type { ConnectionMode } from '../types.js'

export interface CellOptions extends CellServerOptions {
  durationSec: number
  warmupSec: number
}

export interface CellResult {
  cell: Cell
  ok: boolean
  /** One line: why the cell failed (the first reason; counts included). */
  failure?: string
  load?: LoadResult
  /** Per-connection accounting by a short load with a counting client right after `load`, when
   * `load`'s client cannot count per connection (wrk): driver/fairness-probe.ts. */
  fairnessProbe?: LoadResult
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

  const opened = await openCellServer(cell, options)
  if (!opened.ok) {
    if (opened.verification !== undefined) result.verification = opened.verification
    if (opened.exit !== undefined) result.exit = opened.exit
    return finish(opened.failure)
  }
  const server = opened.cell
  result.verification = server.verification
  if (server.notes.length > 0) result.notes = [...server.notes]
  try {
    return finish(await measureClosedLoop(server, cell.connections, options, result) ?? undefined)
  } catch (error) {
    return finish(`${describeCell(cell)}: ${(error as Error).message}`)
  } finally {
    const closed = await closeCellServer(server)
    if (closed.exit !== undefined) result.exit = closed.exit
    finish(closed.failure)
  }
}

/** Runs one load: a fresh worker process (runLoad) or a kept one (LoadSession.run). */
export type LoadRunner = (spec: LoadSpec, driver: DriverName) => Promise<LoadResult>

/** Warm up, measure and audit one open server; fills `result` and returns why it failed, or null.
 * `probe: false` skips the fairness probe (interleaved rounds probe a cell once, in its last round). */
export async function measureClosedLoop(
  server: CellServer, connections: number, options: Pick<CellOptions, 'warmupSec' | 'durationSec'> & { probe?: boolean }, result: Pick<CellResult, 'load' | 'server' | 'writeAudit' | 'fairnessProbe' | 'notes'>,
  load: LoadRunner = runLoad,
): Promise<string | null> {
  const s = server.scenario
  const origin = server.server.origin
  if (options.warmupSec > 0) {
    await load(server.spec(connections, options.warmupSec), server.driver)
    // the warm-up may stop between a follow and its unfollow
    if (s.auditsWrites) {
      const settled = await settle(() => resetWrites(origin, server.db, server.writeCode), server.rowsBefore)
      if (settled !== server.rowsBefore) return `write audit failed: after the warm-up and a reset focus has ${settled} rows, expected ${server.rowsBefore}`
    }
  }
  const meter = server.server.measure()
  let measured: LoadResult
  try {
    measured = await load(server.spec(connections, options.durationSec), server.driver)
  } finally {
    const usage = await meter.stop()
    if (usage !== undefined) result.server = usage
  }
  result.load = measured
  const bad = loadFailure(measured)
  if (bad !== null) {
    // every write of the cycle must change a row; the app answers 409 when one did not
    const hint = s.auditsWrites && measured.non2xx > 0 ? ' — every follow/unfollow of the cycle should answer 200; 409s mean the load did not alternate them (does the load client follow LoadSpec.requests?)' : ''
    return `${bad}${hint}`
  }
  if (s.auditsWrites) {
    result.writeAudit = await auditWrites(origin, server.db, server.rowsBefore, server.writeCode)
    if (!result.writeAudit.ok) return result.writeAudit.failure ?? 'write audit failed'
  }
  if (options.probe !== false && needsFairnessProbe(measured)) {
    result.fairnessProbe = await probeFairness(server, connections, options.durationSec, load)
    const note = probeNote(measured, result.fairnessProbe)
    if (note !== null) result.notes = [...(result.notes ?? []), note]
    // the probe's writes may stop between a follow and its unfollow; a round after it (run-rounds.ts
    // adds one when a round was disturbed) must start from "not followed", or its first follow is a 409
    if (s.auditsWrites) {
      const settled = await settle(() => resetWrites(origin, server.db, server.writeCode), server.rowsBefore)
      if (settled !== server.rowsBefore) return `write audit failed: after the fairness probe and a reset focus has ${settled} rows, expected ${server.rowsBefore}`
    }
  }
  return null
}

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
