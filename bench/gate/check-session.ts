// What every measuring stage of `bench:check` shares: the round runner, wrapped to log each
// server's numbers and to time the runs (the budget arithmetic needs the mean seconds per server
// run), the log, and the clock the time budget is read from.

import type { RunGroupRound } from './rounds.js'
import { describeRun } from '../driver/run-line.js'

export interface GateIo {
  runGroupRound: RunGroupRound
  log: (line: string) => void
  /** Seconds since some fixed point (injectable for tests). */
  clock?: () => number
}

export interface CheckSession {
  /** io.runGroupRound, logging every server's numbers and timing the round. */
  run: RunGroupRound
  log: (line: string) => void
  /** Mean wall time per server run so far (a group round of n servers counts as n runs); 0 before any. */
  secondsPerRun: () => number
  /** Seconds of the budget still left. */
  left: () => number
  /** Seconds since the session started. */
  elapsed: () => number
}

const wallClock = (): number => performance.now() / 1000

/** Start the clock of one check (or one `--update`, which has no budget). */
export function checkSession(io: GateIo, budgetSec = Infinity): CheckSession {
  const clock = io.clock ?? wallClock
  const started = clock()
  let runs = 0
  let total = 0
  return {
    run: async (group, round, order) => {
      const t0 = clock()
      const results = await io.runGroupRound(group, round, order)
      total += clock() - t0
      runs += order.length
      for (const model of order) {
        const cell = { model, scenario: group.scenario, mode: group.mode, connections: group.connections, repeat: round }
        io.log(`  ${describeRun(cell, results.get(model) ?? { ok: false, failure: 'not measured' })}`)
      }
      return results
    },
    log: io.log,
    secondsPerRun: () => (runs === 0 ? 0 : total / runs),
    left: () => budgetSec - (clock() - started),
    elapsed: () => clock() - started,
  }
}
