// The benchmark matrix as data (Node's benchmark/common.js createBenchmark idea): which models,
// scenarios, connection modes, concurrency levels and repeats a run covers, and the one function
// that expands it into the ordered list of cells to run, each in a fresh server process.

import type { ConnectionMode } from '../types.js'
import { MODEL_NAMES } from '../../servers/models/names.js'
import { SCENARIO_NAMES } from './scenarios.js'



/** One measurement: one server process, one load run. */
export interface Cell {
  model: string
  scenario: string
  mode: ConnectionMode
  connections: number
  /** 1-based repeat number. */
  repeat: number
}

/** A cell without its repeat number: what the gate, the A/B compare and the summaries key on. */
export type CellSpec = Omit<Cell, 'repeat'>

/** The model every other one is divided by (DESIGN.md: ratios to node-http measured in the same
 * run): Node's own http server calling the same app. */
export const REFERENCE_MODEL = 'node-http'

export const CONNECTION_MODES: readonly ConnectionMode[] = ['keepalive', 'close']

/**
 * Defaults for `npm run bench` with no flags. Budget: `--model=all` must finish in under 10 minutes
 * on this 2-core machine. Each cell costs its warm-up (1 s) and measurement (3 s) plus overhead,
 * measured here: server start 0.27 s, verification 0.04 s, ~0.5 s for each of the two load-worker
 * processes (fork, import, end on a sample tick), stop 0.07 s ≈ 1.4 s; a full run alongside busy
 * neighbours (load average ~10) averaged 2.6 s. On the memory store: 8 models × 5 scenarios ×
 * 2 modes × 1 level × 1 repeat = 80, less `write` on fork/prefork/threads (per-process stores,
 * 6 cells) = 74 cells × 5.4 s ≈ 6.7 min (busy: 74 × 6.6 s ≈ 8.1 min). `--db=mysql://…` adds db
 * (16) and those writes (6): 96 cells ≈ 8.6 min (busy: ≈ 10.6 min, over budget; narrow --model).
 * A second repeat would double it, so quotable spreads need an explicit `--repeat=3` with a
 * narrower `--model`/`--scenario`.
 */
export const MATRIX_DEFAULTS = {
  models: MODEL_NAMES,
  scenarios: SCENARIO_NAMES,
  modes: CONNECTION_MODES,
  // TechEmpower's lowest concurrency level is 16: enough to queue on every model without
  // measuring 2 cores' worth of context switching.
  connections: [16],
  repeat: 1,
  durationSec: 3,
  warmupSec: 1,
  // autocannon's default request timeout (lib/defaultOptions.js).
  timeoutMs: 10_000,
} as const

/**
 * Per-model defaults, used only when `--connections` is not given: an explicit flag always wins.
 * `fork` starts a child process per connection (~60 ms each here, ~30 connections/s); 16
 * concurrent close-per-request loops would keep ~16 forks in flight on 2 cores, starve the load
 * client and measure the fork storm rather than the model. 4 keeps it honest and the cell short.
 */
export const MODEL_DEFAULTS: Readonly<Record<string, { connections: readonly number[]; why: string }>> = {
  fork: { connections: [4], why: 'a child process per connection (~60 ms per fork, ~30 connections/s)' },
}

/** `--smoke` (Node's benchmark `--test` mode): the first connection level, a token duration. */
export const SMOKE = { durationSec: 0.5, warmupSec: 0.2, repeat: 1 } as const

export interface MatrixSpec {
  models: readonly string[]
  scenarios: readonly string[]
  modes: readonly ConnectionMode[]
  /** Concurrency levels of one model in one scenario; empty leaves the pair out. */
  connectionsFor: (model: string, scenario: string) => readonly number[]
  repeat: number
}

/**
 * Expand the matrix into run order. Repeats are interleaved (every cell's repeat 1, then every
 * cell's repeat 2, …) so slow drift on a shared machine spreads over all cells instead of landing
 * on whichever ran last (Node's benchmark/compare.js alternates binaries for the same reason).
 * Within a repeat the model varies fastest, so the models compared in one table row run back to back.
 */
export function expandMatrix(spec: MatrixSpec): Cell[] {
  const cells: Cell[] = []
  for (let repeat = 1; repeat <= spec.repeat; repeat++) {
    for (const scenario of spec.scenarios) {
      for (const mode of spec.modes) {
        const levels = [...new Set(spec.models.flatMap((m) => spec.connectionsFor(m, scenario)))].sort((a, b) => a - b)
        for (const connections of levels) {
          for (const model of spec.models) {
            if (!spec.connectionsFor(model, scenario).includes(connections)) continue
            cells.push({ model, scenario, mode, connections, repeat })
          }
        }
      }
    }
  }
  return cells
}

/** A stable key for the cell without its repeat: the unit summaries group by. */
export const cellKey = (c: CellSpec): string => `${c.model}|${c.scenario}|${c.mode}|${c.connections}`

export const describeCell = (c: Cell): string =>
  `${c.model} ${c.scenario} ${c.mode} c=${c.connections} #${c.repeat}`
