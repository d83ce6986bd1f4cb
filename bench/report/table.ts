// The terminal tables (cli-table3, laid out like autocannon's lib/printResult.js): one row per
// cell, then keep-alive against close-per-request per model when both modes ran. Colour only on
// a TTY (autocannon swaps in a no-colour table when chalk.level is 0); a failed cell is a row
// that says FAILED and why, never a number.

import Table from 'cli-table3'
import { formatCpuPer1k, formatMiB, formatRatio, formatRps, formatShare, formatUs } from './format.js'
import { fairnessCell, rpsCell, starvedFooter } from './fairness-format.js'
import { isStarved } from './fairness-summary.js'
import type { CellSummary, ModePair } from './summarize.js'
import type { RatioSpread } from '../stats/paired-rounds.js'
import { CEILING_SHARE, type DriverCeiling, nullServerBound } from '../driver/driver-ceiling.js'
import { pairModes } from './summarize.js'

const RED = '\u001b[31;1m'
const YELLOW = '\u001b[33m'
const RESET = '\u001b[0m'

export interface TableOptions {
  color: boolean
  /** The reference model's name for the ratio column header. */
  reference: string | null
  /** The run's driver ceilings, printed under the tables. */
  ceilings?: readonly DriverCeiling[]
}

function newTable(head: string[], color: boolean, colAligns: Array<'left' | 'right'>): Table.Table {
  // compact: no rule between rows, so a full matrix fits a screen
  return new Table({ head, colAligns, style: color ? { head: ['cyan'], border: ['grey'], compact: true } : { head: [], border: [], compact: true } })
}

export function cellsTable(summaries: readonly CellSummary[], options: TableOptions): string {
  const paint = (code: string, text: string): string => (options.color ? `${code}${text}${RESET}` : text)
  const ref = options.reference ?? 'ref'
  const head = ['model', 'scenario', 'mode', 'conns', 'req/s', 'min–max', `req/s × ${ref}`, 'p50', 'p90', 'p99', 'p99.9', 'max',
    'err/non2xx/t.o.', 'CPU s/1k req', `CPU × ${ref}`, 'peak RSS', 'client CPU', 'connections served']
  const table = newTable(head, options.color, ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left'])
  for (const s of summaries) {
    const key = [s.model, s.scenario, s.mode, String(s.connections)]
    if (!s.ok) {
      const counts = `${s.errors}/${s.non2xx}/${s.timeouts}`
      table.push([...key, { colSpan: 8, content: paint(RED, `✗ FAILED: ${shorten(s.failures.join('; '), 110)}`) }, counts, { colSpan: 5, content: '' }])
      continue
    }
    const l = s.latencyUs!
    const share = clientShare(s)
    const client = s.clientBound ? paint(YELLOW, `${share} client-bound`) : share
    const starved = isStarved(s.fairness)
    table.push([
      ...key,
      starved ? paint(RED, rpsCell(s)) : rpsCell(s),
      s.repeats > 1 ? `${formatRps(s.rps!.min)}–${formatRps(s.rps!.max)}` : '(1 round)',
      ratioCell(s.ratioSpread, s.ratio, paint),
      formatUs(l.p50), formatUs(l.p90), formatUs(l.p99), formatUs(l.p999), formatUs(l.max),
      `${s.errors}/${s.non2xx}/${s.timeouts}`,
      formatCpuPer1k(s.cpuSecPer1k),
      ratioCell(s.cpuRatio, s.cpuRatio?.median, paint),
      formatMiB(s.peakRssBytes),
      client,
      starved ? paint(RED, fairnessCell(s.fairness)) : fairnessCell(s.fairness),
    ])
  }
  return table.toString()
}

/** Keep-alive vs close: req/s of each and their ratio; null when the run had only one mode. */
export function modesTable(summaries: readonly CellSummary[], options: TableOptions): string | null {
  const pairs = pairModes(summaries).filter((p) => p.keepalive !== undefined || p.close !== undefined)
  const hasBoth = summaries.some((s) => s.mode === 'keepalive') && summaries.some((s) => s.mode === 'close')
  if (!hasBoth || pairs.length === 0) return null
  const table = newTable(['model', 'scenario', 'conns', 'keep-alive req/s', 'close req/s', 'close ÷ keep-alive'], options.color, ['left', 'left', 'right', 'right', 'right', 'right'])
  for (const p of pairs) table.push([p.model, p.scenario, String(p.connections), rpsOrFailed(p, 'keepalive'), rpsOrFailed(p, 'close'), p.closeOverKeepalive === undefined ? 'n/a' : formatRatio(p.closeOverKeepalive)])
  return table.toString()
}

/** The client's CPU share, and its share of the driver's ceiling when one was measured: "71% · 93% of ceiling". */
export const clientShare = (s: CellSummary): string =>
  `${formatShare(s.clientCpuShare)}${s.ceilingShare === undefined ? '' : ` · ${formatShare(s.ceilingShare)} of ceiling`}`

/** One line per driver ceiling, under a heading that says what they are and what the flag means. */
export function ceilingLines(ceilings: readonly DriverCeiling[]): string[] {
  return [
    `driver ceilings (against the null server on this machine's loopback; a cell at ${CEILING_SHARE * 100}% of its driver's ceiling or more is client-bound):`,
    ...ceilings.map((c) => `  ${c.driver} ${c.mode} c=${c.connections}: ${c.failure !== undefined ? `not measured (${c.failure})` : `${formatRps(c.requestsPerSec)} req/s, client CPU ${formatShare(c.clientCpuShare)}, null server CPU ${formatShare(c.serverCpuShare)}${nullServerBound(c) ? ` (the null server was the bottleneck: ${c.driver} can do more)` : ''}`}`),
  ]
}

const rpsOrFailed = (p: ModePair, mode: 'keepalive' | 'close'): string => (p[mode] === undefined ? 'failed/starved/not run' : formatRps(p[mode]!))

/** A paired ratio: its median, the rounds' range when there were several, and `noisy` (yellow)
 * when a round strayed past the A/A floor — then the median is not a number to quote alone. */
export function ratioCell(spread: RatioSpread | undefined, value: number | undefined, paint: (code: string, text: string) => string): string {
  if (value === undefined) return 'n/a'
  if (spread === undefined || spread.perRound.length < 2) return formatRatio(value)
  const text = `${formatRatio(value)} (${spread.min.toFixed(2)}–${spread.max.toFixed(2)})`
  return spread.noisy ? paint(YELLOW, `noisy ${text}`) : text
}

const shorten = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`)

/** What the ratio columns rest on: paired rounds, how many were set aside as disturbed, which are noisy. */
export function roundNotes(summaries: readonly CellSummary[]): string[] {
  const paired = summaries.filter((s) => s.ratioSpread !== undefined && s.ratioSpread.perRound.length > 1)
  if (paired.length === 0) return []
  const rounds = Math.max(...summaries.map((s) => s.repeats))
  const lines = [`ratios are paired: model ÷ reference in the same round, median (min–max) over up to ${rounds} interleaved rounds; CPU × ref below 1 is cheaper per request`]
  const disturbed = summaries.filter((s) => (s.disturbedRounds?.length ?? 0) > 0)
  const groups = new Map<string, number[]>()
  for (const s of disturbed) groups.set(`${s.scenario} ${s.mode} c=${s.connections}`, s.disturbedRounds!)
  if (groups.size > 0) lines.push(`disturbed rounds set aside (the reference ran >30% dearer per request than its quietest round): ${[...groups].map(([g, r]) => `${g}: round ${r.join(', ')}`).join('; ')}`)
  const blind = summaries.filter((s) => s.judgedOnDisturbed === true)
  if (blind.length > 0) lines.push(`no quiet round at all, ratios judged on disturbed rounds: ${[...new Set(blind.map((s) => `${s.scenario} ${s.mode} c=${s.connections}`))].join('; ')}`)
  const noisy = summaries.filter((s) => s.ratioSpread?.noisy === true || s.cpuRatio?.noisy === true)
  if (noisy.length > 0) lines.push(`noisy (a round strayed past the A/A floor: 12% req/s, 9% CPU): ${noisy.map((s) => `${s.model} ${s.scenario} ${s.mode}`).join('; ')} — quote these with their range or run more rounds`)
  return lines
}

/** Everything printed at the end of a run, in order. */
export function renderTables(summaries: readonly CellSummary[], options: TableOptions): string {
  const parts = [cellsTable(summaries, options)]
  const modes = modesTable(summaries, options)
  if (modes !== null) parts.push('keep-alive vs close-per-request (close ÷ keep-alive: what a new TCP connection per request costs)', modes)
  if (options.ceilings !== undefined && options.ceilings.length > 0) parts.push(...ceilingLines(options.ceilings))
  const failed = summaries.filter((s) => !s.ok).length
  parts.push(...roundNotes(summaries))
  const starved = starvedFooter(summaries)
  if (starved !== null) parts.push(starved)
  parts.push(failed === 0
    ? `${summaries.length} cells, all passed verification and ran without errors.`
    : `${failed} of ${summaries.length} cells FAILED (see the rows marked ✗); their numbers are not shown.`)
  return parts.join('\n')
}
