// A soak: one server kept under a mixed load for a long time while its process tree's RSS and open
// fds are sampled. The scenarios take turns in slices (hello, static, template, write by default),
// each slice a keep-alive load from the run's load client; the server runs the whole time. Any
// process of the tree that dies, any slice with errors or timeouts, is recorded, not hidden.
// The server runs with --db as given (memory by default; with a mysql URL the template slices read
// from MySQL too). Each write slice starts from its stock unfollowed (a slice may stop between a
// follow and its unfollow), and the write audit runs once at the end.

import { LoadSession } from '../clients/load-session.js'
import type { DriverChoice } from '../clients/load-client.js'
import { leakVerdict, type LeakVerdict } from '../stats/leak-verdict.js'
import { scenario as scenarioOf, writeCodes, type ScenarioName } from './scenarios.js'
import { auditWrites, resetWrites, type WriteAudit } from './write-audit.js'
import { startServerProcess } from './server-process.js'
import { SoakSampler, type SoakSample } from './soak-sampler.js'

export interface SoakConfig {
  model: string
  durationSec: number
  scenarios: ScenarioName[]
  connections: number
  sliceSec: number
  sampleSec: number
  db: string
  driver: DriverChoice
  timeoutMs: number
  serveArgs: string[]
}

export interface SoakSlice {
  scenario: ScenarioName
  startSec: number
  durationSec: number
  connections: number
  driver: string
  requests: number
  requestsPerSec: number
  non2xx: number
  errors: number
  timeouts: number
}

export interface SoakRun {
  model: string
  durationSec: number
  slices: SoakSlice[]
  samples: SoakSample[]
  rss: LeakVerdict
  fds: LeakVerdict
  /** The server and every process it had at the start were still there at the end. */
  serverSurvived: boolean
  /** The write audit after the last slice, when write was among the scenarios. */
  writeAudit?: WriteAudit
  exit: { code: number | null; signal: string | null; leftoverPids: number[] }
}

/** RSS: 10% of the start level over the measured time counts. Open fds: 10 (a connection or two
 * can be open or not at a sample; a leak keeps adding). */
export const RSS_CRITERIA = { warmupFraction: 0.2, minGrowth: 0.1, minAbsolute: Infinity }
export const FD_CRITERIA = { warmupFraction: 0.2, minGrowth: Infinity, minAbsolute: 10 }

export async function runSoak(config: SoakConfig, onSlice: (slice: SoakSlice, last: SoakSample | undefined) => void = () => {}): Promise<SoakRun> {
  const server = await startServerProcess({ args: [`--model=${config.model}`, '--port=0', '--host=127.0.0.1', `--db=${config.db}`, ...config.serveArgs] })
  const sampler = new SoakSampler(server.pid, config.sampleSec * 1000)
  const session = new LoadSession()
  const slices: SoakSlice[] = []
  const startProcesses = sampler.samples[0]!.processes
  const writeCode = writeCodes(1)[0]!
  let rowsBefore: number | undefined
  let writeAudit: WriteAudit | undefined
  try {
    for (let turn = 0; sampler.now() < config.durationSec; turn++) {
      const name = config.scenarios[turn % config.scenarios.length]!
      const s = scenarioOf(name)
      const durationSec = Math.min(config.sliceSec, config.durationSec - sampler.now())
      if (durationSec < 0.5) break // the clients measure whole requests; a sliver would be noise
      const connections = s.connections?.levels[0] ?? config.connections
      const first = s.requests[0]!
      if (s.auditsWrites === true) {
        const rows = await resetWrites(server.origin, config.db, writeCode)
        rowsBefore ??= rows
      }
      sampler.running(name)
      const startSec = sampler.now()
      const result = await session.run({
        origin: server.origin, method: first.method, path: first.path, headers: first.headers ?? {},
        ...(s.requests.length > 1 ? { requests: s.requests } : {}),
        connections, pipelining: 1, durationSec, mode: 'keepalive', timeoutMs: config.timeoutMs,
      }, config.driver)
      sampler.running('idle')
      const slice = {
        scenario: name, startSec, durationSec: result.durationSec, connections, driver: result.driver, requests: result.requests,
        requestsPerSec: result.requestsPerSec, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts,
      }
      slices.push(slice)
      onSlice(slice, sampler.samples.at(-1))
    }
    if (rowsBefore !== undefined) writeAudit = await auditWrites(server.origin, config.db, rowsBefore, writeCode)
  } finally {
    session.close()
  }
  const samples = sampler.stop()
  const serverSurvived = samples.at(-1)!.processes >= startProcesses
  const exit = await server.stop()
  const points = (pick: (s: SoakSample) => number) => samples.map((s) => ({ atSec: s.atSec, value: pick(s) }))
  return {
    model: config.model,
    durationSec: samples.at(-1)!.atSec,
    slices,
    samples,
    rss: leakVerdict(points((s) => s.rssBytes / 2 ** 20), RSS_CRITERIA, 'MiB'),
    fds: leakVerdict(points((s) => s.openFds), FD_CRITERIA, 'fds'),
    serverSurvived,
    ...(writeAudit !== undefined ? { writeAudit } : {}),
    exit: { code: exit.code, signal: exit.signal, leftoverPids: exit.leftoverPids },
  }
}
