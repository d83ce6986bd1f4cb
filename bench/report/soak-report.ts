// A soak as Markdown: the command, machine and date; the RSS and open-fd verdicts with their
// slopes; the load each scenario got; and the samples (thinned to at most 40 rows).

import type { SoakConfig, SoakRun } from '../driver/run-soak.js'
import { stampLine, type RunStamp } from './run-stamp.js'

export interface SoakResults extends RunStamp {
  kind: 'soak'
  config: SoakConfig
  run: SoakRun
}

const MAX_ROWS = 40
const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1)
const num = (n: number | undefined, digits = 2): string => (n === undefined ? '–' : n.toFixed(digits))

/** One line per verdict, for the terminal and the report. */
export function soakSummary(run: SoakRun): string {
  const lost = run.serverSurvived && run.exit.code === 0 && run.exit.leftoverPids.length === 0 ? '' : ` — the server did not live through it cleanly (exit ${run.exit.code}, signal ${run.exit.signal}, ${run.exit.leftoverPids.length} left over)`
  return [
    `soak ${run.model}, ${(run.durationSec / 60).toFixed(1)} min, ${run.samples.length} samples${lost}`,
    `  RSS: ${num(run.rss.slopePerMin)} MiB/min — ${run.rss.why}`,
    `  open fds: ${num(run.fds.slopePerMin)} fds/min — ${run.fds.why}`,
    ...(run.writeAudit ? [`  write audit: ${run.writeAudit.ok ? 'exact' : run.writeAudit.failure}`] : []),
  ].join('\n')
}

export function renderSoakReport(results: SoakResults): string {
  const { run, config } = results
  const byScenario = new Map<string, { slices: number; requests: number; seconds: number; non2xx: number; errors: number; timeouts: number; driver: string; connections: number }>()
  for (const s of run.slices) {
    const t = byScenario.get(s.scenario) ?? { slices: 0, requests: 0, seconds: 0, non2xx: 0, errors: 0, timeouts: 0, driver: s.driver, connections: s.connections }
    byScenario.set(s.scenario, { ...t, slices: t.slices + 1, requests: t.requests + s.requests, seconds: t.seconds + s.durationSec, non2xx: t.non2xx + s.non2xx, errors: t.errors + s.errors, timeouts: t.timeouts + s.timeouts })
  }
  const step = Math.max(1, Math.ceil(run.samples.length / MAX_ROWS))
  const shown = run.samples.filter((_, i) => i % step === 0 || i === run.samples.length - 1)
  const first = run.samples[0]
  const last = run.samples.at(-1)
  return [
    `# Soak: ${run.model}, ${(run.durationSec / 60).toFixed(1)} min`,
    '',
    stampLine(results),
    '',
    `Scenarios in turn, ${config.sliceSec} s each: ${config.scenarios.join(', ')}; store ${config.db === 'memory' ? 'memory' : 'mysql'}; ` +
      `RSS and open fds of the server's whole process tree every ${config.sampleSec} s. Slopes are least-squares fits over the samples after the first 20% of the run (the warm-up); ` +
      'RSS looks like a leak when it grew by 10% of its level over the measured time and still rose in the second half; open fds when they grew by 10.',
    '',
    '| | start | end | slope after warm-up | second half | verdict |',
    '|---|---:|---:|---:|---:|---|',
    `| RSS (MiB) | ${first ? mib(first.rssBytes) : '–'} | ${last ? mib(last.rssBytes) : '–'} | ${num(run.rss.slopePerMin)} /min (R² ${num(run.rss.r2)}) | ${num(run.rss.secondHalfSlopePerMin)} /min | ${run.rss.suspected ? '**leak suspected**' : 'no leak seen'} |`,
    `| open fds | ${first?.openFds ?? '–'} | ${last?.openFds ?? '–'} | ${num(run.fds.slopePerMin)} /min (R² ${num(run.fds.r2)}) | ${num(run.fds.secondHalfSlopePerMin)} /min | ${run.fds.suspected ? '**leak suspected**' : 'no leak seen'} |`,
    '',
    `RSS: ${run.rss.why}. Open fds: ${run.fds.why}.` +
      `${run.writeAudit ? ` Write audit after the last slice: ${run.writeAudit.ok ? 'exact' : run.writeAudit.failure}.` : ''}` +
      ` Server: ${run.serverSurvived ? 'every process it started with lived through the soak' : '**lost a process during the soak**'}, stopped with exit ${run.exit.code}${run.exit.leftoverPids.length > 0 ? `, ${run.exit.leftoverPids.length} processes left over` : ''}.`,
    '',
    '| scenario | turns | connections | client | requests | req/s | non-2xx | errors | timeouts |',
    '|---|---:|---:|---|---:|---:|---:|---:|---:|',
    ...[...byScenario].map(([name, t]) => `| ${name} | ${t.slices} | ${t.connections} | ${t.driver} | ${t.requests} | ${Math.round(t.requests / Math.max(t.seconds, 1e-9))} | ${t.non2xx} | ${t.errors} | ${t.timeouts} |`),
    '',
    `Samples${step > 1 ? ` (one in ${step} of ${run.samples.length}, and the last)` : ''}:`,
    '',
    '| s | scenario | processes | RSS MiB | open fds |',
    '|---:|---|---:|---:|---:|',
    ...shown.map((s) => `| ${s.atSec.toFixed(1)} | ${s.scenario} | ${s.processes} | ${mib(s.rssBytes)} | ${s.openFds} |`),
    '',
  ].join('\n')
}
