// The open-loop client's measured ceiling (open-loop-ceiling.ts) as the results file records it
// beside the open-loop points and the report prints it: a rate the ladders stay under, or why
// there is none. A client that lagged at the search's very first rate has no usable ceiling (it
// would cap every ladder at 0): its record says so, and the phase offers nothing in that mode
// (every point would measure the client; run-open-loop-phase.ts).

import type { OpenLoopCeiling } from './open-loop-ceiling.js'
import type { OpenLoopCeilingRecord } from './open-loop-results.js'

export function ceilingRecord(c: OpenLoopCeiling): OpenLoopCeilingRecord {
  if (c.failure !== undefined) return { rate: null, mode: c.mode, detail: `not measured: ${c.failure}` }
  const lagged = c.laggedAt === undefined ? '' : `; it lagged at ${Math.round(c.laggedAt.rate)}/s (${c.laggedAt.reason})`
  if (c.rate <= 0) return { rate: null, mode: c.mode, ...(c.laggedAt !== undefined ? { keptNone: { lowestRate: Math.round(c.laggedAt.rate) } } : {}), detail: `none: the client kept no rate of the search against the null server${lagged}` }
  const bound = c.nullServerBound ? '; the null server used ≥ 90% of a core, so this is a lower bound' : ''
  return { rate: c.rate, mode: c.mode, detail: `against the null server, ${c.arrivals} arrivals, ${c.durationSec} s per rate, ${c.steps.length} rates tried${lagged}${bound}` }
}
