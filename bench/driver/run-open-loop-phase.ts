// The open-loop phase of a bench run (issue #10; run-bench.ts calls it after the closed-loop
// cells): for each scenario × mode, every model's server is opened once and kept, then each model
// is offered its rates — a --rate list, or fractions of its closed-loop capacity from this run —
// one ladder step at a time with the model order rotating (as run-rounds.ts does, so a disturbed
// minute falls on every model alike), then a few bisection steps between its highest passing and
// lowest failing rate (mutilate's --search). A model's ladder stops after a run of rates that did
// not pass (failed, or the client lagged): past its knee every higher rate only queues longer, and
// above the rate where the client lags every higher one lags too. It prints nothing: hooks carry its progress.

import { type CellServer, type CellServerOptions, closeCellServer, openCellServer } from './cell-server.js'
import { roundOrder } from './matrix.js'
import { closedLoopCapacity } from './open-loop-capacity.js'
import type { OpenLoopConfig } from './open-loop-config.js'
import { measurePoint, type OpenLoopRunner } from './open-loop-point.js'
import type { QuietWait } from './quiet-machine.js'
import type { OpenLoopCeilingRecord, OpenLoopPoint, OpenLoopSection, OpenLoopSeries } from './open-loop-results.js'
import type { CellResult } from './run-cell.js'
import { nextSearchRate, rateLadder, sustainableRate } from '../stats/sustainable-rate.js'
import type { ConnectionMode } from '../types.js'

export interface OpenLoopPlan {
  /** Points planned before any search step (search steps come on top). */
  ladderPoints: number
  secondsPerPoint: number
  /** The SLO's percentile, which every point reports. */
  percentile: number
  summary: string
}

export interface OpenLoopHooks {
  start?(plan: OpenLoopPlan): void
  pointDone?(point: OpenLoopPoint, index: number, planned: number): void
  /** Checked between points: true stops the phase. */
  stopRequested?(): boolean
}

export interface OpenLoopPhaseOptions extends CellServerOptions {
  run: OpenLoopRunner
  /** The run's closed-loop cells: the capacity `auto` and the curve take fractions of. */
  closedLoop: readonly CellResult[]
  ceiling?: OpenLoopCeilingRecord
  /** Before each point: wait until the machine is quiet (quiet-machine.ts). Absent: no wait (tests). */
  awaitQuiet?: () => Promise<QuietWait | null>
}

/** Per-point overhead besides warm-up and measurement (starting the load, reading the result). */
const POINT_OVERHEAD_SEC = 0.3

export async function runOpenLoopPhase(
  config: OpenLoopConfig, models: readonly string[], options: OpenLoopPhaseOptions, hooks: OpenLoopHooks = {},
): Promise<{ section: OpenLoopSection; interrupted: boolean }> {
  const section: OpenLoopSection = { config, ...(options.ceiling !== undefined ? { ceiling: options.ceiling } : {}), points: [], series: [] }
  const groups = config.scenarios.flatMap((scenario) => config.modes.map((mode) => ({ scenario, mode })))
  const plans = groups.map((g) => models.map((model) => planSeries(config, model, g.scenario, g.mode, options)))
  const ladderPoints = plans.flat().reduce((n, s) => n + s.planned.length, 0)
  const secondsPerPoint = config.warmupSec + config.durationSec + POINT_OVERHEAD_SEC
  hooks.start?.({ ladderPoints, secondsPerPoint, percentile: config.slo.percentile, summary: summaryOf(config, models, ladderPoints, secondsPerPoint) })
  let interrupted = false
  let seed = 0
  const measure = async (server: CellServer, rate: number, phase: OpenLoopPoint['phase']): Promise<OpenLoopPoint> => {
    const quiet = options.awaitQuiet !== undefined ? await options.awaitQuiet() : null
    const point = await measurePoint(server, rate, phase, config, options.run, ++seed, quiet)
    section.points.push(point)
    hooks.pointDone?.(point, section.points.length, ladderPoints)
    return point
  }
  for (const [g, group] of groups.entries()) {
    if (interrupted) break
    const series = plans[g]!
    section.series.push(...series)
    const servers = new Map<string, CellServer>()
    try {
      for (const s of series.filter((x) => x.planned.length > 0)) {
        const opened = await openCellServer({ model: s.model, scenario: group.scenario, mode: group.mode }, options)
        if (opened.ok) servers.set(s.model, opened.cell)
        else s.failure = opened.failure
      }
      const live = series.filter((s) => servers.has(s.model))
      const failuresInARow = new Map<string, number>()
      const steps = Math.max(0, ...live.map((s) => s.planned.length))
      for (let step = 0; step < steps && !interrupted; step++) {
        for (const s of roundOrder(live, step + 1)) {
          const rate = s.planned[step]
          if (rate === undefined || (failuresInARow.get(s.model) ?? 0) >= config.stopAfterFailures) continue
          if (hooks.stopRequested?.() === true) { interrupted = true; break }
          const point = await measure(servers.get(s.model)!, rate, 'ladder')
          failuresInARow.set(s.model, point.verdict.outcome !== 'pass' ? (failuresInARow.get(s.model) ?? 0) + 1 : 0)
        }
      }
      for (const s of live) {
        const stopped = s.planned.filter((r) => !section.points.some((p) => p.model === s.model && p.scenario === s.scenario && p.mode === s.mode && p.rate === r))
        if (stopped.length > 0 && !interrupted) s.notes.push(`${stopped.join(', ')}/s not offered: ${config.stopAfterFailures} rates in a row below them had failed the SLO or lagged`)
      }
      for (let step = 0; step < config.searchSteps && !interrupted; step++) {
        for (const s of roundOrder(live, step + 1)) {
          const next = nextSearchRate(pointsOf(section, s), { stepsLeft: config.searchSteps - step, resolution: config.resolution })
          if (next === null) continue
          if (hooks.stopRequested?.() === true) { interrupted = true; break }
          await measure(servers.get(s.model)!, next, 'search')
        }
      }
    } finally {
      for (const [model, server] of servers) {
        const closed = await closeCellServer(server)
        if (closed.failure !== undefined) series.find((s) => s.model === model)!.notes.push(`the server did not stop cleanly: ${closed.failure}`)
      }
    }
    for (const s of series) s.sustainable = sustainableRate(pointsOf(section, s))
  }
  return { section, interrupted }
}

const pointsOf = (section: OpenLoopSection, s: Pick<OpenLoopSeries, 'model' | 'scenario' | 'mode'>): Array<{ rate: number; outcome: OpenLoopPoint['verdict']['outcome'] }> =>
  section.points.filter((p) => p.model === s.model && p.scenario === s.scenario && p.mode === s.mode).map((p) => ({ rate: p.rate, outcome: p.verdict.outcome }))

/** The rates one model is offered, before any search: the list, or its ladder up to the client's ceiling. */
function planSeries(config: OpenLoopConfig, model: string, scenario: string, mode: ConnectionMode, options: OpenLoopPhaseOptions): OpenLoopSeries {
  const series: OpenLoopSeries = { model, scenario, mode, planned: [], sustainable: sustainableRate([]), notes: [] }
  if (config.kind === 'list') {
    series.planned = [...(config.rates ?? [])]
    return series
  }
  const capacity = closedLoopCapacity(options.closedLoop, model, scenario, mode)
  if (capacity === null) {
    series.failure = 'no closed-loop capacity to take fractions of: its closed-loop cell failed or did not run'
    return series
  }
  series.capacity = capacity
  let planned = rateLadder(capacity, config.fractions ?? [])
  const ceiling = options.ceiling
  if (ceiling?.keptNone !== undefined && ceiling.mode === mode) {
    series.notes.push(`no rate offered: the open-loop client kept no rate of its ceiling search on this machine, lagging even at ${ceiling.keptNone.lowestRate}/s against the null server, so every point would measure the client`)
    return series
  }
  if (ceiling?.rate != null && ceiling.mode === mode && planned.some((r) => r > ceiling.rate!)) {
    const above = planned.filter((r) => r > ceiling.rate!)
    planned = planned.filter((r) => r <= ceiling.rate!)
    series.notes.push(`${above.join(', ')}/s not offered: above the open-loop client's own ceiling of ${Math.round(ceiling.rate)}/s on this machine (a lagging client measures itself)`)
  }
  series.planned = planned
  return series
}

function summaryOf(config: OpenLoopConfig, models: readonly string[], points: number, secondsPerPoint: number): string {
  const rates = config.kind === 'list' ? `${config.rates!.join(', ')} req/s` : `${config.fractions!.join(', ')} × each model's closed-loop capacity`
  const search = config.searchSteps > 0 ? `, then up to ${config.searchSteps} bisection steps per model towards its sustainable rate (${config.slo.label})` : ''
  const what = config.kind === 'curve' ? 'latency curve' : 'open loop'
  return `${what}: ${models.length} models × ${config.scenarios.join('+')} × ${config.modes.join('+')} at ${rates}${search}; ${config.arrivals} arrivals, ${config.warmupSec} s warm-up + ${config.durationSec} s per point; ${points} points ≈ ${Math.round(points * secondsPerPoint)} s before any search`
}
