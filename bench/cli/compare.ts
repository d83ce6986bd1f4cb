// CLI: `npm run bench:compare -- --base=<git-ref> [--model …] [--scenario …] [--runs=N] …`
// Node's benchmark/compare.js for this project: build the base ref in a temporary git worktree,
// run base and current interleaved (each run a fresh server process; the load client is always
// this tree's), and judge each cell with Welch's t-test (compare/verdict.ts). Exit 1 when a cell is
// significantly and practically worse, 2 on bad flags. The worktree is removed on every exit path.

import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runAB, type RunSide } from '../compare/ab-runs.js'
import { COMPARE_USAGE, parseCompareArgs, type CompareArgs } from './compare-args.js'
import { renderCompareTable } from '../compare/table.js'
import { compareExitCode, judgeCell } from '../compare/verdict.js'
import { FlagError } from './flags.js'
import { defaultResultsDir, defaultServeEntry, repoRoot } from '../host/paths.js'
import { runCell } from '../driver/run-cell.js'
import { runContext } from '../host/run-context.js'
import { describeRun } from '../driver/run-line.js'
import { p99Us, requestsPerSec, unusableReason } from '../driver/run-metrics.js'
import { prepareBaseCheckout, resolveCommit } from '../compare/worktree.js'

const say = (line: string): void => {
  process.stderr.write(`${line}\n`)
}

async function compare(args: CompareArgs, cleanups: Array<() => void>): Promise<number> {
  const root = repoRoot()
  const current = runContext(root)
  try {
    resolveCommit(root, args.base)
  } catch (error) {
    throw new FlagError((error as Error).message)
  }
  const base = prepareBaseCheckout(args.base, { repoRoot: root, log: say, onCreated: (remove) => cleanups.push(remove) })
  say(`base ${args.base} (${base.commit.slice(0, 12)}) vs current ${current.commit.slice(0, 12)}${current.dirty ? ' + uncommitted changes' : ''}`)
  say(`${args.cells.length} cell(s) × ${args.runs} runs × 2 sides, ${args.warmupSec}s warm-up + ${args.durationSec}s each`)

  const entries = { base: base.serveEntry, current: defaultServeEntry() }
  const docRoots = { base: join(base.dir, 'fixtures', 'www'), current: join(root, 'fixtures', 'www') }
  const runSide: RunSide = (cell, side) =>
    runCell(cell, {
      durationSec: args.durationSec,
      warmupSec: args.warmupSec,
      db: args.db,
      driver: args.driver,
      serveEntry: entries[side],
      root: docRoots[side],
    })
  const started = Date.now()
  const samples = await runAB(args.cells, args.runs, runSide, ({ done, total, cell, side, run }) => {
    say(`[${done}/${total}] ${side.padEnd(7)} ${describeRun(cell, run)} (${Math.round((Date.now() - started) / 1000)}s)`)
  })
  const judged = samples.map((s) => judgeCell(s, args.thresholds))
  const exitCode = compareExitCode(judged)

  const record = {
    kind: 'bench:compare',
    createdAt: new Date().toISOString(),
    base: { ref: args.base, commit: base.commit, dependencies: base.dependencies },
    current,
    config: { ...args, cells: undefined },
    cells: judged.map((j, i) => ({
      ...j,
      samples: {
        base: samples[i]!.base.map((r) => (unusableReason(r) ? { failed: unusableReason(r) } : { reqPerSec: requestsPerSec(r), p99Us: p99Us(r) })),
        current: samples[i]!.current.map((r) => (unusableReason(r) ? { failed: unusableReason(r) } : { reqPerSec: requestsPerSec(r), p99Us: p99Us(r) })),
      },
    })),
    exitCode,
  }
  if (args.json) process.stdout.write(`${JSON.stringify(record, null, 2)}\n`)
  else process.stdout.write(`${renderCompareTable(judged, args.thresholds, process.stdout.isTTY === true)}\n`)
  if (args.out !== '') {
    mkdirSync(args.out, { recursive: true })
    const file = join(args.out, `compare-${record.createdAt.replace(/[:.]/g, '-')}-${base.commit.slice(0, 7)}-${current.commit.slice(0, 7)}.json`)
    writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`)
    say(`raw samples: ${file}`)
  }
  for (const c of judged) {
    const name = `${c.cell.model} ${c.cell.scenario} ${c.cell.mode} c=${c.cell.connections}`
    if (c.failure !== undefined) say(`FAILED ${name}: ${c.failure}`)
    for (const m of c.metrics) {
      if (m.regression) say(`REGRESSION ${name}: ${m.metric} ${((m.welch.ratio - 1) * 100).toFixed(1)}% vs base (p=${m.welch.p.toPrecision(2)})`)
    }
  }
  return exitCode
}

async function main(): Promise<void> {
  let args: CompareArgs | 'help'
  try {
    args = parseCompareArgs(process.argv.slice(2), defaultResultsDir())
  } catch (error) {
    if (!(error instanceof FlagError)) throw error
    say(`bench:compare: ${error.message} (see --help)`)
    process.exit(2)
  }
  if (args === 'help') {
    process.stdout.write(`${COMPARE_USAGE}\n`)
    return
  }
  const cleanups: Array<() => void> = []
  const cleanUp = (): void => {
    for (const fn of cleanups.splice(0)) fn()
  }
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      say(`bench:compare: ${signal}, removing the base worktree`)
      cleanUp()
      process.exit(code)
    })
  }
  let exitCode = 1
  try {
    exitCode = await compare(args, cleanups)
  } catch (error) {
    say(`bench:compare: ${error instanceof Error ? error.message : String(error)}${error instanceof FlagError ? ' (see --help)' : ''}`)
    if (error instanceof FlagError) exitCode = 2
  } finally {
    cleanUp()
  }
  process.exit(exitCode)
}

await main()
