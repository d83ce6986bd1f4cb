// Smoke runs of the bench CLI against the real serve CLI (dist/servers/serve.js, built by
// `npm test`'s pretest): the scenarios verify against the real app and fixtures.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { RunResults } from '../../../bench/driver/run-results.js'
import { main } from '../../../bench/cli/bench.js'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

async function bench(argv: string[]): Promise<{ code: number; stdout: string; results: RunResults }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-real-'))
  dirs.push(dir)
  let stdout = ''
  let stderr = ''
  const code = await main([...argv, `--out=${dir}`], { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } })
  const file = readdirSync(dir).find((f) => f.endsWith('.json'))
  if (file === undefined) throw new Error(`no results file; stderr:\n${stderr}`)
  return { code, stdout, results: JSON.parse(readFileSync(join(dir, file), 'utf8')) as RunResults }
}

describe('a smoke run against the real servers', () => {
  it('verifies and measures eventloop and node-http on hello and the template page, one raw sample per cell', async () => {
    const { code, stdout, results } = await bench(['--smoke', '--model=eventloop', '--scenario=hello,template', '--mode=keepalive'])
    expect(results.cells.map((c) => `${c.cell.scenario}:${c.cell.model}`)).toEqual(['hello:eventloop', 'hello:node-http', 'template:eventloop', 'template:node-http'])
    for (const cell of results.cells) {
      expect(cell.ok, cell.failure).toBe(true)
      expect(cell.load!.requests).toBeGreaterThan(0)
      expect(cell.load!.errors + cell.load!.non2xx + cell.load!.timeouts).toBe(0)
      expect(cell.exit).toMatchObject({ code: 0, signal: null })
    }
    const template = results.cells.find((c) => c.cell.scenario === 'template')!
    expect(template.verification!.checked.join(' ')).toMatch(/body sha256 [0-9a-f]{12}… \(reference fetch from node-http \(--db=memory\)/)
    expect(code).toBe(0)
    expect(stdout).toMatch(/4 cells, all passed/)
    // the keep-alive driver's ceiling, measured against the null server before the cells
    expect(results.ceilings).toEqual([expect.objectContaining({ driver: results.drivers!.keepalive, mode: 'keepalive', connections: 16 })])
    expect(results.ceilings![0]!.failure).toBeUndefined()
    expect(results.ceilings![0]!.requestsPerSec).toBeGreaterThan(0)
    expect(stdout).toMatch(new RegExp(`driver ceilings .*\\n  ${results.drivers!.keepalive} keepalive c=16: [\\d,]+ req/s, client CPU \\d+%`))
    expect(stdout).toMatch(/of ceiling/)
  })

  it('serves the static fixture byte for byte over close-per-request', async () => {
    const { code, results } = await bench(['--smoke', '--model=node-http', '--scenario=static', '--mode=close', '--ceiling=0'])
    expect(results.cells).toHaveLength(1)
    const cell = results.cells[0]!
    expect(cell.ok, cell.failure).toBe(true)
    expect(cell.load!.driver).toBe('close-client')
    expect(cell.load!.connectUs).toBeDefined()
    expect(cell.verification!.checked.join(' ')).toMatch(/fixture file fixtures\/www\/index\.html/)
    expect(results.ceilings).toBeUndefined()
    expect(code).toBe(0)
  })
})
