import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { renderReport } from '../../../bench/report/render-report.js'
import { readResults, resultsFileName } from '../../../bench/report/results-file.js'
import type { CellResult } from '../../../bench/driver/run-cell.js'
import { resultsFile, sample } from '../fixtures/results-fixture.js'
import { xmlProblem } from '../fixtures/xml-check.js'

const dir = mkdtempSync(join(tmpdir(), 'bench-report-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// 2 models × 2 scenarios × 2 modes × 2 levels = 16 cells; eventloop static close c=64 failed
const cells: CellResult[] = []
for (const scenario of ['hello', 'static']) {
  for (const mode of ['keepalive', 'close'] as const) {
    for (const connections of [1, 64]) {
      for (const model of ['eventloop', 'node-http']) {
        const rps = (model === 'eventloop' ? 3 : 2) * (mode === 'keepalive' ? 10_000 : 2_000) * (connections === 1 ? 0.5 : 1)
        const failed = model === 'eventloop' && scenario === 'static' && mode === 'close' && connections === 64
        cells.push(sample({ model, scenario, mode, connections }, failed ? { rps, errors: 12, failure: '12 errors during measurement (2000 responses)' } : { rps }))
      }
    }
  }
}
const results = resultsFile(cells)
const jsonPath = join(dir, resultsFileName(results))
writeFileSync(jsonPath, JSON.stringify(results))
const report = renderReport(readResults(jsonPath), jsonPath)
const svg = (suffix: string): string => readFileSync(report.svgPaths.find((p) => p.endsWith(suffix))!, 'utf8')
const count = (text: string, pattern: RegExp): number => text.match(pattern)?.length ?? 0

describe('the report rendered from a results file', () => {
  it('names the results file by start time and commit', () => {
    expect(resultsFileName(results)).toBe('2026-11-22T05-00-00Z-0123456.json')
  })

  it('writes the Markdown next to the JSON with one table row per cell and the failed cell marked', () => {
    expect(report.markdownPath).toBe(jsonPath.replace(/\.json$/, '.md'))
    const md = readFileSync(report.markdownPath, 'utf8')
    expect(md).toMatch(/^\| model \| scenario \| mode \| conns \| req\/s \|/m)
    expect(md).toMatch(/^\| eventloop \| hello \| keepalive \| 1 \| 15,000 \| \(1 round\) \| 1\.50× \|/m)
    expect(md).toMatch(/^\| eventloop \| static \| close \| 64 \| \*\*✗ FAILED\*\* \|/m)
    expect(md).toMatch(/\*\*1 of 16 cells FAILED\*\*/)
    expect(md).toMatch(/## Failed cells\n\n- ✗ \*\*eventloop · static · close · c=64\*\* — #1: 12 errors/)
    expect(md).toMatch(/^\| eventloop \| hello \| 64 \| 30,000 \| 6,000 \| 0\.20× \|$/m)
    expect(md).toMatch(/Test CPU, 2 cores/)
    for (const p of report.svgPaths) expect(md).toContain(`](${p.slice(dir.length + 1)})`)
  })

  it('writes three well-formed SVG charts', () => {
    expect(report.svgPaths.map((p) => p.replace(/^.*-/, '')).sort()).toEqual(['connections.svg', 'modes.svg', 'throughput.svg'])
    for (const path of report.svgPaths) expect(xmlProblem(readFileSync(path, 'utf8')), path).toBeNull()
  })

  it('has a well-formedness check that catches what a hand-written SVG gets wrong', () => {
    expect(xmlProblem('<svg><g></svg>')).toMatch(/<\/svg> closes <g>/)
    expect(xmlProblem('<svg><text>a & b</text></svg>')).toMatch(/bad & in text/)
    expect(xmlProblem('<svg x="1" x="2"/>')).toMatch(/repeated/)
    expect(xmlProblem('<svg/><svg/>')).toMatch(/more than one root/)
    expect(xmlProblem('<svg><title>a &amp; b</title></svg>')).toBeNull()
  })

  it('draws one bar per cell in the throughput chart, the failed one as a marked placeholder', () => {
    const text = svg('-throughput.svg')
    expect(count(text, /class="bar"/g)).toBe(15)
    expect(count(text, /class="bar failed"/g)).toBe(1)
    expect(text).toMatch(/class="bar failed" data-cell="eventloop\|static\|close\|64"><title>eventloop · static\|close\|64: FAILED: #1: 12 errors/)
    const ids = [...text.matchAll(/data-cell="([^"]+)"/g)].map((m) => m[1])
    expect(new Set(ids).size).toBe(16)
  })

  it('draws one point per cell against connections, and one bar per cell in keep-alive vs close', () => {
    const lines = svg('-connections.svg')
    expect(count(lines, /class="point"/g)).toBe(15)
    expect(count(lines, /class="point failed"/g)).toBe(1)
    const modes = svg('-modes.svg')
    expect(count(modes, /class="bar"/g) + count(modes, /class="bar failed"/g)).toBe(16)
    expect(modes).toMatch(/>0\.20×</)
  })

  it('uses the same colour for a model in every chart', () => {
    for (const suffix of ['-throughput.svg', '-connections.svg', '-modes.svg']) expect(svg(suffix)).toContain('#4e79a7') // eventloop
  })

  it('refuses a file that is not a results file with one clear message', () => {
    const bogus = join(dir, 'bogus.json')
    writeFileSync(bogus, '{"hello": 1}')
    expect(() => readResults(bogus)).toThrow(/bogus\.json is not a httpmodels-bench\/1 results file/)
    expect(() => readResults(join(dir, 'missing.json'))).toThrow(/cannot read results .*missing\.json: ENOENT/)
  })
})

describe('npm run report', () => {
  const cli = fileURLToPath(new URL('../../../dist/bench/cli/report.js', import.meta.url))

  it('redraws the report of a results file and prints the files it wrote', () => {
    const out = execFileSync(process.execPath, [cli, jsonPath], { encoding: 'utf8' })
    expect(out.trim().split('\n')).toEqual([report.markdownPath, ...report.svgPaths])
  })

  it('answers a missing file with one line on stderr and exit code 2', () => {
    const run = spawnSync(process.execPath, [cli, join(dir, 'nope.json')], { encoding: 'utf8' })
    expect(run.status).toBe(2)
    expect(run.stderr).toMatch(/^httpmodels report: cannot read results .*nope\.json: ENOENT\n$/)
    const usage = spawnSync(process.execPath, [cli], { encoding: 'utf8' })
    expect(usage.status).toBe(2)
    expect(usage.stderr).toBe('usage: npm run report -- <results.json>\n       npm run report -- --agreement <results.json> <results.json> [...]\n')
    const one = spawnSync(process.execPath, [cli, '--agreement', 'a.json'], { encoding: 'utf8' })
    expect(one.status).toBe(2) // an agreement needs two runs at least
  })
})

describe('the report of a run with driver ceilings, targets and resolved drivers', () => {
  it('names the clients in the header, lists the targets, and prints the ceilings, marking one the null server set', () => {
    const withCeilings = {
      ...resultsFile([sample({ model: 'eventloop' }, { rps: 90_000 }), sample({ model: 'nginx' }, { rps: 130_000 })], {
        driver: 'auto', ceilingSec: 2, targets: [{ name: 'nginx', origin: 'http://127.0.0.1:8088' }],
      }),
      drivers: { keepalive: 'autocannon', close: 'close-client' } as const,
      ceilings: [{ driver: 'autocannon' as const, mode: 'keepalive' as const, connections: 16, requestsPerSec: 102_046, clientCpuShare: 0.91, serverCpuShare: 0.97, durationSec: 2 }],
    }
    const path = join(dir, 'ceilings.json')
    writeFileSync(path, JSON.stringify(withCeilings))
    const md = renderReport(readResults(path), path).markdown
    expect(md).toContain('drivers: keep-alive autocannon (--driver=auto)')
    expect(md).toContain('- Target **nginx** (not started by this bench): http://127.0.0.1:8088; no stats endpoint, so its CPU and RSS show —')
    expect(md).toMatch(/## Driver ceilings\n\n[^\n]*2 s each[^\n]*\n\n\| driver \| mode \| conns \| req\/s \| client CPU \| null server CPU \|\n[^\n]*\n\| autocannon \| keepalive \| 16 \| ≥ 102,046 \| 91% \| 97% \(bottleneck\) \|/)
    // 90,000 is 88% of the ceiling: client-bound although the client used half a core
    expect(md).toMatch(/^\| eventloop \| hello \| keepalive \| 16 \|.*\| 50% · 88% of ceiling \*\*client-bound\*\* \|/m)
  })
})
