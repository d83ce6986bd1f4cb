// What `bench:check` measures, as data. Each cell is a model whose throughput and server CPU per
// request are divided by node-http's, measured in the same round on the same scenario, so the
// stored baseline is a set of ratios that travels between machines (DESIGN.md "Benchmark method").
//
// Time budget (issue 5: the whole check ≤ 5 minutes on this 2-core machine, after the tests).
// One server run in a round costs about 0.7 s start + verify, 0.5 s warm-up, 5 s measured (ten
// 0.5 s slices) and 0.3 s stop ≈ 6.5 s. Two groups (hello, static) × 2 servers (node-http +
// eventloop) × 4 rounds = 16 runs ≈ 104 s; confirming one suspect group adds 4 rounds × 2 runs
// ≈ 52 s, both groups ≈ 104 s: at worst ≈ 3.5 minutes. Each further model in the hello group adds
// 4 runs ≈ 26 s (+ 26 s if it must be confirmed): one or two more models fit the budget.
// Why few long rounds rather than many short ones: slice-to-slice CPU ratios here scatter by ~10%
// even on a quiet minute, so the measured seconds per round buy most of the precision, and every
// round pays the fixed start/warm-up/stop cost again.
// bench:check prints this arithmetic for the actual plan with the run time measured at --update,
// and never starts confirmation rounds that would overrun `--budget`.

import { type CellSpec, REFERENCE_MODEL } from '../driver/matrix.js'




/** Models × scenarios the CI gate covers (keep-alive, 16 connections). */
export const CHECK_CELLS: readonly CellSpec[] = [
  { model: 'eventloop', scenario: 'hello', mode: 'keepalive', connections: 16 },
  { model: 'eventloop', scenario: 'static', mode: 'keepalive', connections: 16 },
]

export const CHECK_DEFAULTS = {
  /** Rounds in the first pass; each round runs node-http and every model once per group. */
  rounds: 4,
  /** Extra rounds for the groups with a suspected regression, before failing. */
  confirmRounds: 4,
  /** Measured seconds per server per round … */
  durationSec: 5,
  /** … in alternating slices this long (duet-round.ts). */
  sliceSec: 0.5,
  warmupSec: 0.5,
  /** The whole check, seconds (issue 5). */
  budgetSec: 300,
  /** A/A sessions `--update` runs to calibrate the tolerance. */
  sessions: 4,
} as const

export interface CheckGroup {
  scenario: string
  mode: CellSpec['mode']
  connections: number
  /** The models compared against the reference in this group (the reference excluded). */
  models: string[]
}


export const describeCheckCell = (c: CellSpec): string => `${c.model} ${c.scenario} ${c.mode} c=${c.connections}`

/** Group cells by what must be shared with the reference run: scenario, mode, connections. */
export function groupCells(cells: readonly CellSpec[]): CheckGroup[] {
  const groups = new Map<string, CheckGroup>()
  for (const c of cells) {
    if (c.model === REFERENCE_MODEL) throw new Error(`${REFERENCE_MODEL} is the reference; it cannot be a checked cell`)
    const key = `${c.scenario}|${c.mode}|${c.connections}`
    let g = groups.get(key)
    if (g === undefined) {
      g = { scenario: c.scenario, mode: c.mode, connections: c.connections, models: [] }
      groups.set(key, g)
    }
    if (!g.models.includes(c.model)) g.models.push(c.model)
  }
  return [...groups.values()]
}

/** Server runs one round of these groups takes (each group: the reference plus its models). */
export const runsPerRound = (groups: readonly CheckGroup[]): number =>
  groups.reduce((n, g) => n + 1 + g.models.length, 0)
