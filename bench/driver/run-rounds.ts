// One group of the matrix (scenario × mode × connections, every model that runs it) measured in
// interleaved rounds: each model's server is opened once and kept, then every round visits every
// model once, in an order that rotates from round to round, for one slice of the cell's measured
// time. The same minute of a shared machine thus falls on every model alike, and ratios can be
// taken round by round (report/summarize.ts, stats/paired-rounds.ts) — what the CI gate has done
// since 2026-12-01, now in every run. Node's benchmark/compare.js alternates binaries for the
// same reason. Each (model, round) is one CellResult whose `repeat` is the round number.

import { type CellServer, type CellServerOptions, closeCellServer, openCellServer } from './cell-server.js'
import { type Cell, type Group, roundOrder, roundsOf } from './matrix.js'
import { type CellResult, type LoadRunner, measureClosedLoop } from './run-cell.js'
import { needsExtraRound } from '../stats/paired-rounds.js'

/** options.referenceModel (CellServerOptions) is also the model every ratio divides by: when it is in
 * the group and some of its rounds were disturbed (stats/noise-rules.ts), the group gets extra rounds
 * until it has `rounds` quiet ones or `rounds` − 1 extra ones ran, as the CI gate measures again
 * while it has too few quiet rounds. */
export interface RoundOptions extends CellServerOptions {
  rounds: number
  /** Measured seconds per model per round. */
  sliceSec: number
  /** Unrecorded warm-up before a model's first slice. */
  warmupSec: number
}

export interface RoundHooks {
  /** Runs every load of the group (a LoadSession keeps one worker process for all of them). */
  load: LoadRunner
  cellStarted?: (cell: Cell) => void
  cellDone?: (result: CellResult) => void
  /** Checked before each round: true stops after the current one. */
  stopRequested?: () => boolean
  /** An extra round of `cells` cells was added because rounds were disturbed. */
  roundAdded?: (cells: number) => void
}

export async function runGroupRounds(group: Group, options: RoundOptions, hooks: RoundHooks): Promise<CellResult[]> {
  const results: CellResult[] = []
  const cellOf = (model: string, round: number): Cell => ({ model, scenario: group.scenario, mode: group.mode, connections: group.connections, repeat: round })
  const servers = new Map<string, CellServer>()
  const lastResult = new Map<string, CellResult>()
  const report = (result: CellResult): void => {
    results.push(result)
    lastResult.set(result.cell.model, result)
    hooks.cellDone?.(result)
  }
  try {
    for (const model of group.models) {
      const opened = await openCellServer({ model, scenario: group.scenario, mode: group.mode }, options)
      if (opened.ok) {
        servers.set(model, opened.cell)
        continue
      }
      // a server that could not be opened fails every round of its cell, loudly and at once
      for (let round = 1; round <= roundsOf(group, options.rounds); round++) {
        hooks.cellStarted?.(cellOf(model, round))
        report({
          cell: cellOf(model, round), ok: false, failure: opened.failure, startedAt: new Date().toISOString(), wallSec: 0,
          ...(opened.verification !== undefined ? { verification: opened.verification } : {}),
          ...(opened.exit !== undefined && round === 1 ? { exit: opened.exit } : {}),
        })
      }
    }
    const live = group.models.filter((m) => servers.has(m))
    const rounds = roundsOf(group, options.rounds)
    const sliceSec = (options.sliceSec * options.rounds) / rounds
    // an extra round follows while the reference has fewer quiet rounds than planned (at most rounds − 1 of them)
    let last = rounds
    for (let round = 1; round <= last; round++) {
      if (round > 1 && hooks.stopRequested?.() === true) break
      for (const model of roundOrder(live, round)) {
        const server = servers.get(model)!
        const cell = cellOf(model, round)
        hooks.cellStarted?.(cell)
        // the fairness probe (wrk cannot count per connection) runs once per cell, after its last planned round
        report(await measureSlice(server, cell, { warmupSec: round === 1 ? options.warmupSec : 0, durationSec: sliceSec, probe: round === rounds }, hooks.load))
      }
      if (round === last && needsExtraRound(referenceCosts(results, options.referenceModel), rounds)) {
        last++
        hooks.roundAdded?.(live.length)
      }
    }
  } finally {
    for (const [model, server] of servers) {
      const closed = await closeCellServer(server)
      const last = lastResult.get(model)
      if (last === undefined) continue
      if (closed.exit !== undefined) last.exit = closed.exit
      if (closed.failure !== undefined && last.failure === undefined) {
        // a clean stop is part of the cell (contract 3): its last round carries the failure, and
        // a cell with any failed round is failed as a whole
        last.failure = closed.failure
        last.ok = false
      }
    }
  }
  return results
}

/** Below this many CPU-seconds in a round, /proc's 10 ms ticks are too coarse to call a round
 * disturbed (an idle test server, a smoke run): such rounds never ask for more. */
const MIN_JUDGED_CPU_SEC = 0.1

/** The reference's server CPU µs per request in each of its measured rounds so far (none when it is
 * not in the group, or when a round's CPU is too small to judge). */
function referenceCosts(results: readonly CellResult[], reference: string | undefined): number[] {
  const rounds = results.filter((r) => r.ok && r.cell.model === reference && r.server !== undefined && r.load !== undefined && r.load.requests > 0)
  if (rounds.some((r) => r.server!.cpuSec < MIN_JUDGED_CPU_SEC)) return []
  return rounds.map((r) => (r.server!.cpuSec * 1e6) / r.load!.requests)
}

async function measureSlice(server: CellServer, cell: Cell, options: { warmupSec: number; durationSec: number; probe: boolean }, load: LoadRunner): Promise<CellResult> {
  const started = Date.now()
  const result: CellResult = { cell, ok: false, startedAt: new Date(started).toISOString(), wallSec: 0, verification: server.verification }
  if (server.notes.length > 0) result.notes = [...server.notes]
  try {
    const failure = await measureClosedLoop(server, cell.connections, options, result, load)
    if (failure !== null) result.failure = failure
  } catch (error) {
    result.failure = `${cell.model} ${cell.scenario} ${cell.mode} c=${cell.connections} round ${cell.repeat}: ${(error as Error).message}`
  }
  result.ok = result.failure === undefined
  result.wallSec = (Date.now() - started) / 1000
  return result
}
