// How a cell's fairness reads in the terminal table, the Markdown report and the charts, the same
// words everywhere: `starved: k of n connections` for a cell that left connections unanswered for
// more than half the measured time, its req/s never as a plain number (it came from the
// connections it served), and `unknown` where nobody counted.

import { formatRps, formatUs } from './format.js'
import { type CountedFairness, type FairnessSummary, isStarved } from './fairness-summary.js'
import type { CellSummary } from './summarize.js'

export const starvedLabel = (f: CountedFairness): string => `starved: ${f.starved} of ${f.connections} connections`

/** The fairness column: "16 of 16 served · Jain 1.00", "starved: 14 of 16 connections", or "unknown". */
export function fairnessCell(f: FairnessSummary | undefined): string {
  if (f === undefined || f.source === 'unknown') return 'unknown'
  const probe = f.source === 'probe' ? ` (${f.client} probe)` : ''
  if (f.starved > 0) return `${starvedLabel(f)}${probe}`
  return `${f.served} of ${f.connections} served · Jain ${f.jain === null ? '–' : f.jain.toFixed(2)}${probe}`
}

/** The req/s of a summarized cell as the tables print it: plain, or flagged and in parentheses when starved. */
export function rpsCell(s: CellSummary): string {
  const rps = formatRps(s.rps!.median)
  return isStarved(s.fairness) ? `✗ starved (${rps})` : rps
}

/** One sentence about a starved cell for the report: what was served, what waited, who counted. */
export function starvedSentence(s: CellSummary): string {
  const f = s.fairness
  if (!isStarved(f)) return ''
  const by = f.source === 'probe' ? `a probe with ${f.client} in the same cell (the measuring client cannot count per connection)` : `${f.client}, repeat ${f.repeat}`
  const waited = f.outstanding > 0 ? `; ${f.outstanding} requests unanswered at the end (${f.outstandingLong} of them for more than half the run), the oldest waiting ${formatUs(f.oldestOutstandingUs)}` : ''
  return `${starvedLabel(f)} — ${f.served} of ${f.connections} got any response; responses per connection min ${f.minResponses}, median ${f.medianResponses}, max ${f.maxResponses}${waited} (counted by ${by})`
}

/** The line under a table that explains its starved cells, or null when there are none. */
export function starvedFooter(summaries: readonly CellSummary[]): string | null {
  const starved = summaries.filter((s) => s.ok && isStarved(s.fairness)).length
  if (starved === 0) return null
  return `${starved} of ${summaries.length} cells STARVED connections (✗ starved): some connections got no response for more than half the measured time, `
    + 'so their req/s (in parentheses) counts only the connections they served; where their client could see unanswered requests (not wrk), latency counts each at its age, a lower bound.'
}

/** The report's section on starved cells (heading included), or nothing when none starved. */
export function starvedMarkdown(summaries: readonly CellSummary[]): string[] {
  const starved = summaries.filter((s) => isStarved(s.fairness))
  if (starved.length === 0) return []
  return ['## Starved connections', '',
    'These cells left connections without any response for more than half the measured time. Their req/s (in parentheses in the table) counts only the connections they served; it is not a throughput to compare.', '',
    ...starved.map((s) => `- ✗ **${s.model} · ${s.scenario} · ${s.mode} · c=${s.connections}** — ${starvedSentence(s)}`), '']
}

/** The report's "How to read this" line on fairness. */
export const FAIRNESS_READING = '- **connections served** counts, per cell, the connections that got at least one response and Jain\'s index of responses per connection (1 = even); a cell where any connection got no response for more than half the measured time reads **starved: k of n connections**, and its req/s is shown in parentheses. Unanswered requests count in the latency at their age, a lower bound. wrk cannot count per connection: its cells are counted by a short autocannon (or close-client) probe in the same cell, marked *probe*; `unknown` means nobody counted (older results files).'
