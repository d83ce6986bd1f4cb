// `npm run bench`: parse the flags, run the matrix (driver/run-bench.ts) with the progress bar
// listening on stderr, save the results file, then print the tables and render the report from it.
// Exit 0 when every cell passed, 1 when any failed (the run still completes and records them),
// 2 for bad flags.

import { fileURLToPath } from 'node:url'
import { BENCH_USAGE, parseBenchArgs } from './bench-args.js'
import { soakMain } from './soak.js'
import { Progress, type ProgressStream } from './progress.js'
import { attachCrowdProgress } from './crowd-progress.js'
import { attachOpenLoopProgress } from './open-loop-progress.js'
import { BenchEvents, runBench, type RunSeams } from '../driver/run-bench.js'
import { ceilingLine } from '../report/open-loop-report.js'
import { sustainableTables } from '../report/open-loop-tables.js'
import { renderReport } from '../report/render-report.js'
import { writeResults } from '../report/results-file.js'
import { summarize } from '../report/summarize.js'
import { renderTables } from '../report/table.js'
import { summarizeCrowds } from '../report/crowd-summary.js'
import { crowdTable } from '../report/crowd-table.js'

export interface RunIo extends RunSeams {
  stdout: { write(text: string): unknown; isTTY?: boolean }
  stderr: ProgressStream
}

export async function main(argv: string[], io: RunIo): Promise<number> {
  // a soak is another kind of run (cli/soak.ts): its own flags, one server, a long mixed load
  if (argv.some((a) => a === '--soak' || a.startsWith('--soak='))) return soakMain(argv, io)
  const config = parseBenchArgs(argv)
  if (config === 'help') {
    io.stdout.write(`${BENCH_USAGE}\n`)
    return 0
  }
  if (config instanceof Error) {
    io.stderr.write(`httpmodels bench: ${config.message} (see --help)\n`)
    return 2
  }
  const events = new BenchEvents()
  Progress.attach(events, io.stderr)
  attachCrowdProgress(events, io.stderr)
  attachOpenLoopProgress(events, io.stderr)
  const { results, exitCode } = await runBench(config, events, io)
  const path = writeResults(config.out, results)
  const summaries = summarize(results.cells, config.reference, results.ceilings)
  const color = io.stdout.isTTY === true && !config.json
  const tables = [
    ...(results.cells.length > 0 ? [renderTables(summaries, { color, reference: config.reference, ...(results.ceilings !== undefined ? { ceilings: results.ceilings } : {}) })] : []),
    ...(results.crowds !== undefined ? [crowdTable(summarizeCrowds(results.crowds), color)] : []),
    // the headline of an open-loop run comes last, where a terminal leaves it in view
    ...(results.openLoop !== undefined ? [[...sustainableTables(results.openLoop), ceilingLine(results.openLoop)].join('\n')] : []),
  ].join('\n')
  const report = renderReport(results, path)
  const tableStream = config.json ? io.stderr : io.stdout
  const hockeyStick = report.svgPaths.find((p) => p.endsWith('-latency-load.svg'))
  tableStream.write(`${tables}\nresults: ${path}\nreport:  ${report.markdownPath}\n${hockeyStick !== undefined ? `chart:   ${hockeyStick}\n` : ''}`)
  if (config.json) io.stdout.write(`${JSON.stringify(results, null, 2)}\n`)
  return exitCode
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  let interrupts = 0
  process.on('SIGINT', () => {
    // first ^C: finish the current cell and write what ran; second: stop now
    if (++interrupts > 1) process.exit(130)
    process.stderr.write('\nstopping after the current cell (^C again to abort)\n')
  })
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stopRequested: () => interrupts > 0 }).then(
    (code) => { process.exitCode = code },
    (error: unknown) => {
      process.stderr.write(`httpmodels bench: ${(error as Error).message}\n`)
      process.exitCode = 1
    },
  )
}
