// Driver ceilings (bench/driver/driver-ceiling.ts): which are measured, how they are looked up, and
// one real measurement of each kind of client against the null server.
import { existsSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ceilingFor, ceilingPlan, measureCeilings, type DriverCeiling } from '../../../bench/driver/driver-ceiling.js'
import { WRK_PATH } from '../../../bench/clients/wrk-client.js'

describe('the ceiling plan', () => {
  it('measures each client once per mode and connection level the cells use', () => {
    const cells = [
      { mode: 'keepalive', connections: 16 }, { mode: 'keepalive', connections: 16 }, { mode: 'close', connections: 16 },
      { mode: 'keepalive', connections: 4 }, { mode: 'close', connections: 4 },
    ] as const
    expect(ceilingPlan(cells, 'autocannon')).toEqual([
      { driver: 'autocannon', mode: 'keepalive', connections: 4 },
      { driver: 'autocannon', mode: 'keepalive', connections: 16 },
      { driver: 'close-client', mode: 'close', connections: 4 },
      { driver: 'close-client', mode: 'close', connections: 16 },
    ])
  })

  it('finds the ceiling of the client, mode and level that measured a cell, and none that failed', () => {
    const ceilings: DriverCeiling[] = [
      { driver: 'wrk', mode: 'keepalive', connections: 16, requestsPerSec: 60_000, clientCpuShare: 0.7, serverCpuShare: 0.9, durationSec: 2 },
      { driver: 'wrk', mode: 'keepalive', connections: 64, requestsPerSec: 0, clientCpuShare: 0, serverCpuShare: 0, durationSec: 0, failure: 'broken' },
    ]
    expect(ceilingFor(ceilings, 'wrk', 'keepalive', 16)?.requestsPerSec).toBe(60_000)
    expect(ceilingFor(ceilings, 'wrk', 'keepalive', 64)).toBeUndefined()
    expect(ceilingFor(ceilings, 'autocannon', 'keepalive', 16)).toBeUndefined()
    expect(ceilingFor(undefined, 'wrk', 'keepalive', 16)).toBeUndefined()
  })
})

describe('measuring ceilings against the null server', () => {
  it('gives a keep-alive and a close-per-request client each a rate, with client and null-server CPU', async () => {
    const keepalive = existsSync(WRK_PATH) ? 'auto' : 'autocannon'
    const plan = [...ceilingPlan([{ mode: 'keepalive', connections: 4 }], keepalive), ...ceilingPlan([{ mode: 'close', connections: 4 }], 'auto')]
    const ceilings = await measureCeilings(plan, { durationSec: 1 })
    expect(ceilings).toHaveLength(2)
    for (const c of ceilings) {
      expect(c.failure, `${c.driver}: ${c.failure}`).toBeUndefined()
      expect(c.requestsPerSec).toBeGreaterThan(100)
      expect(c.clientCpuShare).toBeGreaterThan(0)
      expect(c.serverCpuShare).toBeGreaterThan(0)
    }
    expect(ceilings.map((c) => c.driver)).toEqual([keepalive === 'auto' ? 'wrk' : 'autocannon', 'close-client'])
  })
})
