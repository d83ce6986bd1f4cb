// `npm run bench -- --soak=DURATION --model=M` (cli/bench.ts hands any --soak run here): the soak
// (driver/run-soak.ts) with a line per slice on stderr, then the JSON and the Markdown report in
// --out and the verdicts on stdout. Exit 0 when the soak ran clean (no leak suspected, the server
// lived, no errors, the write audit exact), 1 otherwise, 2 for a bad flag.

import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runSoak, type SoakRun } from '../driver/run-soak.js'
import { runStamp } from '../report/run-stamp.js'
import { renderSoakReport, soakSummary, type SoakResults } from '../report/soak-report.js'
import { SOAK_USAGE, parseSoakArgs } from './soak-args.js'

export interface SoakIo {
  stdout: { write(text: string): unknown }
  stderr: { write(text: string): unknown }
}

export async function soakMain(argv: string[], io: SoakIo): Promise<number> {
  const config = parseSoakArgs(argv)
  if (config === 'help') {
    io.stdout.write(`${SOAK_USAGE}\n`)
    return 0
  }
  if (config instanceof Error) {
    io.stderr.write(`httpmodels bench: ${config.message} (see --soak --help)\n`)
    return 2
  }
  for (const note of config.notes) io.stderr.write(`note: ${note}\n`)
  const header = runStamp(`npm run bench -- ${argv.join(' ')}`)
  let run: SoakRun
  try {
    run = await runSoak(config.soak, (slice, sample) => {
    io.stderr.write(`${slice.startSec.toFixed(0).padStart(5)} s  ${slice.scenario.padEnd(8)} ${Math.round(slice.requestsPerSec)} req/s` +
      `${slice.non2xx + slice.errors + slice.timeouts > 0 ? ` (non-2xx ${slice.non2xx}, errors ${slice.errors}, timeouts ${slice.timeouts})` : ''}` +
      `${sample ? `  RSS ${(sample.rssBytes / 2 ** 20).toFixed(1)} MiB, ${sample.openFds} fds` : ''}\n`)
    })
  } catch (error) {
    // a server that would not start (a missing database, a busy port) said why in one line
    const message = (error as Error).message
    io.stderr.write(`httpmodels bench: the soak of ${config.soak.model} could not run: ${/httpmodels serve: (.*)/.exec(message)?.[1] ?? message.split('\n')[0]}\n`)
    return 1
  }
  const results: SoakResults = { kind: 'soak', ...header, config: config.soak, run }
  mkdirSync(config.out, { recursive: true })
  const base = join(config.out, `soak-${run.model}-${header.date.replace(/[:.]/g, '-')}`)
  writeFileSync(`${base}.json`, `${JSON.stringify(results, null, 2)}\n`)
  writeFileSync(`${base}.md`, renderSoakReport(results))
  io.stdout.write(`${soakSummary(run)}\nresults: ${base}.json\nreport:  ${base}.md\n`)
  const clean = run.slices.every((s) => s.errors === 0 && s.timeouts === 0 && s.non2xx === 0)
  return !run.rss.suspected && !run.fds.suspected && run.serverSurvived && run.exit.code === 0 && clean && (run.writeAudit?.ok ?? true) ? 0 : 1
}
