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
 * Defaults for `npm run bench` with no flags. Budget: `--model=all` must finish in about 10 minutes
 * on this 2-core machine, the other sections included. Each cell is measured in 3 interleaved
 * rounds of 1 s (the same 3 s measured as one run used to take, cut into slices so every model of
 * a group sees the same minutes; run-rounds.ts) after a 1 s warm-up; its server is started,
 * verified and stopped once (0.27 + 0.04 + 0.07 s, measured here), and every load runs in one kept
 * load-worker process (load-session.ts: ~0.1 s per run instead of a 0.5 s fork). On the memory
 * store: 8 models × 5 scenarios × 2 modes × 1 level = 80, less `write` on fork/prefork/threads
 * (per-process stores, 6 cells) = 74 cells × ~4.8 s ≈ 6 min. `--db=mysql://…` adds db (16) and
 * those writes (6): 96 cells ≈ 7.7 min. Three rounds are the fewest that give a median ratio with
 * a spread; `--repeat=5 --duration=5` buys steadier ratios at the same slice length.
 */
export const MATRIX_DEFAULTS = {
  models: MODEL_NAMES,
  scenarios: SCENARIO_NAMES,
  modes: CONNECTION_MODES,
  // TechEmpower's lowest concurrency level is 16: enough to queue on every model without
  // measuring 2 cores' worth of context switching.
  connections: [16],
  repeat: 3,
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

/** `--smoke` (Node's benchmark `--test` mode): the first connection level, a token duration. One
 * second, not less: a fork keep-alive cell's new connections each wait for a new Node process
 * (0.3–0.75 s on this machine under load), and a shorter cell could end before any answer. */
export const SMOKE = { durationSec: 1, warmupSec: 0.2, repeat: 1 } as const

export interface MatrixSpec {
  models: readonly string[]
  scenarios: readonly string[]
  modes: readonly ConnectionMode[]
  /** Concurrency levels of one model in one scenario; empty leaves the pair out. */
  connectionsFor: (model: string, scenario: string) => readonly number[]
  /** Rounds: each group measures every model once per round. */
  repeat: number
}

/** A group: one scenario × mode × concurrency level and every model that runs it, measured
 * together in interleaved rounds (run-rounds.ts). */
export interface Group {
  scenario: string
  mode: ConnectionMode
  connections: number
  /** Models in matrix order (the first round's order; later rounds rotate it). */
  models: string[]
}

/**
 * Expand the matrix into groups, in run order: scenario, then mode, then concurrency. Every model
 * of a group is compared with the others in the same rounds, so the reference must share its
 * group: a model's own concurrency level (fork at c=4) makes a group of its own, without a ratio.
 */
export function expandGroups(spec: Omit<MatrixSpec, 'repeat'>): Group[] {
  const groups: Group[] = []
  for (const scenario of spec.scenarios) {
    for (const mode of spec.modes) {
      const levels = [...new Set(spec.models.flatMap((m) => spec.connectionsFor(m, scenario)))].sort((a, b) => a - b)
      for (const connections of levels) {
        const models = spec.models.filter((model) => spec.connectionsFor(model, scenario).includes(connections))
        if (models.length > 0) groups.push({ scenario, mode, connections, models })
      }
    }
  }
  return groups
}

/** The round order of a group (1-based round): its models rotated by round − 1, so each leads once. */
export function roundOrder<T>(models: readonly T[], round: number): T[] {
  if (models.length === 0) return []
  const shift = (round - 1) % models.length
  return [...models.slice(shift), ...models.slice(0, shift)]
}

/**
 * How many rounds a group is measured in. Rounds exist to pair a model with the others in the
 * same minutes; a model alone in its group (fork at its own c=4) has nothing to pair with, so it
 * is measured in one run of the cell's whole time — slicing it would only make each round reopen
 * its connections (for fork, each waiting ~0.75 s for a new process).
 */
export const roundsOf = (group: Pick<Group, 'models'>, repeat: number): number => (group.models.length > 1 ? repeat : 1)

/** Every cell of `groups` over their rounds, in the order a run measures them (each group's rounds
 * in turn, each round in its rotated order). */
export function expandMatrix(spec: MatrixSpec): Cell[] {
  return expandGroups(spec).flatMap((g) => Array.from({ length: roundsOf(g, spec.repeat) }, (_, i) => i + 1).flatMap((round) =>
    roundOrder(g.models, round).map((model) => ({ model, scenario: g.scenario, mode: g.mode, connections: g.connections, repeat: round }))))
}

/** A stable key for the cell without its repeat: the unit summaries group by. */
export const cellKey = (c: CellSpec): string => `${c.model}|${c.scenario}|${c.mode}|${c.connections}`

export const describeCell = (c: Cell): string =>
  `${c.model} ${c.scenario} ${c.mode} c=${c.connections} #${c.repeat}`
