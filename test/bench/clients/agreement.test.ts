// The agreement check for close-per-request: the project's close-client and
// `wrk -H 'Connection: close'` must measure the same server at the same requests/s, within 15%.
// Runs interleaved (close-client, wrk, close-client, wrk, ...) so machine drift hits both alike,
// and compares medians (DESIGN.md "Benchmark method"). Slow (~2 min of load), so it runs only when
// asked: HTTPMODELS_AGREEMENT=1 npx vitest run test/bench/clients/agreement
// Target: --model=node-http through the serve CLI when dist/servers/serve.js starts, else a plain
// node:http server in its own process (test/bench/fixtures/fake-server.mjs).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { runLoad } from '../../../bench/clients/load-session.js'
import { startServerProcess, type ServerProcess } from '../../../bench/driver/server-process.js'
import { repoRoot } from '../../../bench/host/paths.js'
import type { LoadResult, LoadSpec } from '../../../bench/types.js'
import { ensureBenchBuilt } from '../fixtures/build.js'

const asked = process.env.HTTPMODELS_AGREEMENT === '1'
const REPEATS = Number(process.env.HTTPMODELS_AGREEMENT_REPEATS ?? 3)
const DURATION_SEC = Number(process.env.HTTPMODELS_AGREEMENT_SECONDS ?? 5)
const CONNECTIONS = Number(process.env.HTTPMODELS_AGREEMENT_CONNECTIONS ?? 16)
/** Pause between runs so TIME_WAIT sockets from one do not slow the next one's connect() (research/node-models.md §0). */
const PAUSE_MS = 2_000

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

interface Target { server: ServerProcess; label: string }

/** --model=node-http when the serve CLI starts, else a plain node:http server in its own process. */
async function startTarget(): Promise<Target & { paths: string[] }> {
  const serve = join(repoRoot(), 'dist', 'servers', 'serve.js')
  if (existsSync(serve)) {
    try {
      const server = await startServerProcess({ args: ['--model=node-http', '--port=0', '--host=127.0.0.1', '--db=memory'] })
      // /hello: the cheapest response, where the client's own CPU matters most;
      // /stocks.html: a 29 KB templated page, where the server is clearly the bottleneck
      return { server, label: 'serve --model=node-http', paths: ['/hello', '/stocks.html'] }
    } catch (error) {
      process.stderr.write(`agreement: serve CLI did not start (${(error as Error).message.split('\n')[0]}); using a plain node:http server\n`)
    }
  }
  const fake = fileURLToPath(new URL('../fixtures/fake-server.mjs', import.meta.url))
  const server = await startServerProcess({ entry: fake, args: ['--port=0', '--host=127.0.0.1'] })
  return { server, label: 'plain node:http server (fake-server.mjs)', paths: ['/'] }
}

async function compare(target: Target, path: string): Promise<number> {
  const { server, label } = target
  const runs: Record<'close-client' | 'wrk', LoadResult[]> = { 'close-client': [], wrk: [] }
  const spec: LoadSpec = {
    origin: server.origin, method: 'GET', path, headers: {}, connections: CONNECTIONS, pipelining: 1,
    durationSec: DURATION_SEC, mode: 'close', timeoutMs: 5_000,
  }
  // warm the server (JIT) before anything is measured
  await runLoad({ ...spec, durationSec: 2 }, 'close-client')
  for (let i = 0; i < REPEATS; i++) {
    for (const driver of ['close-client', 'wrk'] as const) {
      await new Promise((resolve) => setTimeout(resolve, PAUSE_MS))
      const meter = server.measure()
      const result = await runLoad(spec, driver)
      const usage = (await meter.stop())!
      runs[driver].push(result)
      process.stdout.write(`agreement ${label} GET ${path} c=${CONNECTIONS} ${DURATION_SEC}s repeat ${i + 1} ${driver}: ` +
        `${result.requestsPerSec.toFixed(0)} req/s, ${result.requests} requests, errors ${result.errors}, timeouts ${result.timeouts}, ` +
        `p50 ${result.latencyUs.p50} µs, p99 ${result.latencyUs.p99} µs, ` +
        `client CPU ${result.clientCpuSec.toFixed(2)} s (${((result.clientCpuSec / result.requests) * 1e6).toFixed(1)} µs/request), ` +
        `server CPU ${usage.cpuSec.toFixed(2)} s (${((usage.cpuSec / result.requests) * 1e6).toFixed(1)} µs/request), ` +
        `load average ${readFileSync('/proc/loadavg', 'latin1').split(' ')[0]}\n`)
    }
  }
  const closeClient = median(runs['close-client'].map((r) => r.requestsPerSec))
  const wrk = median(runs.wrk.map((r) => r.requestsPerSec))
  const ratio = closeClient / wrk
  process.stdout.write(`agreement medians GET ${path}: close-client ${closeClient.toFixed(0)} req/s, wrk ${wrk.toFixed(0)} req/s, ratio ${ratio.toFixed(3)}\n`)
  for (const result of [...runs['close-client'], ...runs.wrk]) expect(result.errors).toBe(0)
  return ratio
}

describe.skipIf(!asked)('close-client agrees with wrk -H "Connection: close" (HTTPMODELS_AGREEMENT=1 to run)', () => {
  beforeAll(() => ensureBenchBuilt(), 120_000)

  it('gives requests/s within 15% of wrk, medians of interleaved repeats, on every path', async () => {
    const target = await startTarget()
    const ratios: Record<string, number> = {}
    try {
      for (const path of target.paths) ratios[path] = await compare(target, path)
    } finally {
      await target.server.stop()
    }
    for (const [path, ratio] of Object.entries(ratios)) {
      expect(Math.abs(ratio - 1), `GET ${path}: close-client/wrk = ${ratio.toFixed(3)}`).toBeLessThanOrEqual(0.15)
    }
  }, 900_000)
})
