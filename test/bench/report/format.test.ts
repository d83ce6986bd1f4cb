// bench/report/format.ts: sizes per connection read as a person would say them.
import { describe, expect, it } from 'vitest'
import { formatBytes } from '../../../bench/report/format.js'

describe('formatBytes', () => {
  it('prints a whole process per connection in MiB, not as tens of thousands of KiB (fork: ~54 MiB a child)', () => {
    expect(formatBytes(54 * 2 ** 20)).toBe('54.0 MiB')
    expect(formatBytes(2 ** 20)).toBe('1.0 MiB')
  })

  it('prints what an event-loop connection costs in KiB, and a few hundred bytes as about nothing', () => {
    expect(formatBytes(10.5 * 1024)).toBe('10.5 KiB')
    expect(formatBytes(300)).toBe('≈ 0 KiB')
    expect(formatBytes(null)).toBe('–')
  })

  it('calls a machine-wide counter that fell noise rather than a negative size', () => {
    expect(formatBytes(-4096, true)).toBe('≈ 0 (noise)')
    expect(formatBytes(-4096)).toBe('-4.0 KiB')
  })
})
