// Progress of the open-loop phase on stderr: the plan once, then one line per point with what a
// reader wants first — the rate offered and achieved, the SLO's percentile with its band, the
// verdict. A lagging client or a failed point is said in words, never as a plain number.

import type { ProgressStream } from './progress.js'
import type { BenchEvents } from '../driver/run-bench.js'
import type { OpenLoopPoint } from '../driver/open-loop-results.js'
import { formatClock, formatRps, formatUs } from '../report/format.js'
import { laggingReason } from '../report/open-loop-tables.js'

export function attachOpenLoopProgress(events: BenchEvents, stream: ProgressStream): void {
  let started = 0
  let percentile = 99
  const clear = stream.isTTY === true ? '\r\u001b[2K' : ''
  events.on('open-loop-start', (plan) => {
    started = Date.now()
    percentile = plan.percentile
    stream.write(`${clear}${plan.summary}\n`)
  })
  events.on('open-loop-point-done', (point, index, planned) => {
    const of = index <= planned ? `${index}/${planned}` : `${index}, search`
    stream.write(`${clear}[open loop ${of}] ${point.model} ${point.scenario} ${point.mode} @ ${formatRps(point.rate)}/s: ${pointOutcome(point, percentile)} · ${formatClock((Date.now() - started) / 1000)} elapsed\n`)
  })
}

/** "achieved 1,998/s, p99 1.20 ms (1.10–1.31 ms), pass" or why there is no number. */
export function pointOutcome(point: OpenLoopPoint, percentile: number): string {
  if (!point.ok || point.result === undefined) return `FAILED: ${point.failure ?? 'unknown reason'}`
  const r = point.result
  if (point.verdict.outcome === 'client-lagging') return `CLIENT LAGGING (${laggingReason(r)}): not a server number`
  const band = point.band === undefined ? '' : ` (${formatUs(point.band.lowUs)}–${formatUs(point.band.highUs)})`
  const value = point.sloValueUs === null ? 'no answer' : `${formatUs(point.sloValueUs)}${band}`
  return `achieved ${formatRps(r.achievedRate)}/s, p${percentile} ${value}, ${point.verdict.outcome}${point.verdict.fewSamples ? `, ${point.samples.toLocaleString('en-US')} samples` : ''}`
}
