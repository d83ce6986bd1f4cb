// Each model's closed-loop capacity, read from the closed-loop cells of the same run: what
// `--rate=auto`'s ladder and the default latency curve take their fractions of. Capacity is the
// highest median req/s over the concurrency levels measured (rounds' median, as the tables show
// it); a cell with any failed round has none, and a starved one is still a capacity (of the
// connections it served) — the open-loop points then say what waiting costs there.

import { median } from '../stats/descriptive.js'
import type { CellResult } from './run-cell.js'
import type { ConnectionMode } from '../types.js'

export function closedLoopCapacity(cells: readonly CellResult[], model: string, scenario: string, mode: ConnectionMode): number | null {
  const mine = cells.filter((c) => c.cell.model === model && c.cell.scenario === scenario && c.cell.mode === mode)
  let best: number | null = null
  for (const level of new Set(mine.map((c) => c.cell.connections))) {
    const rounds = mine.filter((c) => c.cell.connections === level)
    if (rounds.some((c) => !c.ok || c.load === undefined)) continue
    const rps = median(rounds.map((c) => c.load!.requestsPerSec))
    if (rps > 0 && (best === null || rps > best)) best = rps
  }
  return best
}
