// `npm run bench -- --app=module:export`: every server runs the user's gateway app, and its answers
// are verified against the reference model running the same app. Real server processes (the serve
// CLI, built), the open-loop test double, so no load is generated. Needs the build: `npm test` builds first.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { main } from '../../../bench/cli/bench.js'
import { openLoopTestDouble } from '../../../bench/clients/open-loop-test-double.js'
import type { RunResults } from '../../../bench/driver/run-results.js'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('bench --app', () => {
  it('serves the given app under the model and verifies it against the reference model running the same app', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-app-'))
    dirs.push(dir)
    let stderr = ''
    const code = await main(['--model=eventloop', '--no-reference', '--scenario=hello', '--mode=keepalive', '--rate=100', '--duration=0.3', '--warmup=0', '--ceiling=0',
      '--app=./test/fixtures/greeting-app.mjs:application', `--out=${dir}`], {
      stdout: { write: () => true }, stderr: { write: (t: string) => (stderr += t) }, openLoop: openLoopTestDouble({ serviceUs: 100 }),
    })
    expect(code, stderr).toBe(0)
    const results = JSON.parse(readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.json'))!), 'utf8')) as RunResults
    expect(results.config.app).toMatch(/\/test\/fixtures\/greeting-app\.mjs:application$/)
    expect(results.openLoop!.points).toHaveLength(1)
    expect(results.openLoop!.points[0]!.ok).toBe(true)
  })

  it('fails the cell when the app under test answers differently from the reference running the same app', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-app-'))
    dirs.push(dir)
    // the crash app answers with the pid serving it: no two servers agree, so verification must catch it
    const code = await main(['--model=eventloop', '--no-reference', '--scenario=hello', '--mode=keepalive', '--rate=100', '--duration=0.3', '--warmup=0', '--ceiling=0',
      '--app=./test/fixtures/crash-app.mjs:application', `--out=${dir}`], {
      stdout: { write: () => true }, stderr: { write: () => true }, openLoop: openLoopTestDouble({ serviceUs: 100 }),
    })
    expect(code).toBe(1)
    const results = JSON.parse(readFileSync(join(dir, readdirSync(dir).find((f) => f.endsWith('.json'))!), 'utf8')) as RunResults
    expect(results.openLoop!.series[0]!.failure).toMatch(/verification failed: GET \/hello: body sha256 .* reference fetch from node-http running --app=/)
    expect(results.openLoop!.points).toEqual([])
  })
})
