// Chart: what one more held connection costs the server in memory — (RSS with the crowd − RSS
// before) / connections held, whole process tree, per model; one panel per crowd scenario, a group
// of bars per crowd size N. A model that held nothing (blocking closes every connection after its
// answer) or did not run (fork above --max-procs) gets a labelled stub, never a number.

import type { CrowdSummary } from '../crowd-summary.js'
import { type Bar, type BarGroup, barPanel, panelHeight } from './bar-panel.js'
import { type Panel, gridChart } from './grid.js'
import { FAIL, modelColor, orderModels, swatch } from './svg.js'
import { titledWidth } from './throughput-bars.js'
import { formatBytes } from '../format.js'

const KIB = 1024

function barOf(s: CrowdSummary): Bar {
  const cell = `${s.model}|${s.scenario}|${s.connections}`
  const base = { fill: modelColor(s.model), label: s.model, cell }
  if (s.skipped !== undefined) return { ...base, value: 0, top: '–', tooltip: `${s.model} N=${s.connections}: not run: ${s.skipped}` }
  if (!s.ok) return { ...base, failed: true, tooltip: `${s.model} N=${s.connections}: FAILED: ${s.failures.join('; ')}` }
  if ((s.open ?? 0) === 0 || s.rssPerConnectionBytes == null) return { ...base, value: 0, top: '–', tooltip: `${s.model} N=${s.connections}: held no connection` }
  const kib = s.rssPerConnectionBytes / KIB
  return {
    ...base,
    value: Math.max(0, kib),
    top: kib < 0.5 ? '≈0' : kib >= KIB ? `${(kib / KIB).toFixed(0)} MiB` : kib.toFixed(kib < 10 ? 1 : 0),
    tooltip: `${s.model} N=${s.connections}: ${formatBytes(s.rssPerConnectionBytes)} per held connection (${(s.open ?? 0).toLocaleString('en-US')} held)`,
  }
}

/** null when no crowd cell ran. */
export function memoryPerConnectionSvg(summaries: readonly CrowdSummary[]): string | null {
  if (!summaries.some((s) => s.ok)) return null
  const models = orderModels(summaries.map((s) => s.model))
  const panels: Panel[] = []
  for (const scenario of new Set(summaries.map((s) => s.scenario))) {
    const levels = [...new Set(summaries.filter((s) => s.scenario === scenario).map((s) => s.connections))].sort((a, b) => a - b)
    const groups: BarGroup[] = levels.map((n) => ({
      label: `N = ${n.toLocaleString('en-US')}`,
      bars: models.flatMap((m) => {
        const s = summaries.find((c) => c.model === m && c.scenario === scenario && c.connections === n)
        return s === undefined ? [] : [barOf(s)]
      }),
    }))
    const title = `${scenario}: KiB per held connection`
    const width = titledWidth(groups, title)
    panels.push({ width, height: panelHeight(groups), draw: (x, y) => barPanel(x, y, title, groups, width, 'KiB / connection') })
  }
  return gridChart({
    title: 'Memory per held connection',
    subtitle: '(server RSS holding the crowd − before it) / connections held, whole process tree; – : held none, or not run; kernel socket buffers are not in RSS',
    legend: [...models.map((m) => ({ label: m, swatch: swatch(modelColor(m)) })), { label: 'failed', swatch: `<rect width="12" height="12" fill="url(#failed)" stroke="${FAIL}"/>` }],
    sections: [{ panels }],
  })
}
