// Interleaved A/B runs for `bench:compare` (Node's benchmark/compare.js: old, new, old, new …,
// each run a fresh process), so slow drift on a shared machine lands on both sides equally.
// Rounds are the outer loop (every cell's pair, then every cell's next pair) so a burst of noise
// spreads over cells instead of sinking one; within each pair the side that goes first alternates
// (A B, B A, A B …) so neither side always runs on the machine the other one just warmed.

import type { Cell, CellSpec } from '../driver/matrix.js'
import type { MeasuredRun } from '../driver/run-metrics.js'



export type SideName = 'base' | 'current'


/** Runs one cell on one side in a fresh server process. */
export type RunSide = (cell: Cell, side: SideName) => Promise<MeasuredRun>

export interface AbSamples {
  cell: CellSpec
  base: MeasuredRun[]
  current: MeasuredRun[]
}

export interface AbProgress {
  done: number
  total: number
  cell: Cell
  side: SideName
  run: MeasuredRun
}

export async function runAB(
  cells: readonly CellSpec[],
  runs: number,
  runSide: RunSide,
  onRun: (progress: AbProgress) => void = () => {},
): Promise<AbSamples[]> {
  if (!Number.isInteger(runs) || runs < 2) throw new RangeError(`runs must be an integer ≥ 2 (a t-test needs two per side), got ${runs}`)
  const samples: AbSamples[] = cells.map((cell) => ({ cell, base: [], current: [] }))
  const total = cells.length * runs * 2
  let done = 0
  for (let round = 0; round < runs; round++) {
    const order: SideName[] = round % 2 === 0 ? ['base', 'current'] : ['current', 'base']
    for (const entry of samples) {
      for (const side of order) {
        const cell: Cell = { ...entry.cell, repeat: round + 1 }
        const run = await runSide(cell, side)
        entry[side].push(run)
        done++
        onRun({ done, total, cell, side, run })
      }
    }
  }
  return samples
}
