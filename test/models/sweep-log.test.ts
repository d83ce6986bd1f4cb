// servers/models/sweep-log.ts: the ring of recent sweep timings nonblocking serves to a crowd's driver.
import { describe, expect, it } from 'vitest'
import { SweepLog } from '../../servers/models/sweep-log.js'

describe('the sweep log', () => {
  it('keeps the most recent sweeps oldest first, in µs with the clients each visited, and counts every sweep', () => {
    const log = new SweepLog()
    for (let i = 1; i <= 300; i++) log.record(i / 1000, i)
    const stats = log.stats(42)
    expect(stats.sweeps).toBe(300)
    expect(stats.clients).toBe(42)
    expect(stats.recent).toHaveLength(256)
    expect(stats.recent[0]).toEqual([45, 45])
    expect(stats.recent.at(-1)).toEqual([300, 300])
  })

  it('reports no sweeps before the first one', () => {
    expect(new SweepLog().stats(0)).toEqual({ sweeps: 0, clients: 0, recent: [] })
  })
})
