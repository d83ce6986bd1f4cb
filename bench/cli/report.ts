// `npm run report -- <results.json>`: render the Markdown report and SVG charts of a results file
// again (report/render-report.ts), next to it. Old results files render the same way.

import { fileURLToPath } from 'node:url'
import { renderReport } from '../report/render-report.js'
import { readResults } from '../report/results-file.js'

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = process.argv[2]
  if (path === undefined || path.startsWith('-') || process.argv.length > 3) {
    process.stderr.write('usage: npm run report -- <results.json>\n')
    process.exitCode = 2
  } else {
    try {
      const report = renderReport(readResults(path), path)
      process.stdout.write(`${[report.markdownPath, ...report.svgPaths].join('\n')}\n`)
    } catch (error) {
      process.stderr.write(`httpmodels report: ${(error as Error).message}\n`)
      process.exitCode = 2
    }
  }
}
