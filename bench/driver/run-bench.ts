// `npm run bench`'s measuring part: expand the matrix into groups (scenario × mode × connections),
// measure each group in interleaved rounds (run-rounds.ts: a server per model kept across the
// rounds, the model order rotating) with one load-worker process for the whole run, and return
// every raw result (cli/bench.ts saves them). It prints nothing: like autocannon's run.js it emits
// events ('run-start', 'cell-start', 'cell-done', 'run-done') that the progress bar and the
// reporters listen to (cli/bench.ts wires them), so the runner is tested without a terminal.

import { EventEmitter } from 'node:events'
import type { BenchConfig } from './bench-config.js'
import { connectionsFor } from './bench-config.js'
import { type Cell, expandGroups, expandMatrix, REFERENCE_MODEL } from './matrix.js'
import type { CellResult } from './run-cell.js'
import { type RoundOptions, runGroupRounds } from './run-rounds.js'
import { type RunResults, RESULTS_SCHEMA } from './run-results.js'
import type { CrowdCell, CrowdCellResult } from './crowd-results.js'
import { type CrowdPlan, runCrowds } from './run-crowds.js'
import type { OpenLoopRunner } from './open-loop-point.js'
import type { OpenLoopCeilingRecord, OpenLoopPoint } from './open-loop-results.js'
import { type OpenLoopPlan, runOpenLoopPhase } from './run-open-loop-phase.js'
import { awaitQuietMachine } from './quiet-machine.js'
import { measureOpenLoopCeiling } from './open-loop-ceiling.js'
import { ceilingRecord } from './open-loop-ceiling-record.js'
import type { DriverName } from '../clients/load-client.js'
import { LoadSession } from '../clients/load-session.js'
import { driversFor } from '../clients/registry.js'
import { ceilingPlan, type DriverCeiling, measureCeilings } from './driver-ceiling.js'
import { gitInfo, machineInfo } from '../host/machine.js'
import { isModelName } from '../../servers/models/names.js'

/** Per-server overhead besides warm-up and measurement: start, verification, stop (matrix.ts). */
export const CELL_OVERHEAD_SEC = 0.5

export interface BenchEventMap {
  /** Before the first cell: how many cells, and a per-cell time guess for progress estimates. */
  'run-start': [plan: { cells: Cell[]; secondsPerCellGuess: number; notes: string[]; summary: string }]
  /** Before the first cell, when driver ceilings are measured: which, and for how long each. */
  'ceilings-start': [plan: ReturnType<typeof ceilingPlan>, durationSec: number]
  'ceilings-done': [ceilings: DriverCeiling[]]
  'cell-start': [cell: Cell, index: number, total: number]
  'cell-done': [result: CellResult, index: number, total: number]
  'run-done': [results: RunResults]
  /** The many-connections phase (run-crowds.ts), after the closed-loop cells. */
  'crowd-start': [plan: CrowdPlan]
  'crowd-cell-start': [cell: CrowdCell, index: number, total: number]
  'crowd-cell-done': [result: CrowdCellResult, index: number, total: number]
  /** The open-loop phase (run-open-loop-phase.ts), after the closed-loop cells. */
  'open-loop-start': [plan: OpenLoopPlan]
  'open-loop-point-done': [point: OpenLoopPoint, index: number, planned: number]
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
  /** Another open-loop client than the real one (clients/open-loop-client.ts, in the kept load
   * worker): the test double (clients/open-loop-test-double.ts). */
  openLoop?: OpenLoopRunner
  /** Measures the open-loop client's own ceiling before the phase (driver/open-loop-ceiling.ts). */
  openLoopCeiling?: () => Promise<OpenLoopCeilingRecord>
}


export interface RunOutcome {
  results: RunResults
  /** 0 when every cell passed, 1 when any failed or the run was interrupted. */
  exitCode: number
}

/** The line that says what a run will do, e.g. "74 cells: 8 models × 5 scenarios × …". */
export function describePlan(config: BenchConfig, cells: readonly Cell[]): string {
  if (config.openLoop?.kind === 'list') return 'no closed-loop cells: --rate switches the cells to open loop'
  const levels = [...new Set(cells.map((c) => c.connections))].sort((a, b) => a - b).join(',')
  const targets = config.targets === undefined ? '' : ` + ${config.targets.length} target${config.targets.length === 1 ? '' : 's'}`
  return `${cells.length} cells: ${config.models.length} models${targets} × ${config.scenarios.length} scenarios × ${config.modes.join('+')} × c=${levels} × ${config.repeat} interleaved round(s); per cell ${config.warmupSec} s warm-up + ${config.durationSec} s measured (${config.repeat} × ${+sliceSeconds(config).toFixed(2)} s)`
}

/** Measured seconds per model per round: the cell's measured time split over its rounds. */
export const sliceSeconds = (config: Pick<BenchConfig, 'durationSec' | 'repeat'>): number => config.durationSec / config.repeat

export async function runBench(config: BenchConfig, events: BenchEvents, seams: RunSeams = {}): Promise<RunOutcome> {
  const matrix = {
    // targets after the models: measured the same way, one column of the tables each
    models: [...config.models, ...(config.targets ?? []).map((t) => t.name)],
    scenarios: config.scenarios,
    modes: config.modes,
    connectionsFor: (model: string, scenario: string) => connectionsFor(config, model, scenario),
    repeat: config.repeat,
  }
  // --rate=LIST switches the cells to open loop; auto and the default curve need the closed-loop capacity first
  const closedLoop = config.openLoop?.kind !== 'list'
  const groups = closedLoop ? expandGroups(matrix) : []
  const cells = closedLoop ? expandMatrix(matrix) : []
  const options: RoundOptions = {
    rounds: config.repeat,
    sliceSec: sliceSeconds(config),
    warmupSec: config.warmupSec,
    db: config.db,
    driver: seams.driver ?? config.driver,
    timeoutMs: config.timeoutMs,
    // the model whose answers are the truth for rendered pages: a target cannot be (it may not be ours)
    referenceModel: config.reference !== null && isModelName(config.reference) ? config.reference : REFERENCE_MODEL,
    ...(config.targets !== undefined ? { targets: config.targets } : {}),
    ...(config.workers !== undefined ? { workers: config.workers } : {}),
    ...(config.app !== undefined ? { app: config.app } : {}),
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
    drivers: driversFor(options.driver),
    cells: [],
  }

  events.emit('run-start', { cells, secondsPerCellGuess: secondsPerCellGuess(config), notes: [...notes], summary: describePlan(config, cells) })
  const session = new LoadSession()
  let index = 0
  // grows when a group measures an extra round because some were disturbed (run-rounds.ts)
  let total = cells.length
  try {
    const ceilingSec = config.ceilingSec ?? 0
    if (ceilingSec > 0 && cells.length > 0) {
      const plan = ceilingPlan(cells, options.driver)
      events.emit('ceilings-start', plan, ceilingSec)
      results.ceilings = await measureCeilings(plan, { durationSec: ceilingSec, timeoutMs: config.timeoutMs, ...(seams.root !== undefined ? { root: seams.root } : {}) }, (spec, driver) => session.run(spec, driver))
      events.emit('ceilings-done', results.ceilings)
    }
    for (const group of groups) {
      if (seams.stopRequested?.() === true) break
      const measured = await runGroupRounds(group, options, {
        load: (spec, driver) => session.run(spec, driver),
        cellStarted: (cell) => events.emit('cell-start', cell, ++index, total),
        cellDone: (result) => events.emit('cell-done', result, index, total),
        roundAdded: (added) => {
          total += added
        },
        stopRequested: seams.stopRequested,
      })
      results.cells.push(...measured)
    }
  } finally {
    session.close()
  }
  if (results.cells.length < total) results.notes.push(`interrupted: ${total - results.cells.length} of ${total} cells did not run`)
  let openLoopFailed = false
  if (config.openLoop !== undefined && results.cells.length === total) {
    // the client keeps its schedule in a load worker of its own, away from the driver's event loop
    const openSession = new LoadSession()
    let phase
    try {
      // the client's own ceiling against the null server, unless ceilings are off (--ceiling=0)
      const measureCeiling = seams.openLoopCeiling ?? ((config.ceilingSec ?? 0) > 0
        ? async () => ceilingRecord(await measureOpenLoopCeiling({ mode: 'keepalive', arrivals: config.openLoop!.arrivals, maxConnections: config.openLoop!.maxConnections, ...(seams.root !== undefined ? { root: seams.root } : {}) }))
        : undefined)
      const ceiling = measureCeiling === undefined ? undefined : await measureCeiling()
      phase = await runOpenLoopPhase(config.openLoop, matrix.models, {
        ...options, run: seams.openLoop ?? ((spec) => openSession.runOpenLoop(spec)), closedLoop: results.cells, ...(ceiling !== undefined ? { ceiling } : {}),
        // the machine is waited for only under a real client: tests drive a stand-in on a busy machine
        ...(seams.openLoop === undefined && seams.driver !== 'test-double' ? { awaitQuiet: () => awaitQuietMachine() } : {}),
      }, {
        start: (plan) => events.emit('open-loop-start', plan),
        pointDone: (point, i, n) => events.emit('open-loop-point-done', point, i, n),
        ...(seams.stopRequested !== undefined ? { stopRequested: seams.stopRequested } : {}),
      })
    } finally {
      openSession.close()
    }
    results.openLoop = phase.section
    if (phase.interrupted) results.notes.push('interrupted: the open-loop phase stopped early')
    openLoopFailed = phase.interrupted || phase.section.points.some((p) => !p.ok) || phase.section.series.some((s) => s.failure !== undefined && config.openLoop!.kind === 'list')
  }
  let crowdsFailed = false
  if (config.crowd !== undefined && results.cells.length === total) {
    // Each crowd cell runs once: a burst cannot be cut into interleaved slices as --repeat's rounds
    // are, and three whole crowd cells per model would triple the section's ~75 s.
    const crowds = await runCrowds(config.crowd, config.models, { ...options, durationSec: config.durationSec, repeat: 1 }, {
      start: (plan) => events.emit('crowd-start', plan),
      cellStart: (cell, i, n) => events.emit('crowd-cell-start', cell, i, n),
      cellDone: (result, i, n) => events.emit('crowd-cell-done', result, i, n),
      ...(seams.stopRequested !== undefined ? { stopRequested: seams.stopRequested } : {}),
    })
    results.crowds = crowds.results
    if (crowds.interrupted > 0) results.notes.push(`interrupted: ${crowds.interrupted} crowd cells did not run`)
    crowdsFailed = crowds.interrupted > 0 || crowds.results.some((c) => !c.ok && c.skipped === undefined)
  }
  results.finishedAt = new Date().toISOString()
  events.emit('run-done', results)
  const failed = results.cells.some((c) => !c.ok)
  const interrupted = results.cells.length < total
  return { results, exitCode: failed || interrupted || crowdsFailed || openLoopFailed ? 1 : 0 }
}

/** A cell's share of its group's time before any has run: its slice, its share of the warm-up and
 * of opening and closing its server (CELL_OVERHEAD_SEC per server, matrix.ts). */
function secondsPerCellGuess(config: BenchConfig): number {
  return sliceSeconds(config) + (config.warmupSec + CELL_OVERHEAD_SEC) / config.repeat
}
