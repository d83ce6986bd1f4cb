// Chart 3: keep-alive against close-per-request. One panel per scenario and concurrency level;
// per model a solid bar (keep-alive) beside a hatched one in the same colour (a new TCP connection
// for every request), with close ÷ keep-alive written above the pair: what connection setup costs.

import { formatRatio } from '../format.js'
import type { CellSummary } from '../summarize.js'
import { pairModes } from '../summarize.js'
import { type BarGroup, barPanel, panelHeight } from './bar-panel.js'
import { type Section, gridChart } from './grid.js'
import { FAIL, hatchPattern, idOf, modelColor, orderModels, swatch } from './svg.js'
import { barFor, titledWidth } from './throughput-bars.js'

/** null when the run did not measure both modes of any cell. */
export function modesBarsSvg(summaries: readonly CellSummary[], reference: string | null): string | null {
  const hasBoth = summaries.some((s) => s.mode === 'keepalive') && summaries.some((s) => s.mode === 'close')
  if (!hasBoth) return null
  const models = orderModels(summaries.map((s) => s.model))
  const pairs = pairModes(summaries)
  const panelsKeys = [...new Map(pairs.map((p) => [`${p.scenario}|${p.connections}`, { scenario: p.scenario, connections: p.connections }])).values()]
  const find = (model: string, scenario: string, mode: string, c: number): CellSummary | undefined =>
    summaries.find((s) => s.model === model && s.scenario === scenario && s.mode === mode && s.connections === c)

  const section: Section = { panels: [] }
  for (const { scenario, connections } of panelsKeys) {
    const groups: BarGroup[] = []
    for (const model of models) {
      const keep = find(model, scenario, 'keepalive', connections)
      const close = find(model, scenario, 'close', connections)
      if (keep === undefined && close === undefined) continue
      const keepBar = { ...barFor(keep, model, `${scenario}|keepalive|${connections}`, reference), label: model }
      const closeBar = { ...barFor(close, model, `${scenario}|close|${connections}`, reference), label: '' }
      if (closeBar.value !== undefined) closeBar.fill = `url(#close-${idOf(model)})`
      const pair = pairs.find((p) => p.model === model && p.scenario === scenario && p.connections === connections)
      groups.push({ label: '', bars: [keepBar, closeBar], note: pair?.closeOverKeepalive === undefined ? 'n/a' : formatRatio(pair.closeOverKeepalive) })
    }
    if (groups.length === 0) continue
    const title = `${scenario} · c=${connections}`
    const width = titledWidth(groups, title)
    section.panels.push({ width, height: panelHeight(groups), draw: (x, y) => barPanel(x, y, title, groups, width) })
  }
  return gridChart({
    title: 'Keep-alive vs close-per-request',
    subtitle: 'requests/s per model: solid = keep-alive, hatched = one TCP connection per request; above each pair: close ÷ keep-alive',
    legend: [
      ...models.map((m) => ({ label: m, swatch: swatch(modelColor(m)) })),
      { label: 'close per request', swatch: '<rect width="12" height="12" fill="url(#close-legend)" stroke="#555"/>' },
      { label: 'failed', swatch: `<rect width="12" height="12" fill="url(#failed)" stroke="${FAIL}"/>` },
    ],
    sections: [section],
    extraDefs: [hatchPattern('close-legend', '#555'), ...models.map((m) => hatchPattern(`close-${idOf(m)}`, modelColor(m)))],
  })
}
