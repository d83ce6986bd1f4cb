// The figures of a database outage, from logged exchanges: per phase counts and longest waits,
// hangs, and the recovery after the restore.
import { describe, expect, it } from 'vitest'
import { outageFigures, phaseOf, type OutageExchange } from '../../../bench/stats/outage-figures.js'

const marks = { latencyAtMs: 1000, cutAtMs: 2000, restoredAtMs: 3000, endMs: 4000 }

/** `perSec` exchanges per second from `from` to `to`, each taking `tookMs`, with `status`. */
function steady(from: number, to: number, perSec: number, status: OutageExchange['status'], tookMs = 5): OutageExchange[] {
  const out: OutageExchange[] = []
  for (let t = from; t < to; t += 1000 / perSec) out.push({ sentAtMs: t, doneAtMs: t + tookMs, status })
  return out
}

describe('outageFigures', () => {
  it('counts each phase\'s answers, 503s, other 5xx and losses by when the request was sent', () => {
    const exchanges = [
      ...steady(0, 1000, 100, 200),
      ...steady(1000, 2000, 20, 200, 60),
      ...steady(2000, 3000, 50, 503, 2),
      { sentAtMs: 2500, doneAtMs: 2501, status: 500 },
      { sentAtMs: 2600, doneAtMs: 2700, status: 'closed' as const },
      ...steady(3000, 4000, 100, 200),
    ]
    const f = outageFigures(exchanges, marks)
    expect(f.phases.steady).toEqual({ sent: 100, answered: 100, answered503: 0, answeredOther5xx: 0, lost: 0, longestMs: 5 })
    expect(f.phases.latency).toMatchObject({ sent: 20, answered: 20, longestMs: 60 })
    expect(f.phases.cut).toMatchObject({ sent: 52, answered: 0, answered503: 50, answeredOther5xx: 1, lost: 1, longestMs: 100 })
    expect(f.phases.after.answered).toBe(100)
    expect(f.timeouts).toBe(0)
    expect(f.steadyPerSec).toBe(100)
    expect(f.firstAnswerAfterRestoreMs).toBe(5)
    expect(f.recoveredAfterMs).toBe(100)
    expect(f.last503AfterRestoreMs).toBeUndefined()
    expect(f.first503AtMs).toBe(2002)
  })

  it('counts a request that hung to the timeout, and a slow recovery with 503s after the restore', () => {
    const exchanges = [
      ...steady(0, 1000, 100, 200),
      { sentAtMs: 2100, doneAtMs: 7100, status: 'timeout' as const },
      ...steady(3000, 3500, 100, 503, 1),
      ...steady(3500, 4000, 100, 200),
    ]
    const f = outageFigures(exchanges, marks)
    expect(f.timeouts).toBe(1)
    expect(f.phases.cut).toMatchObject({ lost: 1, longestMs: 5000 })
    expect(f.last503AfterRestoreMs).toBe(491)
    expect(f.firstAnswerAfterRestoreMs).toBe(505)
    expect(f.recoveredAfterMs).toBe(600)
  })

  it('never calls a load recovered that had no steady rate to recover to', () => {
    expect(outageFigures(steady(3000, 4000, 100, 200), marks).recoveredAfterMs).toBeUndefined()
  })

  it('puts each moment in its phase, a mark starting the next one', () => {
    expect([0, 999, 1000, 2000, 2999, 3000].map((t) => phaseOf(t, marks))).toEqual(['steady', 'steady', 'latency', 'cut', 'cut', 'after'])
  })
})
