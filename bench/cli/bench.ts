// `npm run bench`: expand the matrix, run every cell in its own server process with progress on
// stderr, write results/<timestamp>-<commit>.json, then print the tables and render the report
// from that file. Exit 0 when every cell passed, 1 when any failed (the run still completes and
// records them), 2 for bad flags.

import { fileURLToPath } from 'node:url'
import { describeCell, expandMatrix } from './matrix.js'
import { BENCH_USAGE, type BenchConfig, connectionsFor, parseBenchArgs } from './options.js'
import { Progress, type ProgressStream } from './progress.js'
import { renderReport } from './report.js'
import { type RunResults, RESULTS_SCHEMA, gitInfo, machineInfo, writeResults } from './results-file.js'
import { type CellOptions, type CellResult, runCell } from './run-cell.js'
import { summarize } from './summarize.js'
import { renderTables } from './table.js'

/** Per-cell overhead besides warm-up and measurement: server start, verification, load workers, stop (matrix.ts). */
const CELL_OVERHEAD_SEC = 1.4

export interface RunIo {
  stdout: { write(text: string): unknown; isTTY?: boolean }
  stderr: ProgressStream
  /** Test seams: another serve entry, document root or server environment. */
  serveEntry?: string
  root?: string
  serverEnv?: NodeJS.ProcessEnv
  /** Checked between cells: true stops the run after the current cell (SIGINT). */
  stopRequested?: () => boolean
}

export interface RunOutcome {
  results: RunResults
  path: string
  exitCode: number
}

export async function runBench(config: BenchConfig, io: RunIo): Promise<RunOutcome> {
  const cells = expandMatrix({
    models: config.models,
    scenarios: config.scenarios,
    modes: config.modes,
    connectionsFor: (model, scenario) => connectionsFor(config, model, scenario),
    repeat: config.repeat,
  })
  for (const note of config.notes) io.stderr.write(`note: ${note}\n`)
  io.stderr.write(`${cells.length} cells: ${config.models.length} models × ${config.scenarios.length} scenarios × ${config.modes.join('+')} × c=${[...new Set(cells.map((c) => c.connections))].sort((a, b) => a - b).join(',')} × ${config.repeat} repeat(s), ${config.warmupSec}+${config.durationSec} s each\n`)

  const cellOptions: CellOptions = {
    durationSec: config.durationSec,
    warmupSec: config.warmupSec,
    db: config.db,
    driver: config.driver,
    timeoutMs: config.timeoutMs,
    referenceModel: config.reference ?? 'node-http',
    ...(config.workers !== undefined ? { workers: config.workers } : {}),
    ...(io.serveEntry !== undefined ? { serveEntry: io.serveEntry } : {}),
    ...(io.root !== undefined ? { root: io.root } : {}),
    ...(io.serverEnv !== undefined ? { serverEnv: io.serverEnv } : {}),
  }
  const { out: _out, json: _json, notes, ...recorded } = config
  const results: RunResults = {
    schema: RESULTS_SCHEMA,
    startedAt: new Date().toISOString(),
    finishedAt: '',
    machine: machineInfo(),
    node: process.version,
    git: gitInfo(),
    config: recorded,
    notes: [...notes],
    cells: [],
  }

  const progress = new Progress(io.stderr, cells.length, config.warmupSec + config.durationSec + CELL_OVERHEAD_SEC)
  for (const [i, cell] of cells.entries()) {
    if (io.stopRequested?.() === true) {
      results.notes.push(`interrupted: ${cells.length - i} of ${cells.length} cells did not run`)
      break
    }
    progress.start(cell, i + 1)
    let result: CellResult
    try {
      result = await runCell(cell, cellOptions)
    } catch (error) {
      // runCell reports failures in its result; reaching here is a driver bug, still recorded
      result = { cell, ok: false, failure: `driver error in ${describeCell(cell)}: ${(error as Error).message}`, startedAt: new Date().toISOString(), wallSec: 0 }
    }
    results.cells.push(result)
    progress.done(result)
  }
  progress.finish()
  results.finishedAt = new Date().toISOString()

  const path = writeResults(config.out, results)
  const failed = results.cells.some((c) => !c.ok)
  const interrupted = results.cells.length < cells.length
  return { results, path, exitCode: failed || interrupted ? 1 : 0 }
}

export async function main(argv: string[], io: RunIo): Promise<number> {
  const config = parseBenchArgs(argv)
  if (config === 'help') {
    io.stdout.write(`${BENCH_USAGE}\n`)
    return 0
  }
  if (config instanceof Error) {
    io.stderr.write(`httpmodels bench: ${config.message} (see --help)\n`)
    return 2
  }
  const { results, path, exitCode } = await runBench(config, io)
  const summaries = summarize(results.cells, config.reference)
  const tables = renderTables(summaries, { color: io.stdout.isTTY === true && !config.json, reference: config.reference })
  const report = renderReport(results, path)
  const tableStream = config.json ? io.stderr : io.stdout
  tableStream.write(`${tables}\nresults: ${path}\nreport:  ${report.markdownPath}\n`)
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
