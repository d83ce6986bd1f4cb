// The report of one results file: a Markdown page and SVG charts written next to the JSON, always
// rendered from the file (so `npm run report -- results/x.json` redraws any old run the same way).

import { writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { connectionsLinesSvg } from './charts/connections-lines.js'
import { modesBarsSvg } from './charts/modes-bars.js'
import { throughputBarsSvg } from './charts/throughput-bars.js'
import { crowdOnlyMarkdown, crowdSection } from './crowd-report.js'
import { openLoopOnlyMarkdown, openLoopReport } from './open-loop-report.js'
import { runHeader } from './run-header.js'
import { formatCpuPer1k, formatMiB, formatRatio, formatRps, formatShare, formatUs } from './format.js'
import { FAIRNESS_READING, fairnessCell, rpsCell, starvedMarkdown } from './fairness-format.js'
import type { RunResults } from '../driver/run-results.js'
import { type CellSummary, CLIENT_BOUND_SHARE, pairModes, summarize } from './summarize.js'
import { clientShare, ratioCell, roundNotes } from './table.js'
import { CEILING_SHARE, type DriverCeiling, NULL_SERVER_BOUND_SHARE, nullServerBound } from '../driver/driver-ceiling.js'

const plain = (_code: string, text: string): string => text

export interface RenderedReport {
  markdownPath: string
  svgPaths: string[]
  markdown: string
}

export function renderReport(results: RunResults, jsonPath: string): RenderedReport {
  const dir = dirname(jsonPath)
  const base = basename(jsonPath).replace(/\.json$/, '')
  const reference = results.config.reference
  const summaries = summarize(results.cells, reference, results.ceilings)

  const charts: Array<{ file: string; title: string; svg: string | null; missing: string }> = [
    { file: `${base}-throughput.svg`, title: 'Throughput per model and scenario', svg: throughputBarsSvg(summaries, reference), missing: '' },
    { file: `${base}-connections.svg`, title: 'Throughput vs connections', svg: connectionsLinesSvg(summaries), missing: 'only one concurrency level ran (try --connections=1,16,64,256)' },
    { file: `${base}-modes.svg`, title: 'Keep-alive vs close-per-request', svg: modesBarsSvg(summaries, reference), missing: 'only one connection mode ran (--mode=both)' },
  ]
  const svgPaths: string[] = []
  for (const chart of charts) {
    if (chart.svg === null || results.cells.length === 0) continue
    const path = join(dir, chart.file)
    writeFileSync(path, chart.svg)
    svgPaths.push(path)
  }
  const crowd = crowdSection(results, dir, base)
  if (crowd !== null) svgPaths.push(...crowd.svgPaths)
  const openLoop = openLoopReport(results, dir, base)
  if (openLoop !== null) svgPaths.push(...openLoop.svgPaths)
  const markdown = results.cells.length === 0 && openLoop !== null
    ? [openLoopOnlyMarkdown(results, basename(jsonPath), openLoop), ...(crowd?.lines ?? [])].join('\n')
    : crowd !== null && results.cells.length === 0
      ? crowdOnlyMarkdown(results, basename(jsonPath), crowd)
      : [reportMarkdown(results, summaries, basename(jsonPath), charts), ...(crowd?.lines ?? []), ...(openLoop?.lines ?? [])].join('\n')
  const markdownPath = join(dir, `${base}.md`)
  writeFileSync(markdownPath, markdown)
  return { markdownPath, svgPaths, markdown }
}

function reportMarkdown(results: RunResults, summaries: CellSummary[], jsonName: string, charts: Array<{ file: string; title: string; svg: string | null; missing: string }>): string {
  const { config } = results
  const reference = config.reference
  const failed = summaries.filter((s) => !s.ok)
  const lines: string[] = [
    ...runHeader(results, jsonName),
    `- ${config.models.length} models × ${config.scenarios.length} scenarios × ${config.modes.join(' + ')} × connections ${[...new Set(Object.values(config.connections).flat())].join(', ')} × ${config.repeat} repeat(s); ${config.warmupSec} s warm-up + ${config.durationSec} s measured per cell; store ${config.db.startsWith('mysql://') ? 'mysql' : 'memory'}; ${describeDrivers(results)}${config.smoke ? '; **smoke run: numbers are not meaningful**' : ''}`,
    ...(config.targets ?? []).map((t) => `- Target **${t.name}** (not started by this bench): ${t.origin}; ${t.stats !== undefined ? `CPU and RSS from its stats endpoint ${t.stats}` : 'no stats endpoint, so its CPU and RSS show —'}`),
    ...results.notes.map((n) => `- Note: ${n}`),
    '',
    failed.length === 0
      ? `All ${summaries.length} cells passed verification and ran without errors, non-2xx answers or timeouts.`
      : `**${failed.length} of ${summaries.length} cells FAILED** — they are marked ✗ below and in the charts, and have no numbers.`,
    '',
    '## How to read this',
    '',
    `- Each cell was measured in ${config.repeat} interleaved round(s): every model of a scenario × mode × concurrency group once per round, in a rotating order, its server kept across the rounds, so the same minutes of this shared machine fall on every model alike; a group where the reference ran disturbed in a round measured one more round in its place (at most ${Math.max(0, config.repeat - 1)} more). **req/s** is the median over rounds (min–max beside it).`,
    `- **req/s × ${reference ?? 'ref'}** and **CPU × ${reference ?? 'ref'}** are paired: the model divided by ${reference ?? 'the reference'} in the same round, then the median (min–max) over the rounds. Rounds where ${reference ?? 'the reference'} ran over 30% dearer per request than in its quietest round were disturbed and are set aside; a ratio whose rounds disagree by more than the CI gate's A/A floor (12% req/s, 9% CPU) is marked *noisy*: quote it with its range, or run more rounds. CPU × below 1 is cheaper per request — the steadier comparison when the client is the bottleneck.`,
    '- **Latency** percentiles come from the rounds\' merged µs HDR histograms (never a median of percentiles); close-per-request latency excludes the TCP connect, which is reported separately in the JSON (`connectUs`).',
    `- **CPU s/1k req** is the server's whole process tree (children and workers included) per 1,000 requests; it compares models even when the load client is the bottleneck. **client CPU** is the load generator's share of one core, and the cell's req/s as a share of its driver's ceiling where one was measured; ≥ ${CLIENT_BOUND_SHARE * 100}% of a core or ≥ ${CEILING_SHARE * 100}% of the ceiling is flagged *client-bound*: that number is the client's ceiling, not the server's.`,
    FAIRNESS_READING,
    '- Every cell verified status, `Date`/`Server`/`Content-Type`/`Content-Length` and the body before load; any error, non-2xx or timeout during measurement fails the cell.',
    '',
  ]
  for (const chart of charts) {
    lines.push(`## ${chart.title}`, '')
    lines.push(chart.svg === null ? `_Not drawn: ${chart.missing}._` : `![${chart.title}](${chart.file})`, '')
  }
  lines.push('## Every cell', '', ...cellsMarkdown(summaries, reference), '')
  const rounds = roundNotes(summaries)
  if (rounds.length > 0) lines.push(...rounds.map((n) => `- ${n}`), '')
  lines.push(...starvedMarkdown(summaries))
  if (results.ceilings !== undefined && results.ceilings.length > 0) lines.push(...ceilingsMarkdown(results.ceilings, config.ceilingSec), '')
  const pairs = pairModes(summaries).filter((p) => p.keepalive !== undefined && p.close !== undefined)
  if (pairs.length > 0) {
    lines.push('## Keep-alive vs close-per-request', '', 'close ÷ keep-alive: the share of throughput left when every request pays a new TCP connection.', '')
    lines.push(...table(['model', 'scenario', 'conns', 'keep-alive req/s', 'close req/s', 'close ÷ keep-alive'],
      pairs.map((p) => [p.model, p.scenario, String(p.connections), formatRps(p.keepalive!), formatRps(p.close!), formatRatio(p.closeOverKeepalive)])), '')
  }
  if (failed.length > 0) {
    lines.push('## Failed cells', '', ...failed.map((s) => `- ✗ **${s.model} · ${s.scenario} · ${s.mode} · c=${s.connections}** — ${s.failures.join('; ')} (errors ${s.errors}, non-2xx ${s.non2xx}, timeouts ${s.timeouts})`), '')
  }
  const noted = results.cells.filter((c) => c.notes !== undefined && c.notes.length > 0)
  if (noted.length > 0) {
    lines.push('## Notes on cells', '', ...noted.map((c) => `- ${c.cell.model} · ${c.cell.scenario} · ${c.cell.mode} · c=${c.cell.connections} #${c.cell.repeat}: ${c.notes!.join('; ')}`), '')
  }
  lines.push('## What was checked', '', ...checksMarkdown(results), '')
  const skipped = [...config.skipped.map((s) => `- ${s.scenario}: ${s.reason}`), ...(config.skippedCells ?? []).map((s) => `- ${s.reason}`)]
  if (skipped.length > 0) lines.push('## Left out', '', ...skipped, '')
  return lines.join('\n')
}

/** "drivers: keep-alive wrk, close-per-request close-client (--driver=auto)"; files from before `drivers` name only the flag. */
export function describeDrivers(results: Pick<RunResults, 'config' | 'drivers'>): string {
  const asked = `--driver=${results.config.driver}`
  if (results.drivers === undefined) return `keep-alive driver ${results.config.driver}`
  const modes = results.config.modes.map((mode) => `${mode === 'close' ? 'close-per-request' : 'keep-alive'} ${results.drivers![mode]}`)
  return `drivers: ${modes.join(', ')} (${asked})`
}

function cellsMarkdown(summaries: CellSummary[], reference: string | null): string[] {
  const ref = reference ?? 'ref'
  const head = ['model', 'scenario', 'mode', 'conns', 'req/s', 'min–max', `req/s × ${ref}`, 'p50', 'p90', 'p99', 'p99.9', 'max', 'err/non2xx/t.o.', 'CPU s/1k req', `CPU × ${ref}`, 'peak RSS', 'client CPU', 'connections served']
  return table(head, summaries.map((s) => {
    const key = [s.model, s.scenario, s.mode, String(s.connections)]
    const counts = `${s.errors}/${s.non2xx}/${s.timeouts}`
    if (!s.ok) return [...key, '**✗ FAILED**', '', '', '', '', '', '', '', counts, '', '', '', '', '']
    const l = s.latencyUs!
    const bold = (text: string): string => (text.startsWith('noisy') ? `*${text}*` : text)
    return [...key, rpsCell(s), s.repeats > 1 ? `${formatRps(s.rps!.min)}–${formatRps(s.rps!.max)}` : '(1 round)',
      bold(ratioCell(s.ratioSpread, s.ratio, plain)), formatUs(l.p50), formatUs(l.p90), formatUs(l.p99), formatUs(l.p999), formatUs(l.max),
      counts, formatCpuPer1k(s.cpuSecPer1k), bold(ratioCell(s.cpuRatio, s.cpuRatio?.median, plain)), formatMiB(s.peakRssBytes), `${clientShare(s)}${s.clientBound ? ' **client-bound**' : ''}`, fairnessCell(s.fairness)]
  }))
}

function ceilingsMarkdown(ceilings: readonly DriverCeiling[], seconds: number | undefined): string[] {
  return [
    '## Driver ceilings',
    '',
    `Each load client against the null server (a raw \`net\` server writing a prebuilt answer: no parser, no app) on this machine's loopback, ${seconds ?? '?'} s each before the cells. A cell at ${CEILING_SHARE * 100}% of its driver's ceiling or more is flagged *client-bound* whatever its client CPU says; a target on another host has a ceiling of its own (run \`npm run null-server\` there and add it as a \`--target\`).`,
    '',
    ...table(['driver', 'mode', 'conns', 'req/s', 'client CPU', 'null server CPU'], ceilings.map((c) => c.failure !== undefined
      ? [c.driver, c.mode, String(c.connections), `not measured: ${c.failure}`, '', '']
      : [c.driver, c.mode, String(c.connections), `${nullServerBound(c) ? '≥ ' : ''}${formatRps(c.requestsPerSec)}`, formatShare(c.clientCpuShare), `${formatShare(c.serverCpuShare)}${nullServerBound(c) ? ' (bottleneck)' : ''}`])),
    ...(ceilings.some((c) => c.failure === undefined && nullServerBound(c))
      ? ['', `≥: the null server used ${NULL_SERVER_BOUND_SHARE * 100}% of a core or more, so it set that ceiling, not the client: it is what a one-core Node server gets from the client, and a faster server (nginx, in C) can go past it.`]
      : []),
  ]
}

/** Each scenario's verification, as recorded by its first verified cell (the body's source included). */
function checksMarkdown(results: RunResults): string[] {
  const seen = new Map<string, string[]>()
  for (const c of results.cells) {
    if (c.verification?.ok === true && !seen.has(c.cell.scenario)) seen.set(c.cell.scenario, c.verification.checked)
  }
  const out = [...seen].map(([scenario, checked]) => `- **${scenario}**: ${checked.join('; ')}`)
  if (results.cells.some((c) => c.writeAudit?.ok === true)) {
    out.push('- **write audit** (after each write load): only the load\'s stock may stay followed and unfollowing it must agree (200 if it did, 409 if not); then concurrent follows and unfollows of other stocks must all answer 200 and move the focus row count by exactly their number; the table ends where it began')
  }
  return out
}

function table(head: string[], rows: string[][]): string[] {
  const cell = (s: string): string => s.replace(/\|/g, '\\|')
  return [`| ${head.map(cell).join(' | ')} |`, `|${head.map((_, i) => (i < 3 ? ' --- ' : ' ---: ')).join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)]
}
