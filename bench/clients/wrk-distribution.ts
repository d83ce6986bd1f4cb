// wrk's whole latency distribution, out of its Lua done() hook and back as raw closed-loop latency in
// an HDR histogram, so a wrk summary merges like every other client's (stats/merge-latency.ts).
//
// What wrk 4.1 holds (read in wg/wrk, src/stats.c, src/script.c, src/wrk.c):
// - latency is an exact array of counts, one slot per µs up to the timeout (stats_alloc, stats_record);
// - done(summary, latency, requests) may call `latency(i)`, i = 1..#latency, which returns the i-th
//   distinct value and its count (script_stats_call → stats_value_at). Each call walks the array from
//   the minimum, so exporting every value costs Σ(value − min) steps: hence DISTRIBUTION_BUDGET;
// - before done() runs, wrk "corrects" coordinated omission (stats_correct, called from main with
//   interval = runtime_us / (complete / connections)): every recorded value n ≥ 2·interval also
//   adds one synthetic sample at n − interval, n − 2·interval, … while above interval. wrk's own
//   percentiles and mean include those samples (a c = 1 run here had 7% more samples than requests).
//   No other client of ours fills anything in a closed loop, so the fill is undone here: for
//   m > interval the filled count is Σ_{j≥0} raw[m + j·interval], hence raw[m] = filled[m] −
//   filled[m + interval]; at or below the interval nothing was added.

import { createLatencyHistogram, summarizeHistogram } from '../stats/latency-histogram.js'
import type { LatencySummary } from '../types.js'

export const DISTRIBUTION_MARKER = 'HTTPMODELS-WRK-LATENCY '

/**
 * Most array steps the export may take (Σ(value − min) over the distinct values). Measured here
 * (wrk 4.1, 2 cores): ~1 ns a step, e.g. 15.6 M steps for a fast server's 4,268 distinct values
 * (23 ms), 377 M for 7,554 values spread over 136 ms (0.36 s), 1.16 G for 1,346 values over 2 s
 * (1.1 s). 500 M caps the export near half a second, spent after the measured window; a
 * distribution too spread for it keeps wrk's own percentiles and says so.
 */
export const DISTRIBUTION_BUDGET = 500_000_000

/** The body of done() that prints every distinct latency (µs) with its count, "value:count"
 * space-separated, or "-" when the budget ran out. */
export function distributionLua(): string[] {
  return [
    '  local parts, spent, low = {}, 0, latency.min',
    '  for i = 1, #latency do',
    '    local value, count = latency(i)',
    '    spent = spent + (value - low)',
    `    if spent > ${DISTRIBUTION_BUDGET} then parts = nil; break end`,
    '    parts[i] = string.format("%d:%d", value, count)',
    '  end',
    `  io.write("${DISTRIBUTION_MARKER}" .. (parts and table.concat(parts, " ") or "-") .. "\\n")`,
  ]
}

/** What wrk's main() passes to stats_correct, or null when it skips the correction. */
export function fillInterval(runtimeUs: number, requests: number, connections: number): number | null {
  const perConnection = Math.floor(requests / connections)
  return perConnection > 0 ? Math.floor(runtimeUs / perConnection) : null
}

/** Raw counts from wrk's filled ones (see the top of the file), or null if they cannot be (a wrk
 * that fills differently: a negative count). */
export function undoFill(filled: ReadonlyMap<number, number>, interval: number | null): Map<number, number> | null {
  if (interval === null) return new Map(filled)
  const raw = new Map<number, number>()
  for (const [value, count] of filled) {
    const own = value > interval ? count - (filled.get(value + interval) ?? 0) : count
    if (own < 0) return null
    if (own > 0) raw.set(value, own)
  }
  return raw
}

export interface WrkRunFacts {
  /** summary.duration, µs */
  runtimeUs: number
  /** summary.requests (wrk's `complete`) */
  requests: number
  /** -c, from the done() line (absent from lines our script did not print) */
  connections: number | undefined
  /** wrk's percentiles and mean, which include its fill: what is left when there is no distribution. */
  filled: LatencySummary
}

/**
 * The latency summary of one wrk run: from the raw histogram rebuilt out of the done() line
 * (percentiles at HDR's 3 significant digits, the histogram attached), or wrk's own filled
 * percentiles, with the source saying why, when the line is missing, over budget or does not invert.
 */
export function wrkLatency(text: string, facts: WrkRunFacts): LatencySummary {
  const keepFilled = (why: string): LatencySummary => ({ ...facts.filled, source: `wrk's percentiles, µs, including its coordinated-omission fill (${why})` })
  const at = text.indexOf(DISTRIBUTION_MARKER)
  if (at < 0) return keepFilled('no distribution line')
  const line = text.slice(at + DISTRIBUTION_MARKER.length).split('\n', 1)[0]!.trim()
  if (line === '-') return keepFilled(`distribution too spread to export within ${DISTRIBUTION_BUDGET / 1e6} M steps`)
  const filled = new Map<number, number>()
  for (const pair of line.split(' ').filter((p) => p !== '')) {
    const [value, count] = pair.split(':').map(Number)
    if (!Number.isInteger(value) || !Number.isInteger(count) || value! < 0 || count! < 1) {
      throw new Error(`wrk's latency distribution has a malformed entry ${JSON.stringify(pair)}`)
    }
    filled.set(value!, count!)
  }
  if (facts.connections === undefined) return keepFilled('the connection count, needed to undo the fill, is not in the done() line')
  const raw = undoFill(filled, fillInterval(facts.runtimeUs, facts.requests, facts.connections))
  if (raw === null) return keepFilled('its fill could not be undone')
  const histogram = createLatencyHistogram()
  for (const [value, count] of raw) histogram.recordValueWithCount(value, count)
  return summarizeHistogram(histogram, 'wrk, µs HDR rebuilt from its distribution, its coordinated-omission fill undone')
}
