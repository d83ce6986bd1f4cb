// Chart 1: requests/s of every model in every scenario. One panel per scenario (its own scale),
// one row of panels per connection mode and concurrency level, one bar per cell in the model's
// colour. A failed cell is a hatched red placeholder marked ✗: visible, never a number.

import { formatRatio, formatRps, formatRpsShort } from '../format.js'
import type { CellSummary } from '../summarize.js'
import { type Bar, type BarGroup, PANEL_LEFT, barPanel, panelHeight, panelWidth } from './bar-panel.js'
import { type Panel, type Section, gridChart } from './grid.js'
import { FAIL, modelColor, orderModels, swatch } from './svg.js'
import { STARVED_LEGEND } from './starved-mark.js'
import { isStarved } from '../fairness-summary.js'

export const modeLabel = (mode: string): string => (mode === 'keepalive' ? 'keep-alive' : 'close per request')

export function barFor(s: CellSummary | undefined, model: string, where: string, reference: string | null): Bar {
  const cell = `${model}|${where}`
  if (s === undefined || !s.ok || s.rps === undefined) {
    const why = s === undefined ? 'not run' : `FAILED: ${s.failures.join('; ')}`
    return { fill: modelColor(model), label: model, cell, failed: true, tooltip: `${model} · ${where}: ${why}` }
  }
  const ratio = s.ratio !== undefined && s.model !== reference ? ` (${formatRatio(s.ratio)} ${reference})` : ''
  const spread = s.repeats > 1 ? `, ${formatRps(s.rps.min)}–${formatRps(s.rps.max)} over ${s.repeats} runs` : ''
  const f = s.fairness
  if (isStarved(f)) {
    return {
      value: s.rps.median, fill: modelColor(model), label: model, cell, starved: `starved\n✗ ${f.starved}/${f.connections}`,
      tooltip: `${model} · ${where}: starved: ${f.starved} of ${f.connections} connections got no response for over half the run; (${formatRps(s.rps.median)} req/s from the ${f.served} it served)`,
    }
  }
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
  const modes = [...new Set(summaries.map((s) => s.mode))]
  const find = (model: string, scenario: string, mode: string, c: number): CellSummary | undefined =>
    summaries.find((s) => s.model === model && s.scenario === scenario && s.mode === mode && s.connections === c)

  // one section per mode; in it a panel per scenario and concurrency level
  const sections: Section[] = modes.map((mode) => {
    const panels: Panel[] = []
    for (const scenario of scenarios) {
      const levels = [...new Set(summaries.filter((s) => s.mode === mode && s.scenario === scenario).map((s) => s.connections))].sort((a, b) => a - b)
      for (const connections of levels) {
        const present = models.filter((m) => find(m, scenario, mode, connections) !== undefined)
        const where = `${scenario}|${mode}|${connections}`
        const groups = [{ label: '', bars: present.map((m) => barFor(find(m, scenario, mode, connections), m, where, reference)) }]
        const title = `${scenario} · c=${connections}`
        const width = titledWidth(groups, title)
        panels.push({ width, height: panelHeight(), draw: (x, y) => barPanel(x, y, title, groups, width) })
      }
    }
    return { title: modeLabel(mode), panels }
  })
  return gridChart({
    title: 'Throughput per model and scenario',
    subtitle: 'requests/s, median of repeats; each panel has its own scale — compare bars within a panel',
    legend: [
      ...models.map((m) => ({ label: m === reference ? `${m} (reference)` : m, swatch: swatch(modelColor(m)) })),
      { label: 'failed (no number)', swatch: `<rect width="12" height="12" fill="url(#failed)" stroke="${FAIL}"/>` },
      STARVED_LEGEND,
      { label: '⚠ client-bound', swatch: '' },
    ],
    sections,
  })
}
