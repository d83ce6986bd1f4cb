// Chart 1: requests/s of every model in every scenario. One panel per scenario (its own scale),
// one row of panels per connection mode and concurrency level, one bar per cell in the model's
// colour. A failed cell is a hatched red placeholder marked ✗: visible, never a number.

import { formatRatio, formatRps, formatRpsShort } from '../format.js'
import type { CellSummary } from '../summarize.js'
import { type Bar, type BarGroup, PANEL_LEFT, barPanel, panelHeight, panelWidth } from './bar-panel.js'
import { type Panel, type Section, gridChart } from './grid.js'
import { FAIL, modelColor, orderModels, swatch } from './svg.js'

export const modeLabel = (mode: string): string => (mode === 'keepalive' ? 'keep-alive' : 'close per request')

export function barFor(s: CellSummary | undefined, model: string, where: string, reference: string | null): Bar {
  const cell = `${model}|${where}`
  if (s === undefined || !s.ok || s.rps === undefined) {
    const why = s === undefined ? 'not run' : `FAILED: ${s.failures.join('; ')}`
    return { fill: modelColor(model), label: model, cell, failed: true, tooltip: `${model} · ${where}: ${why}` }
  }
  const ratio = s.ratio !== undefined && s.model !== reference ? ` (${formatRatio(s.ratio)} ${reference})` : ''
  const spread = s.repeats > 1 ? `, ${formatRps(s.rps.min)}–${formatRps(s.rps.max)} over ${s.repeats} runs` : ''
  return {
    value: s.rps.median,
    fill: modelColor(model),
    label: model,
    cell,
    top: `${formatRpsShort(s.rps.median)}${s.clientBound ? '⚠' : ''}`,
    tooltip: `${model} · ${where}: ${formatRps(s.rps.median)} req/s median${spread}${ratio}${s.clientBound ? '; client-bound' : ''}`,
  }
}

/** Wide enough for the bars and for the panel's title (about 8 px per bold 13 px character). */
export const titledWidth = (groups: readonly BarGroup[], title: string): number => Math.max(panelWidth(groups), PANEL_LEFT + title.length * 8 + 8)

export function throughputBarsSvg(summaries: readonly CellSummary[], reference: string | null): string {
  const models = orderModels(summaries.map((s) => s.model))
  const scenarios = [...new Set(summaries.map((s) => s.scenario))]
  const rows = [...new Map(summaries.map((s) => [`${s.mode}|${s.connections}`, { mode: s.mode, connections: s.connections }])).values()]
  const find = (model: string, scenario: string, mode: string, c: number): CellSummary | undefined =>
    summaries.find((s) => s.model === model && s.scenario === scenario && s.mode === mode && s.connections === c)

  const sections: Section[] = rows.map((row) => {
    const panels: Panel[] = []
    for (const scenario of scenarios) {
      const present = models.filter((m) => find(m, scenario, row.mode, row.connections) !== undefined)
      if (present.length === 0) continue
      const where = `${scenario}|${row.mode}|${row.connections}`
      const groups = [{ label: '', bars: present.map((m) => barFor(find(m, scenario, row.mode, row.connections), m, where, reference)) }]
      panels.push({ width: titledWidth(groups, scenario), height: panelHeight(), draw: (x, y) => barPanel(x, y, scenario, groups) })
    }
    return { title: `${modeLabel(row.mode)} · ${row.connections} connection${row.connections === 1 ? '' : 's'}`, panels }
  })
  return gridChart({
    title: 'Throughput per model and scenario',
    subtitle: 'requests/s, median of repeats; each panel has its own scale — compare bars within a panel',
    legend: [
      ...models.map((m) => ({ label: m === reference ? `${m} (reference)` : m, swatch: swatch(modelColor(m)) })),
      { label: 'failed (no number)', swatch: `<rect width="12" height="12" fill="url(#failed)" stroke="${FAIL}"/>` },
      { label: '⚠ client-bound', swatch: '' },
    ],
    sections,
  })
}
