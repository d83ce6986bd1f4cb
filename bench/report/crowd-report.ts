// The many-connections section of a run's Markdown report, and its two charts written beside it,
// rendered from RunResults.crowds alone (render-report.ts appends it; a run of crowds only gets a
// page of its own from crowdOnlyMarkdown).

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { RunResults } from '../driver/run-results.js'
import { runHeader } from './run-header.js'
import { memoryPerConnectionSvg } from './charts/memory-per-connection-bars.js'
import { probeP99LinesSvg } from './charts/probe-p99-lines.js'
import { type CrowdSummary, summarizeCrowds } from './crowd-summary.js'
import { HELD_HEAD, heldRow, TAKE_IN_HEAD, takeInRow } from './crowd-table.js'

export interface CrowdSection {
  lines: string[]
  svgPaths: string[]
}

/** The section, its charts written into `dir` as `<base>-crowd-*.svg`; null when the run had no crowds. */
export function crowdSection(results: RunResults, dir: string, base: string): CrowdSection | null {
  if (results.crowds === undefined || results.crowds.length === 0) return null
  const summaries = summarizeCrowds(results.crowds)
  const first = results.crowds.find((c) => c.probe !== undefined && c.cell.model !== 'fork')
  const rate = first?.probe?.ratePerSec ?? 0
  const forkRate = results.crowds.find((c) => c.probe !== undefined && c.cell.model === 'fork')?.probe?.ratePerSec
  const timeout = (first?.probe?.timeoutMs ?? 0) / 1000
  const charts = [
    { file: `${base}-crowd-probe.svg`, title: 'Probe p99 against crowd size', svg: probeP99LinesSvg(summaries) },
    { file: `${base}-crowd-memory.svg`, title: 'Memory per held connection', svg: memoryPerConnectionSvg(summaries) },
  ]
  const svgPaths: string[] = []
  for (const chart of charts) {
    if (chart.svg === null) continue
    writeFileSync(join(dir, chart.file), chart.svg)
    svgPaths.push(join(dir, chart.file))
  }
  const lines = [
    '## Many connections: idle crowds, slow clients',
    '',
    'Each row is one model holding a crowd of N connections against a fresh server: `idle` (each made one keep-alive request, then waits), `slowloris` (a request head that gains one header line a second and never ends) or `slow-reader` (the large file, read at ~10 KB/s). '
      + `Meanwhile a **probe** opens a fresh connection ${rate} times a second for one ordinary request, and its latency runs from the *intended* send time, so a stalled server cannot hide the stall; a probe unanswered after ${timeout} s is counted as **no answer in ${timeout} s** and is never a latency.`
      + (forkRate === undefined ? '' : ` fork's probe runs at ${forkRate}/s: each probe is a new process there, and more would measure the probe's own overload.`),
    '',
    '- **Taking the crowd in** (the burst: all N connect at once): *take-in time* runs from the burst to the last connection in (idle: answered; slowloris: connected and writing; slow-reader: its first byte arrived). Connections the server **refused, reset or closed unanswered** are counted; *waiting* ones sit in a queue of the server\'s. *SYNs dropped* is the kernel\'s ListenOverflows meanwhile (machine-wide): a full accept queue drops the handshake and the client retries after 1, 2, 4… s.',
    '- **The crowd held**: after a 1 s settle, for the measured duration. *RSS per connection* is (server RSS held − before) / connections held, whole process tree, both read with the probe paused and the tree settled (fork starts a process per probe); *kernel TCP per connection* is the machine-wide socket-buffer memory over the same span (data in flight lives there, not in RSS). *One sweep over the crowd* is the nonblocking model\'s pass over every client (an EAGAIN read each): *in the server*, the median of its own timing of its recent passes over the whole held crowd (its stats endpoint), with the steady probe p99 in such passes; *replica*, the same reads replayed on the crowd\'s own sockets beside it, for every model: the unit a polling loop pays per newcomer.',
    '',
    '### Taking the crowd in',
    '',
    ...table(TAKE_IN_HEAD, summaries.map(takeInRow)),
    '',
    '### The crowd held',
    '',
    ...table(HELD_HEAD, summaries.map(heldRow)),
    '',
    ...charts.flatMap((c) => (c.svg === null ? [] : [`![${c.title}](${c.file})`, ''])),
    ...notRun(summaries),
  ]
  return { lines, svgPaths }
}

function notRun(summaries: CrowdSummary[]): string[] {
  const skipped = summaries.filter((s) => s.skipped !== undefined).map((s) => `- ${s.model} · ${s.scenario} · N=${s.connections}: not run: ${s.skipped}`)
  const failed = summaries.filter((s) => !s.ok && s.skipped === undefined).map((s) => `- ✗ **${s.model} · ${s.scenario} · N=${s.connections}** — ${s.failures.join('; ')}`)
  return [...(skipped.length + failed.length > 0 ? ['### Not run or failed', '', ...skipped, ...failed, ''] : [])]
}

/** A whole page for a run that measured crowds only (no closed-loop cells). */
export function crowdOnlyMarkdown(results: RunResults, jsonName: string, section: CrowdSection): string {
  return [
    ...runHeader(results, jsonName),
    `- ${results.config.durationSec} s held per crowd cell; ${results.config.repeat} repeat(s)`,
    ...results.notes.map((n) => `- Note: ${n}`),
    '',
    ...section.lines,
  ].join('\n')
}

function table(head: string[], rows: string[][]): string[] {
  const cell = (s: string): string => s.replace(/\|/g, '\\|')
  return [`| ${head.map(cell).join(' | ')} |`, `|${head.map((_, i) => (i < 3 ? ' --- ' : ' ---: ')).join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)]
}
