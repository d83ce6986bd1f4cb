import { describe, expect, it } from 'vitest'
import { ceilingRecord } from '../../../bench/driver/open-loop-ceiling-record.js'

const base = { mode: 'keepalive' as const, arrivals: 'poisson' as const, durationSec: 1, nullServerBound: false, steps: [] }

describe('ceilingRecord', () => {
  it('keeps the rate the client held, with how it was found and where it lagged', () => {
    const r = ceilingRecord({ ...base, rate: 16_000, laggedAt: { rate: 32_000, reason: 'lateness p99 2 ms' } })
    expect(r).toMatchObject({ rate: 16_000, mode: 'keepalive' })
    expect(r.detail).toMatch(/null server, poisson arrivals, 1 s per rate, 0 rates tried; it lagged at 32000\/s \(lateness p99 2 ms\)/)
  })

  it('records that the client kept no rate, down to the lowest it tried, and says so', () => {
    const r = ceilingRecord({ ...base, rate: 0, laggedAt: { rate: 125, reason: 'lateness' } })
    expect(r.rate).toBeNull()
    expect(r.keptNone).toEqual({ lowestRate: 125 })
    expect(r.detail).toBe('none: the client kept no rate of the search against the null server; it lagged at 125/s (lateness)')
  })

  it('says why there is no ceiling when it could not be measured', () => {
    expect(ceilingRecord({ ...base, rate: 0, failure: 'the null server did not start' })).toEqual({ rate: null, mode: 'keepalive', detail: 'not measured: the null server did not start' })
  })

  it('marks a ceiling the null server set as a lower bound', () => {
    expect(ceilingRecord({ ...base, rate: 40_000, nullServerBound: true }).detail).toMatch(/lower bound/)
  })
})
