import { describe, expect, it } from 'vitest'
import { bytesPerConnection, coreShare, isCensored } from '../../../bench/stats/per-connection.js'

describe('per-connection arithmetic', () => {
  it('divides what the crowd added by the connections held', () => {
    expect(bytesPerConnection(50_000_000, 60_240_000, 1000)).toBe(10_240)
    expect(bytesPerConnection(60_000_000, 59_000_000, 1000)).toBe(-1000) // noise stays visible as noise
  })

  it('has no figure when nothing was held or a reading is missing', () => {
    expect(bytesPerConnection(1, 2, 0)).toBeNull()
    expect(bytesPerConnection(null, 2, 10)).toBeNull()
    expect(bytesPerConnection(1, null, 10)).toBeNull()
  })

  it('gives CPU as a share of one core, and 0 for an empty window', () => {
    expect(coreShare(1.5, 3)).toBe(0.5)
    expect(coreShare(1, 0)).toBe(0)
  })

  it('calls a latency at or past the give-up time censored: a lower bound, not a wait', () => {
    expect(isCensored(3_000_000, 3000)).toBe(true)
    expect(isCensored(2_999_999, 3000)).toBe(false)
  })
})
