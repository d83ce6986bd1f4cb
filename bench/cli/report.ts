// `npm run report -- <results.json>`: render the Markdown report and SVG charts of a results file
// again (report/render-report.ts), next to it. Old results files render the same way.
// `npm run report -- --agreement a.json b.json c.json`: do repeated runs of one command give the same
// ratios? (report/run-agreement.ts) — a Markdown table on stdout; exit 1 when some ratio disagrees.

import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import { renderReport } from '../report/render-report.js'
import { readResults } from '../report/results-file.js'
import { agreementMarkdown, runAgreement } from '../report/run-agreement.js'

const USAGE = 'usage: npm run report -- <results.json>\n       npm run report -- --agreement <results.json> <results.json> [...]\n'

function main(args: string[]): number {
  if (args[0] === '--agreement') {
    const paths = args.slice(1)
    if (paths.length < 2 || paths.some((p) => p.startsWith('-'))) {
      process.stderr.write(USAGE)
      return 2
    }
    const rows = runAgreement(paths.map(readResults))
    process.stdout.write(`${agreementMarkdown(rows, paths.map((p) => basename(p)))}\n`)
    return rows.every((r) => r.agrees) ? 0 : 1
  }
  const path = args[0]
  if (path === undefined || path.startsWith('-') || args.length > 1) {
    process.stderr.write(USAGE)
    return 2
  }
  const report = renderReport(readResults(path), path)
  process.stdout.write(`${[report.markdownPath, ...report.svgPaths].join('\n')}\n`)
  return 0
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    process.exitCode = main(process.argv.slice(2))
  } catch (error) {
    process.stderr.write(`httpmodels report: ${(error as Error).message}\n`)
    process.exitCode = 2
  }
}
