// `npm run bench`'s measuring part: expand the matrix, run every cell in its own server process,
// and return every raw result (cli/bench.ts saves them). It prints nothing: like autocannon's run.js it emits
// events ('run-start', 'cell-start', 'cell-done', 'run-done') that the progress bar and the
// reporters listen to (cli/bench.ts wires them), so the runner is tested without a terminal.

import { EventEmitter } from 'node:events'
import type { BenchConfig } from './bench-config.js'
import { connectionsFor } from './bench-config.js'
import { type Cell, describeCell, expandMatrix, REFERENCE_MODEL } from './matrix.js'
import { type CellOptions, type CellResult, runCell } from './run-cell.js'
import { type RunResults, RESULTS_SCHEMA } from './run-results.js'
import type { DriverName } from '../clients/load-client.js'
import { gitInfo, machineInfo } from '../host/machine.js'

/** Per-cell overhead besides warm-up and measurement: server start, verification, load workers, stop (matrix.ts). */
export const CELL_OVERHEAD_SEC = 1.4

export interface BenchEventMap {
  /** Before the first cell: how many cells, and a per-cell time guess for progress estimates. */
  'run-start': [plan: { cells: Cell[]; secondsPerCellGuess: number; notes: string[]; summary: string }]
  'cell-start': [cell: Cell, index: number, total: number]
  'cell-done': [result: CellResult, index: number, total: number]
  'run-done': [results: RunResults]
}

export class BenchEvents extends EventEmitter<BenchEventMap> {}

export interface RunSeams {
  /** Test seams: another serve entry, document root or server environment. */
  serveEntry?: string
  root?: string
  serverEnv?: NodeJS.ProcessEnv
  /** Checked between cells: true stops the run after the current cell (SIGINT). */
  stopRequested?: () => boolean
  /** Another load client than the flags chose: the test double, to test the driver without load. */
  driver?: DriverName
}

export interface RunOutcome {
  results: RunResults
  /** 0 when every cell passed, 1 when any failed or the run was interrupted. */
  exitCode: number
}

/** The line that says what a run will do, e.g. "74 cells: 8 models × 5 scenarios × …". */
export function describePlan(config: BenchConfig, cells: readonly Cell[]): string {
  const levels = [...new Set(cells.map((c) => c.connections))].sort((a, b) => a - b).join(',')
  return `${cells.length} cells: ${config.models.length} models × ${config.scenarios.length} scenarios × ${config.modes.join('+')} × c=${levels} × ${config.repeat} repeat(s), ${config.warmupSec}+${config.durationSec} s each`
}

export async function runBench(config: BenchConfig, events: BenchEvents, seams: RunSeams = {}): Promise<RunOutcome> {
  const cells = expandMatrix({
    models: config.models,
    scenarios: config.scenarios,
    modes: config.modes,
    connectionsFor: (model, scenario) => connectionsFor(config, model, scenario),
    repeat: config.repeat,
  })
  const cellOptions: CellOptions = {
    durationSec: config.durationSec,
    warmupSec: config.warmupSec,
    db: config.db,
    driver: seams.driver ?? config.driver,
    timeoutMs: config.timeoutMs,
    referenceModel: config.reference ?? REFERENCE_MODEL,
    ...(config.workers !== undefined ? { workers: config.workers } : {}),
    ...(seams.serveEntry !== undefined ? { serveEntry: seams.serveEntry } : {}),
    ...(seams.root !== undefined ? { root: seams.root } : {}),
    ...(seams.serverEnv !== undefined ? { serverEnv: seams.serverEnv } : {}),
  }
  const { out: _out, json: _json, notes, ...recorded } = config
  const results: RunResults = {
    schema: RESULTS_SCHEMA,
    startedAt: new Date().toISOString(),
    finishedAt: '',
    machine: machineInfo(),
    node: process.version,
    git: gitInfo(),
    config: recorded,
    notes: [...notes],
    cells: [],
  }

  events.emit('run-start', { cells, secondsPerCellGuess: config.warmupSec + config.durationSec + CELL_OVERHEAD_SEC, notes: [...notes], summary: describePlan(config, cells) })
  for (const [i, cell] of cells.entries()) {
    if (seams.stopRequested?.() === true) {
      results.notes.push(`interrupted: ${cells.length - i} of ${cells.length} cells did not run`)
      break
    }
    events.emit('cell-start', cell, i + 1, cells.length)
    let result: CellResult
    try {
      result = await runCell(cell, cellOptions)
    } catch (error) {
      // runCell reports failures in its result; reaching here is a driver bug, still recorded
      result = { cell, ok: false, failure: `driver error in ${describeCell(cell)}: ${(error as Error).message}`, startedAt: new Date().toISOString(), wallSec: 0 }
    }
    results.cells.push(result)
    events.emit('cell-done', result, i + 1, cells.length)
  }
  results.finishedAt = new Date().toISOString()

  events.emit('run-done', results)
  const failed = results.cells.some((c) => !c.ok)
  const interrupted = results.cells.length < cells.length
  return { results, exitCode: failed || interrupted ? 1 : 0 }
}
