// The many-connections phase of a bench run (run-bench.ts calls it after the closed-loop cells):
// every crowd scenario × N × model × repeat, each a fresh server (run-crowd-cell.ts). Repeats are
// interleaved and the model varies fastest, as in matrix.ts. It prints nothing: the caller passes
// hooks that turn its progress into the run's events.

import type { CellServerOptions } from './cell-server.js'
import type { CrowdCell, CrowdCellResult } from './crowd-results.js'
import { ACTIVE_CONNECTIONS, type CrowdConfig, crowdCellSkip, crowdScenario } from './crowd-scenarios.js'
import { runCrowdCell } from './run-crowd-cell.js'
import { LoadSession } from '../clients/load-session.js'

export interface CrowdPlan {
  cells: CrowdCell[]
  /** A guess at one cell's seconds, for the progress display. */
  secondsPerCellGuess: number
  summary: string
}

export interface CrowdHooks {
  start?(plan: CrowdPlan): void
  cellStart?(cell: CrowdCell, index: number, total: number): void
  cellDone?(result: CrowdCellResult, index: number, total: number): void
  /** Checked between cells: true stops the phase (SIGINT). */
  stopRequested?(): boolean
}

export function expandCrowds(config: CrowdConfig, models: readonly string[], repeat: number): CrowdCell[] {
  const cells: CrowdCell[] = []
  for (let r = 1; r <= repeat; r++) {
    for (const scenario of config.scenarios) {
      for (const connections of config.levels) {
        for (const model of models) cells.push({ model, scenario, connections, repeat: r })
      }
    }
  }
  return cells
}

/** Server start and verification, the worker processes, stopping: measured here at ~1.5 s a cell. */
const CELL_OVERHEAD_SEC = 1.5

export function planCrowds(config: CrowdConfig, models: readonly string[], repeat: number, durationSec: number): CrowdPlan {
  const cells = expandCrowds(config, models, repeat)
  const run = cells.filter((c) => crowdCellSkip(c.model, c.connections, config.maxProcs) === null)
  const perCell = (c: CrowdCell): number => {
    const s = crowdScenario(c.scenario)
    return CELL_OVERHEAD_SEC + config.baselineSec + 1 + config.settleSec + durationSec + (s.activeLoad ? durationSec + 1 : 0) + s.tailMs(durationSec) / 1000
  }
  const total = run.reduce((sum, c) => sum + perCell(c), 0)
  const levels = config.levels.map((n) => n.toLocaleString('en-US')).join(', ')
  return {
    cells,
    secondsPerCellGuess: run.length === 0 ? 0 : total / run.length,
    summary: `${cells.length} crowd cells: ${config.scenarios.join('+')} × N = ${levels} × ${models.length} models${repeat > 1 ? ` × ${repeat} repeats` : ''}; each: ${config.baselineSec} s baseline, the burst, ${durationSec} s held with a probe at ${config.probe.ratePerSec}/s${config.scenarios.includes('idle') ? `, then ${durationSec} s with ${ACTIVE_CONNECTIONS} active keep-alive clients (idle)` : ''}`,
  }
}

export async function runCrowds(
  config: CrowdConfig,
  models: readonly string[],
  options: CellServerOptions & { durationSec: number; repeat: number },
  hooks: CrowdHooks = {},
): Promise<{ results: CrowdCellResult[]; interrupted: number }> {
  const plan = planCrowds(config, models, options.repeat, options.durationSec)
  hooks.start?.(plan)
  const results: CrowdCellResult[] = []
  // one load worker for every active load of the phase (a fork per cell costs ~0.5 s)
  const session = new LoadSession()
  const load = (spec: Parameters<LoadSession['run']>[0], driver: Parameters<LoadSession['run']>[1]): ReturnType<LoadSession['run']> => session.run(spec, driver)
  try {
    for (const [i, cell] of plan.cells.entries()) {
      if (hooks.stopRequested?.() === true) return { results, interrupted: plan.cells.length - i }
      hooks.cellStart?.(cell, i + 1, plan.cells.length)
      let result: CrowdCellResult
      try {
        result = await runCrowdCell(cell, { ...options, crowd: config, load })
      } catch (error) {
        // runCrowdCell reports failures in its result; reaching here is a driver bug, still recorded
        result = { cell, ok: false, failure: `driver error: ${(error as Error).message}`, startedAt: new Date().toISOString(), wallSec: 0, serveFlags: [], notes: [] }
      }
      results.push(result)
      hooks.cellDone?.(result, i + 1, plan.cells.length)
    }
  } finally {
    session.close()
  }
  return { results, interrupted: 0 }
}
