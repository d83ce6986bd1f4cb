// One progress line per measured run for the gate CLIs: which cell, and what it measured or why
// it failed (a failed run is said loudly, never shown as a number).

import type { Cell } from './matrix.js'
import { cpuUsPerRequest, p99Us, requestsPerSec, unusableReason, type MeasuredRun } from './run-metrics.js'

export function describeRun(cell: Cell, run: MeasuredRun): string {
  const name = `${cell.model} ${cell.scenario} ${cell.mode} c=${cell.connections} #${cell.repeat}`
  const bad = unusableReason(run)
  if (bad !== undefined) return `${name}: FAILED (${bad})`
  const cpu = run.server === undefined ? '' : `, ${cpuUsPerRequest(run).toFixed(1)} µs CPU/req`
  // duet rounds aggregate slices and carry no latency (p99 reads 0): leave it out rather than print 0
  const p99 = p99Us(run) > 0 ? `, p99 ${Math.round(p99Us(run))} µs` : ''
  return `${name}: ${Math.round(requestsPerSec(run)).toLocaleString('en-US')} req/s${p99}${cpu}`
}
