// Progress of the many-connections phase on stderr: the plan once, then one line per crowd cell
// with what a reader wants first (how many got in and how fast, what the probe waited). It only
// listens to the runner's events, like progress.ts.

import type { ProgressStream } from './progress.js'
import type { BenchEvents } from '../driver/run-bench.js'
import type { CrowdCellResult } from '../driver/crowd-results.js'
import { formatClock } from '../report/format.js'
import { crowdOutcome } from '../report/crowd-summary.js'

export function attachCrowdProgress(events: BenchEvents, stream: ProgressStream): void {
  let started = 0
  // On a terminal the closed-loop bar may still sit on the last line: clear it before printing.
  const clear = stream.isTTY === true ? '\r\u001b[2K' : ''
  events.on('crowd-start', (plan) => {
    started = Date.now()
    stream.write(`${clear}${plan.summary}\n`)
  })
  events.on('crowd-cell-done', (result, index, total) => {
    const line = `[crowd ${index}/${total}] ${describe(result)}: ${crowdOutcome(result)} · ${formatClock((Date.now() - started) / 1000)} elapsed`
    stream.write(stream.isTTY === true && !result.ok && result.skipped === undefined ? `${clear}\u001b[31;1m${line}\u001b[0m\n` : `${clear}${line}\n`)
  })
}

const describe = (r: CrowdCellResult): string => `${r.cell.model} ${r.cell.scenario} N=${r.cell.connections} #${r.cell.repeat}`
