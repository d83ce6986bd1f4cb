// Do repeated runs of the same command agree? For each cell with a ratio in every run, each run's
// median paired ratio (req/s and CPU per request) against the median of the runs: a run agrees when
// it is within ±15% of that median, or it marked the cell noisy itself (then it did not claim a
// steady number). This is issue 16's test of the main run's numbers, and a user's repeatability check.

import type { RunResults } from '../driver/run-results.js'
import { median } from '../stats/descriptive.js'
import { summarize, type CellSummary } from './summarize.js'

/** A run's median ratio may stray this far from the median of the runs (issue 16). */
export const AGREEMENT_BAND = 0.15

export interface AgreementRow {
  cell: string
  metric: 'req/s' | 'CPU'
  /** Per run: the ratio, and whether that run marked it noisy. */
  runs: Array<{ ratio: number; noisy: boolean }>
  median: number
  /** Every run within the band, or noisy where it is not. */
  agrees: boolean
}

export function runAgreement(runs: readonly RunResults[]): AgreementRow[] {
  const summaries = runs.map((r) => new Map(summarize(r.cells, r.config.reference).map((s) => [`${s.model} ${s.scenario} ${s.mode} c=${s.connections}`, s])))
  const rows: AgreementRow[] = []
  for (const [cell, first] of summaries[0] ?? new Map<string, CellSummary>()) {
    if (first.model === runs[0]!.config.reference) continue
    for (const metric of ['req/s', 'CPU'] as const) {
      const pick = (s: CellSummary | undefined): { ratio: number; noisy: boolean } | undefined => {
        const spread = metric === 'req/s' ? s?.ratioSpread : s?.cpuRatio
        return spread === undefined ? undefined : { ratio: spread.median, noisy: spread.noisy }
      }
      const each = summaries.map((m) => pick(m.get(cell)))
      if (each.some((e) => e === undefined)) continue
      const got = each as Array<{ ratio: number; noisy: boolean }>
      const mid = median(got.map((g) => g.ratio))
      rows.push({ cell, metric, runs: got, median: mid, agrees: got.every((g) => g.noisy || Math.abs(g.ratio / mid - 1) <= AGREEMENT_BAND) })
    }
  }
  return rows
}

export function agreementMarkdown(rows: readonly AgreementRow[], names: readonly string[]): string {
  const head = ['cell', 'ratio', ...names.map((_, i) => `run ${i + 1}`), 'median', `every run within ±${AGREEMENT_BAND * 100}% or noisy`]
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 2 ? ' --- ' : ' ---: ')).join('|')}|`]
  for (const r of rows) {
    const cells = r.runs.map((g) => `${g.ratio.toFixed(2)}×${g.noisy ? ' noisy' : ''}${Math.abs(g.ratio / r.median - 1) > AGREEMENT_BAND ? ' (off)' : ''}`)
    lines.push(`| ${r.cell} | ${r.metric} × ref | ${cells.join(' | ')} | ${r.median.toFixed(2)}× | ${r.agrees ? 'yes' : '**no**'} |`)
  }
  const agreed = rows.filter((r) => r.agrees).length
  lines.push('', `${agreed} of ${rows.length} ratios agree. Runs: ${names.map((n, i) => `run ${i + 1} = \`${n}\``).join(', ')}.`)
  return lines.join('\n')
}
