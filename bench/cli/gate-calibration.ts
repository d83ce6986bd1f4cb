// CLI: the proof issue 5 asks for, as counts: `node dist/bench/cli/gate-calibration.js [--runs=10]
// [--model=eventloop] [--slowdown-pct=25]` runs `bench:check` --runs times on unchanged code (A/A:
// every run must pass), then --runs times with one model's servers slowed by the test-only knob
// (at least 9 in 10 must fail), each as its own process exactly as CI runs it, and writes every
// record plus a summary to results/gate-calibration/. `--summarize=DIR` writes DIR's summary again
// from the records there (after the summary's format changed, say), measuring nothing.
//
// "25% slower" is taken as 25% more server CPU per request: the knob burns 0.25 × the model's CPU
// per request on its cheapest checked cell (hello), measured in the A/A phase just before (so
// under the same machine conditions as the slowed runs; the baseline's figure when the A/A phase
// is skipped). A first attempt took the baseline's figure, recorded under a load average of ~10,
// where the model cost 15.7 µs/request against ~12.5 µs on a quieter machine: its "25%" was ~31%.
// On cells where the model does more work per request (static) the same µs are a smaller share.

import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { readBaseline } from '../gate/baseline.js'
import { FlagError, numberFlag, readFlags, stringFlag } from './flags.js'
import { sameMachineKind } from '../gate/run-check.js'
import { describeCheckCell } from '../gate/plan.js'
import type { RatioSamples } from '../gate/rounds.js'
import { quietLevel, withoutDisturbed } from '../gate/disturbed-rounds.js'
import type { CheckCellVerdict } from '../gate/verdict.js'
import { defaultResultsDir, repoRoot } from '../host/paths.js'
import { runContext } from '../host/run-context.js'
import { median } from '../stats/descriptive.js'

interface CheckRecord {
  passed: boolean
  samples: { first: RatioSamples[] }
  elapsedSec: number
  verdicts: CheckCellVerdict[]
  confirmations: CheckCellVerdict[]
  regressions: string[]
  /** Suspects neither confirmed nor cleared; absent in records from before it. */
  unconfirmed?: string[]
  failures: string[]
  /** Rounds left out as disturbed (disturbed-rounds.ts); absent in records from before it. */
  disturbed?: string[]
  /** Cells whose first pass had no quiet round; absent in records from before it. */
  blind?: string[]
  loadAverage: { before: number; after: number }
}

interface RunSummary {
  phase: 'A/A' | 'slowed'
  run: number
  exitCode: number | null
  record?: CheckRecord
  file: string
}

let current: ChildProcess | undefined

// Stopping the calibration stops the check it is running (which stops its servers).
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.once(signal, () => {
    current?.kill('SIGTERM')
    process.exit(code)
  })
}

function runCheck(args: string[], logFile: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(logFile)
    const child = spawn(process.execPath, [join(repoRoot(), 'dist', 'bench', 'cli', 'check.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    current = child
    child.stdout.pipe(log, { end: false })
    child.stderr.pipe(log, { end: false })
    child.on('error', reject)
    child.on('close', (code) => {
      log.end()
      resolve(code)
    })
  })
}

const pct = (x: number | undefined): string => (x === undefined ? '—' : `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}%`)

function row(r: RunSummary): string {
  const rec = r.record
  if (rec === undefined) return `| ${r.phase} ${r.run} | exit ${r.exitCode}, no record | | | | | |`
  const cells = rec.verdicts
    .map((v) => `${v.cell.model}/${v.cell.scenario}: req/s ${pct(v.throughput?.change)}, CPU ${pct(v.cpu?.change)}${v.status === 'failed' ? ' FAILED' : ''}`)
    .join('<br>')
  const confirm = rec.confirmations.length === 0
    ? '—'
    : rec.confirmations.map((v) => `${v.cell.model}/${v.cell.scenario}: req/s ${pct(v.throughput?.change)}, CPU ${pct(v.cpu?.change)}`).join('<br>')
  const verdict = rec.passed ? 'pass' : rec.regressions.length > 0 ? 'FAIL (regression)' : (rec.unconfirmed?.length ?? 0) > 0 ? 'FAIL (unconfirmed suspect)' : 'FAIL (run failed)'
  const disturbed = rec.disturbed === undefined || rec.disturbed.length === 0 ? '—' : rec.disturbed.map((line) => line.replace(/ \(node-http µs.*$/, '')).join('<br>')
  return `| ${r.phase} ${r.run} | ${verdict} | ${cells} | ${confirm} | ${disturbed} | ${Math.round(rec.elapsedSec)} s | ${rec.loadAverage.before.toFixed(1)} → ${rec.loadAverage.after.toFixed(1)} |`
}

/** Why a check failed: a confirmed regression, else a suspect left unconfirmed, else anything
 * else (a failed run, a crash). */
function failedWith(s: RunSummary): 'regressions' | 'unconfirmed' | 'other' {
  if (s.exitCode === 1 && (s.record?.regressions.length ?? 0) > 0) return 'regressions'
  if (s.exitCode === 1 && (s.record?.unconfirmed?.length ?? 0) > 0) return 'unconfirmed'
  return 'other'
}

/** Whether a check judged some cell on disturbed rounds only (told by the record's own list, or
 * for records from before it, by its "no round of N undisturbed" first-pass lines). */
const isBlind = (s: RunSummary): boolean =>
  (s.record?.blind?.length ?? 0) > 0 || (s.record?.disturbed ?? []).some((line) => /\(first pass\): (no round of \d+|only 0 of \d+ rounds) undisturbed/.test(line))

const countOf = (runs: readonly RunSummary[], kind: 'regressions' | 'unconfirmed'): number =>
  runs.filter((s) => s.exitCode !== 0 && failedWith(s) === kind).length

async function main(): Promise<void> {
  const flags = readFlags(process.argv.slice(2), { runs: 'value', model: 'value', 'slowdown-pct': 'value', phase: 'value', out: 'value', summarize: 'value' })
  const again = stringFlag(flags, 'summarize')
  if (again !== undefined) {
    summarizeAgain(again)
    return
  }
  const runs = numberFlag(flags, 'runs', 10, { min: 1, max: 100, integer: true })
  const model = stringFlag(flags, 'model') ?? 'eventloop'
  const slowdownPct = numberFlag(flags, 'slowdown-pct', 25, { min: 1, max: 1000 })
  const phase = stringFlag(flags, 'phase') ?? 'both'
  if (!['aa', 'slowed', 'both'].includes(phase)) throw new FlagError(`--phase must be aa, slowed or both, got "${phase}"`)
  const outDir = stringFlag(flags, 'out') ?? join(defaultResultsDir(), 'gate-calibration')
  mkdirSync(outDir, { recursive: true })

  const baseline = readBaseline(join(defaultResultsDir(), 'baseline.json'))
  const modelCells = baseline.cells.filter((c) => c.cell.model === model)
  if (modelCells.length === 0) throw new FlagError(`--model=${model} has no cell in the baseline`)
  const cheapest = modelCells.reduce((a, b) => (b.absolute.modelCpuUsPerRequest < a.absolute.modelCpuUsPerRequest ? b : a))
  let cpuUs = cheapest.absolute.modelCpuUsPerRequest
  let cpuSource = 'the baseline'
  let us = 0

  const summaries: RunSummary[] = []
  const phases: Array<'A/A' | 'slowed'> = phase === 'aa' ? ['A/A'] : phase === 'slowed' ? ['slowed'] : ['A/A', 'slowed']
  for (const p of phases) {
    if (p === 'slowed') {
      // Quiet rounds only, told apart as the check does (the baseline's node-http cost counts on
      // the same kind of machine): a disturbed round's CPU figure would size the "25%" too large.
      const anchor = sameMachineKind(baseline, runContext(repoRoot())) ? cheapest.absolute.referenceCpuUsPerRequest : Infinity
      const measured = summaries.flatMap((x) => x.record?.samples.first ?? [])
        .filter((c) => c.cell.model === model && c.cell.scenario === cheapest.cell.scenario)
        .flatMap((c) => {
          const quiet = withoutDisturbed(c, Math.min(quietLevel([c]), anchor))
          return quiet.quiet > 0 ? quiet.samples.modelCpuUs : [] // no quiet round: all disturbed, none taken
        })
      if (measured.length > 0) {
        cpuUs = median(measured)
        cpuSource = `the A/A phase (median of ${measured.length} rounds)`
      }
      us = Math.round(cpuUs * slowdownPct) / 100
      process.stderr.write(`slowdown: ${slowdownPct}% of ${model}'s ${cpuUs.toFixed(2)} µs CPU/request on ${describeCheckCell(cheapest.cell)} (from ${cpuSource}) = ${us} µs\n`)
    }
    for (let i = 1; i <= runs; i++) {
      const tag = tagOf(p, i)
      const file = join(outDir, `${tag}.json`)
      const args = [`--out=${file}`, ...(p === 'slowed' ? [`--inject-slowdown=${model}:${us}`] : [])]
      const exitCode = await runCheck(args, join(outDir, `${tag}.log`))
      const summary: RunSummary = { phase: p, run: i, exitCode, file, ...readRecord(file) }
      summaries.push(summary)
      process.stderr.write(`${row(summary)}\n`)
    }
  }

  writeSummary(outDir, {
    command: `node dist/bench/cli/gate-calibration.js --runs=${runs} --model=${model} --slowdown-pct=${slowdownPct}`,
    generatedAt: new Date().toISOString(),
    baselineLine: `commit ${baseline.context.commit.slice(0, 12)}, ${baseline.context.machine.cpuModel} × ${baseline.context.machine.cores}, Node ${baseline.context.node}, recorded ${baseline.createdAt}`,
    runs, model, slowdownPct, slowdownUs: us, modelCpuUsPerRequest: cpuUs, cpuSource, sizedOn: describeCheckCell(cheapest.cell),
  }, summaries)
}

/** What a summary says besides the checks themselves (kept in summary.json, so --summarize can
 * write the summary again from the records). */
interface SummaryMeta {
  command: string
  generatedAt: string
  baselineLine: string
  runs: number
  model: string
  slowdownPct: number
  slowdownUs: number
  modelCpuUsPerRequest: number
  cpuSource: string
  sizedOn: string
  summarizedAgainAt?: string
}

function writeSummary(outDir: string, meta: SummaryMeta, summaries: readonly RunSummary[]): void {
  const { model, slowdownPct, slowdownUs: us, modelCpuUsPerRequest: cpuUs, cpuSource } = meta
  const aa = summaries.filter((s) => s.phase === 'A/A')
  const slowed = summaries.filter((s) => s.phase === 'slowed')
  const elapsed = summaries.flatMap((s) => (s.record ? [s.record.elapsedSec] : []))
  const lines = [
    `# bench:check calibration runs`,
    '',
    `Generated by \`${meta.command}\` on ${meta.generatedAt}${meta.summarizedAgainAt !== undefined ? ` (this summary written again from the records on ${meta.summarizedAgainAt})` : ''}.`,
    `Baseline: ${meta.baselineLine}.`,
    ...(slowed.length > 0 ? [`Injected slowdown: HTTPMODELS_SLOWDOWN_US=${us} in ${model}'s servers only (${slowdownPct}% of its ${cpuUs.toFixed(2)} µs CPU/request on ${meta.sizedOn}, from ${cpuSource}).`] : []),
    '',
    ...(aa.length > 0 ? [`**A/A (no slowdown): ${aa.filter((s) => s.exitCode === 0).length} of ${aa.length} checks passed.**`] : []),
    ...(slowed.length > 0 ? [`**Slowed ${model}: ${slowed.filter((s) => s.exitCode !== 0).length} of ${slowed.length} checks failed: ${countOf(slowed, 'regressions')} with a confirmed regression, ${countOf(slowed, 'unconfirmed')} with a suspect the disturbed machine or the budget left unconfirmed, ${slowed.filter((s) => s.exitCode !== 0 && failedWith(s) === 'other').length} otherwise.**`] : []),
    ...(aa.some((s) => s.exitCode !== 0) ? [`A/A failures: ${countOf(aa, 'regressions')} with a confirmed regression, ${countOf(aa, 'unconfirmed')} with an unconfirmed suspect.`] : []),
    `Checks with a cell whose first pass had no quiet round (judged on disturbed rounds only, where a slowdown reads as a speed-up): A/A ${aa.filter(isBlind).length}, slowed ${slowed.filter(isBlind).length}.`,
    ...(elapsed.length > 0 ? [`Check wall time: median ${Math.round(median(elapsed))} s, max ${Math.round(Math.max(...elapsed))} s (budget 300 s).`] : []),
    '',
    '| run | verdict | first pass: change of the ratio to node-http vs baseline | confirmation rounds | disturbed rounds left out | time | load avg (1 min) |',
    '|---|---|---|---|---|---|---|',
    ...summaries.map(row),
    '',
  ]
  writeFileSync(join(outDir, 'summary.md'), lines.join('\n'))
  writeFileSync(join(outDir, 'summary.json'), `${JSON.stringify({ ...meta, summaries: summaries.map(({ record, ...s }) => ({ ...s, passed: record?.passed, regressions: record?.regressions, unconfirmed: record?.unconfirmed, failures: record?.failures, elapsedSec: record?.elapsedSec, loadAverage: record?.loadAverage, verdicts: record?.verdicts, confirmations: record?.confirmations, disturbed: record?.disturbed, blind: record?.blind })) }, null, 2)}\n`)
  process.stderr.write(`${lines.slice(0, 11).join('\n')}\nwritten: ${join(outDir, 'summary.md')}\n`)
}

/** The name of a check's record and log: aa-01, slowed-10. */
const tagOf = (phase: RunSummary['phase'], run: number): string => `${phase === 'A/A' ? 'aa' : 'slowed'}-${String(run).padStart(2, '0')}`

/** The record a check wrote, if it finished (a check writes its record last). */
function readRecord(file: string): { record?: CheckRecord } {
  try {
    return { record: JSON.parse(readFileSync(file, 'utf8')) as CheckRecord }
  } catch {
    return {}
  }
}

/** `--summarize=DIR`: write DIR's summary again from its check records, measuring nothing. The
 * knob's size and the run's description come from DIR/summary.json as the measuring run wrote it. */
function summarizeAgain(dir: string): void {
  const path = join(dir, 'summary.json')
  let old: SummaryMeta & { summaries: Array<{ phase: RunSummary['phase']; run: number; exitCode: number | null }> }
  try {
    old = JSON.parse(readFileSync(path, 'utf8')) as typeof old
  } catch (error) {
    throw new FlagError(`--summarize: cannot read ${path}: ${(error as Error).message}`)
  }
  const missing = (['command', 'generatedAt', 'baselineLine', 'sizedOn', 'slowdownUs', 'modelCpuUsPerRequest', 'cpuSource'] as const).filter((k) => old[k] === undefined)
  if (missing.length > 0 || !Array.isArray(old.summaries)) {
    throw new FlagError(`--summarize: ${path} lacks ${missing.length > 0 ? missing.join(', ') : 'summaries'} (written by an older runner)`)
  }
  const summaries: RunSummary[] = old.summaries.map((s) => {
    const file = join(dir, `${tagOf(s.phase, s.run)}.json`)
    return { phase: s.phase, run: s.run, exitCode: s.exitCode, file, ...readRecord(file) }
  })
  const { summaries: _, ...meta } = old
  writeSummary(dir, { ...meta, summarizedAgainAt: new Date().toISOString() }, summaries)
}

main().catch((error: unknown) => {
  process.stderr.write(`gate-calibration: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(error instanceof FlagError ? 2 : 1)
})
