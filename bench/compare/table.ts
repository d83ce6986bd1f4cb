// The table `bench:compare` prints: one row per cell and metric, Node compare.R's columns (change
// with its interval, stars) plus the medians of both sides, then the false-positive estimate.

import Table from 'cli-table3'
import type { CellComparison, CompareThresholds, MetricComparison } from './verdict.js'
import { comparisonsPerCell } from './verdict.js'
import { expectedFalsePositives, stars } from '../stats/descriptive.js'

const fmtRate = (n: number): string => Math.round(n).toLocaleString('en-US')
const fmtUs = (us: number): string => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${Math.round(us)} µs`)
const fmtPct = (ratio: number): string => `${ratio >= 1 ? '+' : ''}${((ratio - 1) * 100).toFixed(1)}%`

export function formatP(p: number): string {
  if (p === 0) return '0'
  if (p < 0.001) return p.toExponential(1)
  return p.toFixed(3)
}

function fmtMetric(m: MetricComparison, value: number): string {
  return m.metric === 'req/s' ? fmtRate(value) : fmtUs(value)
}

function verdict(m: MetricComparison): string {
  const worse = m.better === 'higher' ? m.welch.difference < 0 : m.welch.difference > 0
  if (m.regression) return 'REGRESSION'
  if (m.significant) return worse ? 'worse, within threshold' : 'better'
  if (m.practicallyWorse) return 'worse? not significant'
  return ''
}

export function renderCompareTable(cells: readonly CellComparison[], thresholds: CompareThresholds, color: boolean): string {
  const level = `${Math.round((1 - thresholds.alpha) * 1000) / 10}%`
  const table = new Table({
    head: ['cell', 'metric', 'base median', 'current median', `current/base (${level} CI)`, 'p', '', 'verdict'],
    style: color ? {} : { head: [], border: [] },
  })
  for (const c of cells) {
    const name = `${c.cell.model} ${c.cell.scenario} ${c.cell.mode} c=${c.cell.connections}`
    if (c.failure !== undefined) {
      table.push([name, '—', '', '', '', '', '', `FAILED: ${c.failure}`])
      continue
    }
    for (const m of c.metrics) {
      const [lo, hi] = m.welch.ratioCi
      table.push([
        name, m.metric, fmtMetric(m, m.baseMedian), fmtMetric(m, m.currentMedian),
        `${m.welch.ratio.toFixed(3)} (${fmtPct(m.welch.ratio)}) [${lo.toFixed(3)}, ${hi.toFixed(3)}]`,
        formatP(m.welch.p), stars(m.welch.p), verdict(m),
      ])
    }
  }
  const comparisons = cells.length * comparisonsPerCell
  const fp = [0.05, 0.01, 0.001].map((a) => `${expectedFalsePositives(comparisons, a).toFixed(2)} at ${a * 100}%`)
  return [
    table.toString(),
    `runs per side: ${cells[0]?.baseRuns ?? 0} (interleaved); ratio = mean current / mean base; p from Welch's t-test.`,
    `${comparisons} comparisons: with no real change expect ${fp.join(', ')} false positives (* p<0.05, ** p<0.01, *** p<0.001).`,
    `Regression = p < ${thresholds.alpha} and worse than ${thresholds.throughput * 100}% fewer req/s or ${thresholds.p99 * 100}% higher p99.`,
  ].join('\n')
}
