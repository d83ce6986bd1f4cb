// `npm run bench:outage`: the database-outage runs (driver/run-outage.ts) for each model × scenario
// in turn, one line per run on stderr, then the JSON and the Markdown report in --out. Exit 0 when
// every run kept its promises (no hang, no crash, every cut answer 503, the pool back, the write
// audit exact), 1 otherwise, 2 for a bad flag; a MariaDB that cannot be reached is one line, exit 1.

import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runOutage, type OutageRun } from '../driver/run-outage.js'
import { runStamp } from '../report/run-stamp.js'
import { renderOutageReport, type OutageResults } from '../report/outage-report.js'
import { OUTAGE_USAGE, parseOutageArgs } from './outage-args.js'

/** Whether a run kept every promise the README makes for it. */
export function outageKeptPromises(run: OutageRun): boolean {
  const p = run.figures.phases
  return run.serverSurvived && run.exit.code === 0 && run.exit.leftoverPids.length === 0 && run.figures.timeouts === 0 &&
    Object.values(p).every((x) => x.lost === 0 && x.answeredOther5xx === 0) &&
    p.cut.answered503 > p.cut.answered && run.figures.recoveredAfterMs !== undefined && (run.audit?.ok ?? true)
}

export async function main(argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  const config = parseOutageArgs(argv)
  if (config === 'help') {
    io.stdout.write(`${OUTAGE_USAGE}\n`)
    return 0
  }
  if (config instanceof Error) {
    io.stderr.write(`httpmodels bench:outage: ${config.message} (see --help)\n`)
    return 2
  }
  const header = runStamp(`npm run bench:outage -- ${argv.join(' ')}`.trim())
  const runs: OutageRun[] = []
  for (const options of config.runs) {
    let run: OutageRun
    try {
      run = await runOutage(options)
    } catch (error) {
      io.stderr.write(`httpmodels bench:outage: ${options.model} ${options.scenario}: ${(error as Error).message.split('\n')[0]}\n`)
      return 1
    }
    runs.push(run)
    const p = run.figures.phases
    io.stderr.write(`${run.model} ${run.scenario}: cut ${p.cut.answered503} × 503, ${p.cut.answered} answered, lost ${Object.values(p).reduce((n, x) => n + x.lost, 0)}; ` +
      `back after ${run.figures.firstAnswerAfterRestoreMs ?? '–'} ms; ${run.audit ? `audit ${run.audit.ok ? 'exact' : 'FAILED'}; ` : ''}${outageKeptPromises(run) ? 'ok' : 'FAILED'}\n`)
  }
  const results: OutageResults = { kind: 'database-outage', ...header, runs }
  mkdirSync(config.out, { recursive: true })
  const base = join(config.out, `database-outage-${header.date.replace(/[:.]/g, '-')}`)
  writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`)
  writeFileSync(`${base}.md`, renderOutageReport(results))
  io.stdout.write(`results: ${base}.json\nreport:  ${base}.md\n`)
  return runs.every(outageKeptPromises) ? 0 : 1
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then(
    (code) => { process.exitCode = code },
    (error: unknown) => {
      process.stderr.write(`httpmodels bench:outage: ${(error as Error).message.split('\n')[0]}\n`)
      process.exitCode = 1
    },
  )
}
