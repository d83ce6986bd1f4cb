import { describe, expect, it } from 'vitest'
import { checkSession, type GateIo } from '../../../bench/gate/check-session.js'
import type { MeasuredRun } from '../../../bench/driver/run-metrics.js'
import { runAt } from '../fixtures/gate-samples.js'

describe('a check session', () => {
  it('times each server run, logs every server\'s numbers, and counts the budget from its start', async () => {
    let now = 100
    const lines: string[] = []
    const io: GateIo = {
      clock: () => now,
      log: (line) => lines.push(line),
      runGroupRound: async (_group, _round, order) => {
        now += 3 * order.length // 3 s per server
        return new Map<string, MeasuredRun>(order.map((m) => [m, runAt(20)]))
      },
    }
    const session = checkSession(io, 60)
    expect(session.secondsPerRun()).toBe(0)
    await session.run({ scenario: 'hello', mode: 'keepalive', connections: 16, models: ['eventloop'] }, 1, ['node-http', 'eventloop'])
    expect(session.secondsPerRun()).toBe(3)
    expect(session.elapsed()).toBe(6)
    expect(session.left()).toBe(54)
    expect(lines).toHaveLength(2)
    expect(lines[0]).toMatch(/^ {2}node-http hello keepalive c=16 #1: .*, 20\.0 µs CPU\/req$/)
    expect(lines[1]).toMatch(/^ {2}eventloop hello keepalive c=16 #1: .*, 20\.0 µs CPU\/req$/)
  })

  it('has no budget to run out of unless given one (--update)', () => {
    expect(checkSession({ runGroupRound: async () => new Map(), log: () => {}, clock: () => 0 }).left()).toBe(Infinity)
  })
})
