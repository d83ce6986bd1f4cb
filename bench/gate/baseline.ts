// results/baseline.json: what `bench:check` compares against. Written by
// `npm run bench:check -- --update` from several A/A sessions of the current build; holds ratios
// to node-http (which travel between machines), their calibrated tolerances, and, for the record
// only, the machine, Node version, commit and absolute numbers they were measured with.

import { readFileSync, writeFileSync } from 'node:fs'
import type { SampleSet } from './rounds.js'
import { quietSessions } from './disturbed-rounds.js'
import type { RunContext } from '../host/run-context.js'
import { median } from '../stats/descriptive.js'
import { TOLERANCE_RULE, calibrateTolerance, type MetricCalibration } from './tolerance.js'
import { type CellSpec, REFERENCE_MODEL, cellKey } from '../driver/matrix.js'



export const BASELINE_SCHEMA = 'httpmodels-gate-baseline/1'

export interface CheckConfig {
  rounds: number
  confirmRounds: number
  /** Measured seconds per server per round, split into slices of sliceSec (duet-round.ts). */
  durationSec: number
  sliceSec: number
  warmupSec: number
  driver: 'autocannon' | 'wrk'
  /** Client and servers bound to separate CPUs (cpu-pinning.ts); absent (unpinned) in baselines
   * recorded before pinning. */
  pin?: boolean
}

export interface CellBaseline {
  cell: CellSpec
  /** model req/s ÷ node-http req/s (higher is better). */
  throughput: MetricCalibration
  /** model server CPU per request ÷ node-http's (lower is better). */
  cpu: MetricCalibration
  /** Medians of the absolute numbers on the baseline machine: context, never compared. */
  absolute: { modelReqPerSec: number; modelCpuUsPerRequest: number; referenceReqPerSec: number; referenceCpuUsPerRequest: number }
}

export interface Baseline {
  schema: typeof BASELINE_SCHEMA
  createdAt: string
  context: RunContext
  reference: typeof REFERENCE_MODEL
  config: CheckConfig
  calibration: {
    sessions: number
    roundsPerSession: number
    rule: string
    secondsPerRun: number
    /** When the tolerances were re-derived from the stored A/A statistics under a newer rule. */
    note?: string
    /** Per cell, the A/A rounds left out as disturbed (disturbed-rounds.ts), when any were. */
    disturbed?: string[]
  }
  cells: CellBaseline[]
}

/** Build a baseline from A/A sessions: each session is one check-sized sample set. */
export function buildBaseline(
  sessions: readonly SampleSet[], cells: readonly CellSpec[], config: CheckConfig, context: RunContext, secondsPerRun: number,
): Baseline {
  const out: CellBaseline[] = []
  const disturbed: string[] = []
  for (const cell of cells) {
    const key = cellKey(cell)
    const perSession = sessions.map((s) => s.get(key))
    const broken = perSession.find((s) => s === undefined || s.failures.length > 0)
    if (broken !== undefined) {
      throw new Error(`cannot record a baseline for ${key}: ${broken?.failures[0] ?? 'no samples'}`)
    }
    const quiet = quietSessions(perSession as NonNullable<(typeof perSession)[number]>[])
    if (quiet.note !== undefined) disturbed.push(`${key}: ${quiet.note}`)
    const samples = quiet.sessions
    out.push({
      cell,
      throughput: calibrateTolerance('throughput', samples.map((s) => s.throughput), config.rounds),
      cpu: calibrateTolerance('cpu', samples.map((s) => s.cpu), config.rounds),
      absolute: {
        modelReqPerSec: median(samples.flatMap((s) => s.modelReqPerSec)),
        modelCpuUsPerRequest: median(samples.flatMap((s) => s.modelCpuUs)),
        referenceReqPerSec: median(samples.flatMap((s) => s.referenceReqPerSec)),
        referenceCpuUsPerRequest: median(samples.flatMap((s) => s.referenceCpuUs)),
      },
    })
  }
  return {
    schema: BASELINE_SCHEMA,
    createdAt: new Date().toISOString(),
    context,
    reference: REFERENCE_MODEL,
    config,
    calibration: {
      sessions: sessions.length, roundsPerSession: config.rounds, rule: TOLERANCE_RULE, secondsPerRun,
      ...(disturbed.length > 0 ? { disturbed } : {}),
    },
    cells: out,
  }
}

function isCalibration(v: unknown): v is MetricCalibration {
  const m = v as MetricCalibration
  return typeof m === 'object' && m !== null && m.median > 0 && m.tolerance > 0 && m.tolerance < 1
}

/** Read and check a baseline file; throws one clear line when it is missing or malformed. */
export function readBaseline(path: string): Baseline {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    throw new Error(`no baseline at ${path}: record one with \`npm run bench:check -- --update\``)
  }
  let data: Baseline
  try {
    data = JSON.parse(text) as Baseline
  } catch (error) {
    throw new Error(`${path} is not JSON: ${(error as Error).message}`)
  }
  if (data?.schema !== BASELINE_SCHEMA) throw new Error(`${path}: expected schema "${BASELINE_SCHEMA}", got ${JSON.stringify(data?.schema)}`)
  if (!Array.isArray(data.cells) || data.cells.length === 0) throw new Error(`${path}: no cells`)
  const c = data.config
  if (!(c?.rounds >= 2 && c.confirmRounds >= 0 && c.durationSec > 0 && c.sliceSec > 0 && c.warmupSec >= 0 && (c.driver === 'autocannon' || c.driver === 'wrk') && (c.pin === undefined || typeof c.pin === 'boolean'))) {
    throw new Error(`${path}: config is malformed`)
  }
  for (const cell of data.cells) {
    if (typeof cell?.cell?.model !== 'string' || !isCalibration(cell.throughput) || !isCalibration(cell.cpu)) {
      throw new Error(`${path}: a cell entry is malformed (${JSON.stringify(cell?.cell ?? cell).slice(0, 80)})`)
    }
  }
  return data
}

export function writeBaseline(path: string, baseline: Baseline): void {
  writeFileSync(path, `${JSON.stringify(baseline, null, 2)}\n`)
}
