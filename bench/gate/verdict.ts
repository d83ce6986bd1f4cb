// The verdict of `bench:check` for one cell: the median ratio to node-http of this run against the
// baseline's, for throughput (a drop is worse) and server CPU per request (a rise is worse). A cell
// is suspect when either moves past its calibrated tolerance in the worse direction;
// confirm-suspects.ts then re-measures it in fresh rounds and fails only when those agree (an
// independent replication, so a noise burst has to strike twice).

import type { CellBaseline } from './baseline.js'
import { describeCheckCell } from './plan.js'
import type { RatioSamples } from './rounds.js'
import { median } from '../stats/descriptive.js'
import { type CellSpec, cellKey } from '../driver/matrix.js'




export interface MetricVerdict {
  /** Median ratio to node-http in this run. */
  median: number
  baseline: number
  /** median / baseline − 1 */
  change: number
  tolerance: number
  /** The A/A calibration found this metric too noisy to gate on (tolerance capped): it is shown,
   * never failed on. */
  advisory: boolean
  /** Past the tolerance in the worse direction, and not advisory. */
  worse: boolean
}

export interface CheckCellVerdict {
  key: string
  cell: CellSpec
  rounds: number
  status: 'pass' | 'regression' | 'failed'
  failure?: string
  throughput?: MetricVerdict
  cpu?: MetricVerdict
}

function metric(
  samples: readonly number[], base: { median: number; tolerance: number; tooNoisy: boolean }, better: 'higher' | 'lower',
): MetricVerdict {
  const m = median(samples)
  const change = m / base.median - 1
  const beyond = better === 'higher' ? change < -base.tolerance : change > base.tolerance
  return { median: m, baseline: base.median, change, tolerance: base.tolerance, advisory: base.tooNoisy, worse: beyond && !base.tooNoisy }
}

export function judgeCheckCell(samples: RatioSamples, baseline: CellBaseline): CheckCellVerdict {
  const base = { key: cellKey(samples.cell), cell: samples.cell, rounds: samples.throughput.length }
  if (samples.failures.length > 0) return { ...base, status: 'failed', failure: samples.failures[0]! }
  if (samples.throughput.length === 0) return { ...base, status: 'failed', failure: 'no successful rounds' }
  const throughput = metric(samples.throughput, baseline.throughput, 'higher')
  const cpu = metric(samples.cpu, baseline.cpu, 'lower')
  return { ...base, status: throughput.worse || cpu.worse ? 'regression' : 'pass', throughput, cpu }
}

const pct = (x: number): string => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}%`

/** One line per cell: the two ratios, their baselines, the change and what was allowed. */
export function describeVerdict(v: CheckCellVerdict): string {
  const name = describeCheckCell(v.cell)
  if (v.status === 'failed') return `${name}: FAILED (${v.failure})`
  const t = v.throughput!
  const c = v.cpu!
  const flag = (m: MetricVerdict): string =>
    m.worse ? '  <-- REGRESSED' : m.advisory ? '  (advisory: too noisy at --update to gate on)' : ''
  return [
    `${name} (${v.rounds} rounds):`,
    `    req/s ÷ node-http        ${t.median.toFixed(3)}  baseline ${t.baseline.toFixed(3)}  ${pct(t.change)} (allowed ${pct(-t.tolerance)})${flag(t)}`,
    `    CPU/request ÷ node-http  ${c.median.toFixed(3)}  baseline ${c.baseline.toFixed(3)}  ${pct(c.change)} (allowed ${pct(c.tolerance)})${flag(c)}`,
  ].join('\n')
}

/** A suspicion is confirmed when the same metric is past its tolerance in both the first pass and
 * the independent confirmation rounds. */
export function isConfirmed(first: CheckCellVerdict, confirm: CheckCellVerdict): boolean {
  return (first.throughput?.worse === true && confirm.throughput?.worse === true) ||
    (first.cpu?.worse === true && confirm.cpu?.worse === true)
}

/** What made a cell suspect: each metric past its tolerance, with its change. */
export function describeSuspicion(v: CheckCellVerdict): string {
  const parts: string[] = []
  if (v.throughput?.worse) parts.push(`req/s ÷ node-http ${pct(v.throughput.change)}, allowed ${pct(-v.throughput.tolerance)}`)
  if (v.cpu?.worse) parts.push(`CPU/request ÷ node-http ${pct(v.cpu.change)}, allowed ${pct(v.cpu.tolerance)}`)
  return `${parts.join('; ')} in the first pass`
}

/** The one line CI shows for a confirmed regression: which cell, which metric, by how much. */
export function describeRegression(first: CheckCellVerdict, confirm: CheckCellVerdict): string {
  const parts: string[] = []
  for (const [label, a, b] of [
    ['requests/s relative to node-http', first.throughput, confirm.throughput],
    ['server CPU per request relative to node-http', first.cpu, confirm.cpu],
  ] as const) {
    if (a?.worse && b?.worse) {
      parts.push(`${label} ${pct(a.change)} (confirmation ${pct(b.change)}; baseline ratio ${a.baseline.toFixed(3)}, now ${a.median.toFixed(3)}; tolerance ${(a.tolerance * 100).toFixed(1)}%)`)
    }
  }
  return `REGRESSION ${describeCheckCell(first.cell)}: ${parts.join('; ')}`
}
