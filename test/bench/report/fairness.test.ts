// How a cell's per-connection accounting reaches the summary, the terminal table, the Markdown
// report and the charts: a starved cell is flagged everywhere and its req/s is never a plain number;
// a cell nobody counted says `unknown`, never a clean blank; old results files still render.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { summarizeFairness } from '../../../bench/report/fairness-summary.js'
import { renderReport } from '../../../bench/report/render-report.js'
import { readResults } from '../../../bench/report/results-file.js'
import { pairModes, summarize } from '../../../bench/report/summarize.js'
import { renderTables } from '../../../bench/report/table.js'
import { account, resultsFile, sample } from '../fixtures/results-fixture.js'
import { xmlProblem } from '../fixtures/xml-check.js'

const dir = mkdtempSync(join(tmpdir(), 'bench-fairness-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const threads = (extra: Partial<Parameters<typeof sample>[0]> = {}) =>
  sample({ model: 'threads', ...extra }, { rps: 5745, account: account(16, 14, 5745) })
const eventloop = (extra: Partial<Parameters<typeof sample>[0]> = {}) =>
  sample({ model: 'eventloop', ...extra }, { rps: 30_000, account: account(16, 0, 3750) })

describe('the fairness of a summarized cell', () => {
  it('counts the served and the starved connections from the load\'s own accounting', () => {
    expect(summarizeFairness([threads()])).toMatchObject({
      source: 'load', client: 'autocannon', connections: 16, served: 2, starved: 14,
      minResponses: 0, medianResponses: 0, maxResponses: 5745, outstanding: 16, outstandingLong: 14, oldestOutstandingUs: 2_000_000, longestWaitUs: 2_000_000,
    })
    expect(summarizeFairness([eventloop()])).toMatchObject({ source: 'load', served: 16, starved: 0, jain: 1 })
  })

  it('lets the worst repeat speak for the cell', () => {
    const f = summarizeFairness([
      sample({ model: 'threads', repeat: 1 }, { rps: 1, account: account(16, 0) }),
      sample({ model: 'threads', repeat: 2 }, { rps: 1, account: account(16, 14) }),
      sample({ model: 'threads', repeat: 3 }, { rps: 1, account: account(16, 3) }),
    ])
    expect(f).toMatchObject({ starved: 14, repeat: 2 })
  })

  it('takes a wrk cell\'s fairness from the probe that ran in it, and says so', () => {
    const cell = sample({ model: 'threads' }, { rps: 5745, driver: 'wrk', probe: account(16, 14) })
    expect(summarizeFairness([cell])).toMatchObject({ source: 'probe', client: 'autocannon', starved: 14 })
  })

  it('says unknown, with the reason, where nobody counted', () => {
    expect(summarizeFairness([sample({ model: 'threads' }, { rps: 1 })])).toEqual({ source: 'unknown', why: 'no per-connection counts recorded (autocannon; results written before they were kept)' })
    expect(summarizeFairness([sample({ model: 'threads' }, { rps: 1, driver: 'wrk' })])).toEqual({ source: 'unknown', why: 'wrk cannot count per connection and no fairness probe ran' })
    const { load: _load, ...unmeasured } = sample({ model: 'threads' }, { rps: 1 })
    expect(summarizeFairness([unmeasured])).toEqual({ source: 'unknown', why: 'not measured' })
  })

  it('gives a starved cell no ratio to the reference, and no keep-alive vs close pair', () => {
    const summaries = summarize([threads(), sample({ model: 'node-http' }, { rps: 20_000, account: account(16, 0) }), sample({ model: 'threads', mode: 'close' }, { rps: 900, account: account(16, 0) })], 'node-http')
    const starved = summaries.find((s) => s.model === 'threads' && s.mode === 'keepalive')!
    expect(starved.ratio).toBeUndefined()
    expect(starved.ratioNote).toBe('n/a: starved connections')
    expect(pairModes(summaries).find((p) => p.model === 'threads')).toEqual({ model: 'threads', scenario: 'hello', connections: 16, close: 900 })
  })

  it('gives no ratio to a cell whose reference starved connections', () => {
    const summaries = summarize([eventloop(), sample({ model: 'node-http' }, { rps: 20_000, account: account(16, 3) })], 'node-http')
    expect(summaries[0]!.ratioNote).toBe('n/a: node-http starved connections')
  })
})

describe('the terminal table', () => {
  const text = renderTables(summarize([threads(), eventloop(), sample({ model: 'fork' }, { rps: 800 })], null), { color: false, reference: null })

  it('flags a starved cell `starved: k of n connections` and shows its req/s only in parentheses beside the flag', () => {
    expect(text).toMatch(/threads +│ hello +│ keepalive +│ +16 +│ ✗ starved \(5,745\) │/)
    expect(text).toMatch(/│ starved: 14 of 16 connections +│/)
    expect(text).not.toMatch(/│ +5,745 +│/)
    expect(text).toMatch(/1 of 3 cells STARVED connections/)
  })

  it('shows every connection served, with Jain\'s index, for a fair cell, and unknown where nobody counted', () => {
    expect(text).toMatch(/eventloop +│ hello +│ keepalive +│ +16 +│ +30,000 │/)
    expect(text).toMatch(/│ 16 of 16 served · Jain 1\.00 +│/)
    expect(text).toMatch(/fork +│.*│ unknown +│/)
  })
})

describe('the report and its charts', () => {
  const cells = [threads(), eventloop(), threads({ connections: 64 }), eventloop({ connections: 64 }), sample({ model: 'threads', mode: 'close' }, { rps: 900, driver: 'wrk', probe: account(16, 14) })]
  const results = resultsFile(cells)
  const jsonPath = join(dir, 'starved.json')
  writeFileSync(jsonPath, JSON.stringify(results))
  const report = renderReport(readResults(jsonPath), jsonPath)
  const svg = (suffix: string): string => readFileSync(report.svgPaths.find((p) => p.endsWith(suffix))!, 'utf8')

  it('flags the starved cells in the Markdown table and lists them with their counts and who counted', () => {
    expect(report.markdown).toMatch(/^\| threads \| hello \| keepalive \| 16 \| ✗ starved \(5,745\) \|.*\| starved: 14 of 16 connections \|$/m)
    expect(report.markdown).toMatch(/^\| eventloop \| hello \| keepalive \| 16 \| 30,000 \|.*\| 16 of 16 served · Jain 1\.00 \|$/m)
    expect(report.markdown).toMatch(/## Starved connections\n/)
    expect(report.markdown).toContain('- ✗ **threads · hello · keepalive · c=16** — starved: 14 of 16 connections — 2 of 16 got any response; responses per connection min 0, median 0, max 5745; 16 requests unanswered at the end (14 of them for more than half the run), the oldest waiting 2.00 s (counted by autocannon, repeat 1)')
    expect(report.markdown).toContain('- ✗ **threads · hello · close · c=16** — starved: 14 of 16 connections — 2 of 16 got any response; responses per connection min 0, median 0, max 1000; 16 requests unanswered at the end (14 of them for more than half the run), the oldest waiting 2.00 s (counted by a probe with autocannon in the same cell')
  })

  it('draws a starved cell as a flagged outline bar and a hollow point, never as a plain value, in well-formed SVG', () => {
    const bars = svg('-throughput.svg')
    expect(bars.match(/class="bar starved"/g)).toHaveLength(3)
    expect(bars).toMatch(/class="bar starved" data-cell="threads\|hello\|keepalive\|16"><title>[^<]*starved: 14 of 16 connections[^<]*<\/title><rect [^>]*stroke-dasharray/)
    expect(bars).toMatch(/>✗ 14\/16</)
    expect(bars).not.toMatch(/>5\.7k</)
    const lines = svg('-connections.svg')
    expect(lines.match(/class="point starved"/g)).toHaveLength(2)
    expect(lines.match(/class="series" data-model="threads"/g)).toBeNull() // no line through starved points
    for (const path of report.svgPaths) expect(xmlProblem(readFileSync(path, 'utf8')), path).toBeNull()
  })

  it('still renders an old results file, without per-connection counts, saying unknown instead of guessing', () => {
    const old = join(dir, 'old.json')
    copyFileSync(new URL('../../../results/example/2026-11-22T06-28-29Z-001a5b0.json', import.meta.url), old)
    const rendered = renderReport(readResults(old), old)
    expect(rendered.markdown).toMatch(/^\| eventloop \| hello \| keepalive \| 16 \| 30,357 \|.*\| unknown \|$/m)
    expect(rendered.markdown).not.toMatch(/✗ starved|## Starved connections/)
    for (const path of rendered.svgPaths) expect(xmlProblem(readFileSync(path, 'utf8')), path).toBeNull()
  })
})
