import { describe, expect, it } from 'vitest'
import { sloVerdict } from '../../../bench/stats/slo-verdict.js'

const slo = { percentile: 99, boundUs: 10_000, label: 'p99:10ms' }
const clean = { valueUs: 4_000, samples: 20_000, errors: 0, non2xx: 0, timeouts: 0 }

describe('sloVerdict', () => {
  it('passes a p99 under the bound and fails one over it', () => {
    expect(sloVerdict(clean, slo, 10_000)).toMatchObject({ outcome: 'pass', marginal: false, fewSamples: false })
    expect(sloVerdict({ ...clean, valueUs: 12_000 }, slo, 10_000).outcome).toBe('fail')
  })

  it('fails a point that lost requests, however fast the answered ones were', () => {
    const v = sloVerdict({ ...clean, timeouts: 3 }, slo, 10_000)
    expect(v.outcome).toBe('fail')
    expect(v.why).toMatch(/3 timeouts/)
  })

  it('neither passes nor fails a point whose client lagged', () => {
    const v = sloVerdict({ ...clean, clientLagging: 'achieved 80% of target' }, slo, 10_000)
    expect(v.outcome).toBe('client-lagging')
    expect(v.why).toMatch(/neither pass nor fail/)
  })

  it('marks a verdict whose confidence band straddles the bound, and one from too few samples', () => {
    const v = sloVerdict({ ...clean, valueUs: 9_900, band: { lowUs: 9_500, highUs: 10_400 }, samples: 5_000 }, slo, 10_000)
    expect(v).toMatchObject({ outcome: 'pass', marginal: true, fewSamples: true })
  })

  it('fails a point where nothing answered', () => {
    expect(sloVerdict({ ...clean, valueUs: null, samples: 0 }, slo, 10_000).outcome).toBe('fail')
  })
})
