import * as hdr from 'hdr-histogram-js'
import { describe, expect, it } from 'vitest'
import { fillInterval, undoFill, wrkLatency, type WrkRunFacts } from '../../../bench/clients/wrk-distribution.js'

/** wrk 4.1's stats_correct (src/stats.c), transcribed: what wrk does to the counts before done(). */
function wrkFill(raw: Map<number, number>, expected: number): Map<number, number> {
  const data = new Map(raw)
  const max = Math.max(...raw.keys())
  for (let n = expected * 2; n <= max; n++) {
    const count = data.get(n) ?? 0
    let m = n - expected
    while (count > 0 && m > expected) {
      data.set(m, (data.get(m) ?? 0) + count)
      m -= expected
    }
  }
  return data
}

const facts = (over: Partial<WrkRunFacts> = {}): WrkRunFacts => ({
  runtimeUs: 1_000_000, requests: 6, connections: 1,
  filled: { p50: 1, p90: 2, p99: 3, p999: 4, max: 5, mean: 6, source: '' },
  ...over,
})

describe("wrk's latency distribution", () => {
  it('computes the interval wrk fills with exactly as its main() does (integer division twice)', () => {
    expect(fillInterval(2_000_000, 64_001, 64)).toBe(Math.floor(2_000_000 / 1000))
    expect(fillInterval(1_000_000, 3, 4)).toBeNull() // fewer responses than connections: wrk skips the fill
  })

  it("undoes wrk's coordinated-omission fill exactly, whatever the distribution", () => {
    const raw = new Map([[3, 5], [10, 40], [11, 7], [25, 2], [60, 1], [61, 3], [400, 1]])
    for (const interval of [4, 10, 12, 30, 200]) {
      const filled = wrkFill(raw, interval)
      if (interval <= 30) expect([...filled.values()].reduce((a, b) => a + b)).toBeGreaterThan(59) // the fill added samples
      expect(undoFill(filled, interval)).toEqual(raw)
    }
    expect(undoFill(raw, null)).toEqual(raw)
  })

  it('refuses counts that no fill could have produced', () => {
    expect(undoFill(new Map([[20, 1], [30, 5]]), 10)).toBeNull()
  })

  it('rebuilds raw percentiles and a mergeable histogram from the done() line', () => {
    // 5 answers at 10 µs, one at 1000 µs; one connection, 6 responses in 6060 µs → interval 1010: no fill
    const summary = wrkLatency('HTTPMODELS-WRK-LATENCY 10:5 1000:1\n', facts({ runtimeUs: 6060 }))
    expect(summary).toMatchObject({ p50: 10, p90: 1000, max: 1000 })
    expect(hdr.decodeFromCompressedBase64(summary.histogram!, 32, false).totalCount).toBe(6)
    expect(summary.source).toMatch(/fill undone/)
  })

  it('removes the samples wrk made up: a stall reads as one slow response, not a ramp of them', () => {
    // 100 answers of 10 µs and one of 100 µs over one connection: interval 100_000/101 → 990 µs… so
    // use a short run: 101 responses in 1111 µs → interval 11; wrk fills 89, 78, … 12 below the stall
    const raw = new Map([[10, 100], [100, 1]])
    const filled = wrkFill(raw, 11)
    const line = `HTTPMODELS-WRK-LATENCY ${[...filled].sort((a, b) => a[0] - b[0]).map(([v, c]) => `${v}:${c}`).join(' ')}\n`
    const summary = wrkLatency(line, facts({ runtimeUs: 1111, requests: 101 }))
    expect(hdr.decodeFromCompressedBase64(summary.histogram!, 32, false).totalCount).toBe(101)
    expect(summary.p99).toBe(10)
    expect(summary.max).toBe(100)
  })

  it("keeps wrk's own percentiles, and says why, when there is no usable distribution", () => {
    expect(wrkLatency('', facts())).toMatchObject({ p50: 1, max: 5, source: expect.stringMatching(/including its coordinated-omission fill \(no distribution line\)/) })
    expect(wrkLatency('HTTPMODELS-WRK-LATENCY -\n', facts()).source).toMatch(/too spread to export within 500 M steps/)
    expect(wrkLatency('HTTPMODELS-WRK-LATENCY 10:1\n', facts({ connections: undefined })).source).toMatch(/connection count/)
    expect(wrkLatency('HTTPMODELS-WRK-LATENCY 10:1\n', facts()).histogram).toBeDefined()
    expect(() => wrkLatency('HTTPMODELS-WRK-LATENCY 10:x\n', facts())).toThrow(/malformed entry "10:x"/)
  })
})
