import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { memoryPerConnectionSvg } from '../../../bench/report/charts/memory-per-connection-bars.js'
import { probeP99LinesSvg } from '../../../bench/report/charts/probe-p99-lines.js'
import { crowdOutcome, probeFigure, summarizeCrowds } from '../../../bench/report/crowd-summary.js'
import { crowdTable } from '../../../bench/report/crowd-table.js'
import { renderReport } from '../../../bench/report/render-report.js'
import { readResults, resultsFileName } from '../../../bench/report/results-file.js'
import { crowdCell, probePhase } from '../fixtures/crowd-fixture.js'
import { resultsFile, sample } from '../fixtures/results-fixture.js'
import { xmlProblem } from '../fixtures/xml-check.js'

const dir = mkdtempSync(join(tmpdir(), 'bench-crowds-report-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const crowds = [
  crowdCell({ model: 'blocking', n: 1000, counts: { in: 1000, closedAfterResponse: 1000, open: 0 }, rssPerConnection: null }),
  crowdCell({ model: 'fork', n: 1000, skipped: 'fork at N = 1,000 is above --max-procs = 64: one process per connection' }),
  crowdCell({ model: 'threads', n: 1000, counts: { in: 2, waiting: 510, closedWithoutResponse: 488, open: 512 }, steady: probePhase('steady', [], 0, 60), burst: probePhase('burst', [], 5) }),
  crowdCell({ model: 'nonblocking', n: 100, takeInMs: 60, steady: probePhase('steady', [1500, 2000, 2500]) }),
  crowdCell({ model: 'nonblocking', n: 1000, takeInMs: 3300, steady: probePhase('steady', [8000, 9000, 13_000]) }),
  crowdCell({ model: 'eventloop', n: 100 }),
  crowdCell({ model: 'eventloop', n: 1000, steady: probePhase('steady', [1500, 1600, 2000], 1) }),
]

describe('crowd summaries', () => {
  const summaries = summarizeCrowds(crowds)

  it('keeps one summary per model, scenario and N, and shows a skipped cell as not run rather than failed', () => {
    expect(summaries).toHaveLength(7)
    expect(summaries.find((s) => s.model === 'fork')).toMatchObject({ ok: false, skipped: expect.stringMatching(/--max-procs/) })
    expect(crowdOutcome(crowds[1]!)).toMatch(/^not run: fork at N = 1,000/)
  })

  it('never shows a wait for a probe that got no answer: "no answer in 3 s", or the refusals', () => {
    const threads = summaries.find((s) => s.model === 'threads')!
    expect(probeFigure(threads.probe.steady, 'p99')).toBe('refused 60/60')
    expect(probeFigure(threads.probe.burst, 'p50')).toBe('no answer in 3 s')
    // one of four probes unanswered: p99 is past the timeout, so it is no wait at all
    const eventloop = summaries.find((s) => s.model === 'eventloop' && s.connections === 1000)!
    expect(probeFigure(eventloop.probe.steady, 'p99')).toBe('no answer in 3 s')
    expect(probeFigure(eventloop.probe.steady, 'p50')).toMatch(/^1\.[56]\d ms$/)
  })

  it('prints taking-in and held tables, with the counts of what the server turned away', () => {
    const text = crowdTable(summaries, false)
    expect(text).toMatch(/threads +│ idle +│ 1,000 │ 2 \(510 waiting\) +│ 0\.25 s +│ 0 \/ 0 \/ 488/)
    expect(text).toMatch(/blocking +│ idle +│ 1,000 │ 0 +│ .* nothing held/)
    expect(text).toMatch(/fork +│ idle +│ 1,000 │ not run: fork at N = 1,000 is above --max-procs = 64/)
    expect(text).toMatch(/nonblocking +│ idle +│ 1,000 │ all 1,000 +│ 3\.30 s/)
  })
})

describe('the crowd section of a report', () => {
  const results = { ...resultsFile([sample({ model: 'eventloop' }, { rps: 30_000 }), sample({ model: 'node-http' }, { rps: 20_000 })]), crowds }
  const jsonPath = join(dir, resultsFileName(results))
  writeFileSync(jsonPath, JSON.stringify(results))
  const report = renderReport(readResults(jsonPath), jsonPath)

  it('follows the closed-loop report with both crowd tables and both charts', () => {
    expect(report.markdown).toMatch(/## Every cell[\s\S]*## Many connections: idle crowds, slow clients[\s\S]*### Taking the crowd in[\s\S]*### The crowd held/)
    expect(report.markdown).toMatch(/\| threads \| idle \| 1,000 \| 512 \| refused 60\/60/)
    expect(report.svgPaths.map((p) => basename(p)).filter((p) => p.includes('-crowd-')).map((p) => p.replace(/^.*-crowd-/, ''))).toEqual(['probe.svg', 'memory.svg'])
    for (const p of report.svgPaths) expect(xmlProblem(readFileSync(p, 'utf8')), p).toBeNull()
  })

  it('renders a results file from before crowds existed without a crowd section', () => {
    const old = resultsFile([sample({ model: 'eventloop' }, { rps: 30_000 })])
    const path = join(dir, 'old.json')
    writeFileSync(path, JSON.stringify(old))
    const oldReport = renderReport(readResults(path), path)
    expect(oldReport.markdown).not.toMatch(/Many connections/)
    expect(oldReport.svgPaths.some((p) => basename(p).includes('-crowd-'))).toBe(false)
  })

  it('gives a run of crowds alone a page of its own, without empty closed-loop tables', () => {
    const only = { ...resultsFile([]), crowds }
    only.config.models = ['eventloop']
    const path = join(dir, 'crowds-only.json')
    writeFileSync(path, JSON.stringify(only))
    const page = renderReport(readResults(path), path)
    expect(page.markdown).toMatch(/^# Benchmark report/)
    expect(page.markdown).toMatch(/## Many connections/)
    expect(page.markdown).not.toMatch(/## Every cell/)
    expect(page.svgPaths.every((p) => basename(p).includes('-crowd-'))).toBe(true)
  })
})

describe('crowd charts', () => {
  const summaries = summarizeCrowds(crowds)

  it('draws one point per measured cell on log axes, lines per model, and the lost ones in the no-answer band', () => {
    const svg = probeP99LinesSvg(summaries)!
    expect(xmlProblem(svg)).toBeNull()
    expect(svg.match(/class="point"/g)).toHaveLength(4) // eventloop 100, nonblocking 100 and 1000, blocking
    expect(svg.match(/class="point lost"/g)).toHaveLength(2) // threads refused, eventloop 1000 past the timeout
    expect(svg).toMatch(/data-model="nonblocking"/)
    expect(svg).toContain('>1,000<')
    expect(svg).toContain('>100<')
  })

  it('draws memory per held connection per model, with a stub for the ones that held none or did not run', () => {
    const svg = memoryPerConnectionSvg(summaries)!
    expect(xmlProblem(svg)).toBeNull()
    expect(svg).toMatch(/<title>eventloop N=1000: 12\.0 KiB per held connection \(1,000 held\)<\/title>/)
    expect(svg).toMatch(/<title>blocking N=1000: held no connection<\/title>/)
    expect(svg).toMatch(/<title>fork N=1000: not run: /)
  })

  it('draws nothing when no crowd ran', () => {
    expect(probeP99LinesSvg([])).toBeNull()
    expect(memoryPerConnectionSvg([])).toBeNull()
  })
})
