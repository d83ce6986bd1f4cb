import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

// The compiled runner (npm test builds dist/ first), run as the calibration's readers would.
const runner = resolve(import.meta.dirname, '../../../dist/bench/cli/gate-calibration.js')
const summarize = (dir: string) => spawnSync(process.execPath, [runner, `--summarize=${dir}`], { encoding: 'utf8' })

const cell = (scenario: string) => ({ model: 'eventloop', scenario, mode: 'keepalive', connections: 16 })
const verdict = (scenario: string, thr: number, cpu: number) => ({
  key: `eventloop|${scenario}|keepalive|16`, cell: cell(scenario), rounds: 4, status: 'pass',
  throughput: { change: thr }, cpu: { change: cpu },
})
/** A check record as check.ts writes it, cut to what the summary reads. */
function record(passed: boolean, extra: object) {
  return {
    passed, elapsedSec: 100, samples: { first: [] }, verdicts: [verdict('hello', -0.01, 0.12), verdict('static', -0.15, 0.2)],
    confirmations: [], regressions: passed ? [] : ['REGRESSION eventloop hello keepalive c=16: …'], failures: [], loadAverage: { before: 2, after: 2 },
    ...extra,
  }
}
const meta = {
  command: 'node dist/bench/cli/gate-calibration.js --runs=2', generatedAt: '2026-12-01T00:00:00.000Z', baselineLine: 'commit abc',
  runs: 2, model: 'eventloop', slowdownPct: 25, slowdownUs: 5, modelCpuUsPerRequest: 20, cpuSource: 'the A/A phase', sizedOn: 'eventloop hello keepalive c=16',
}

describe('gate-calibration --summarize', () => {
  it('writes the summary again from the records in the directory, counting blind checks old and new, and measures nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'calib-'))
    writeFileSync(join(dir, 'summary.json'), JSON.stringify({
      ...meta,
      summaries: [{ phase: 'A/A', run: 1, exitCode: 0 }, { phase: 'A/A', run: 2, exitCode: 0 }, { phase: 'slowed', run: 1, exitCode: 1 }, { phase: 'slowed', run: 2, exitCode: 0 }],
    }))
    writeFileSync(join(dir, 'aa-01.json'), JSON.stringify(record(true, { blind: ['eventloop|static|keepalive|16'] })))
    // a record from before `blind` existed: told by its first-pass line
    writeFileSync(join(dir, 'aa-02.json'), JSON.stringify(record(true, { disturbed: ['eventloop|hello|keepalive|16 (first pass): no round of 8 undisturbed (…): judged on all of them'] })))
    writeFileSync(join(dir, 'slowed-01.json'), JSON.stringify(record(false, { blind: [] })))
    writeFileSync(join(dir, 'slowed-02.json'), JSON.stringify(record(true, { blind: ['eventloop|hello|keepalive|16'] })))
    const r = summarize(dir)
    expect(r.status).toBe(0)
    const md = readFileSync(join(dir, 'summary.md'), 'utf8')
    expect(md).toContain('on 2026-12-01T00:00:00.000Z (this summary written again from the records on ')
    expect(md).toContain('**A/A (no slowdown): 2 of 2 checks passed.**')
    expect(md).toContain('**Slowed eventloop: 1 of 2 checks failed: 1 with a confirmed regression, 0 with a suspect')
    expect(md).toContain('judged on disturbed rounds only, where a slowdown reads as a speed-up): A/A 2, slowed 1.')
    expect(md).toContain('HTTPMODELS_SLOWDOWN_US=5 in eventloop')
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')).summaries).toHaveLength(4)
  })

  it('refuses, in one line, a summary.json from an older runner that lacks what the summary states', () => {
    const dir = mkdtempSync(join(tmpdir(), 'calib-'))
    writeFileSync(join(dir, 'summary.json'), JSON.stringify({ runs: 1, model: 'eventloop', slowdownPct: 25, summaries: [] }))
    const r = summarize(dir)
    expect(r.status).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/--summarize: .*summary\.json lacks command, generatedAt, baselineLine, sizedOn, slowdownUs, modelCpuUsPerRequest, cpuSource/)
  })
})
