// One round of `bench:check` for one group: node-http and the checked models, each in a fresh
// server process, measured in short alternating slices (A B A B … of `sliceSec` each) instead of
// one long run after the other.
//
// Why slices: on this shared 2-core machine, other processes come and go on a scale of seconds,
// and measured back to back, two identical servers differed by −27%…+70% in req/s and ±20% in CPU
// per request (A/A, 4 s runs, load average 4–8; results/gate-calibration.md). Alternating
// half-second slices puts both servers under nearly the same neighbours, so most of that noise
// is shared and cancels in the ratio — the duet benchmarking idea (bench-anchors.md §5), done
// sequentially so the two servers never compete with each other for the two cores.
//
// Each server is opened as every other measurement opens one (cell-server.ts: started on the memory
// store, verified: status, headers, body hash) and warmed up before any slice; its CPU is
// metered around its own slices only; a slice with errors, timeouts or non-2xx fails the server's
// round, loudly. The load client runs in this process (a fork per half-second slice would cost a
// third of the slice); its CPU is not a metric here.

import { type CellServer, closeCellServer, openCellServer } from './cell-server.js'
import { driverFor, loadFailure } from './run-cell.js'
import { runClientHere } from '../clients/run-load.js'
import type { MeasuredRun, SliceSample } from './run-metrics.js'
import { isScenarioName, scenario as scenarioNamed } from './scenarios.js'
import type { ConnectionMode, LoadResult, LoadSpec } from '../types.js'
import { REFERENCE_MODEL } from './matrix.js'

export interface DuetOptions {
  /** Measured seconds per server per round, split into slices. */
  durationSec: number
  warmupSec: number
  sliceSec: number
  driver: 'autocannon' | 'wrk'
  serveEntry?: string
  root?: string
  /** The environment for one model's server (default: ours). The test-only slowdown uses it. */
  envFor?: (model: string) => NodeJS.ProcessEnv | undefined
  /** Bind every server to this CPU (cpu-pinning.ts); the caller pins itself elsewhere. */
  serverCpu?: number
}

export interface DuetGroup {
  scenario: string
  mode: ConnectionMode
  connections: number
}

interface Contender {
  model: string
  cell?: CellServer
  failure?: string
  requests: number
  seconds: number
  cpuSec: number
  peakRssBytes: number
  bytesRead: number
  slices: SliceSample[]
}

/** Run one round: `order` lists the models (reference included) in the order of the first slice;
 * the order reverses every slice so no model always follows the same neighbour. */
export async function runDuetRound(group: DuetGroup, order: readonly string[], options: DuetOptions): Promise<Map<string, MeasuredRun>> {
  if (!isScenarioName(group.scenario)) throw new Error(`unknown scenario ${group.scenario}`)
  const s = scenarioNamed(group.scenario)
  if (s.requests.length !== 1 || s.auditsWrites) throw new Error(`bench:check slices only single-request, read-only scenarios; ${s.name} is not one`)
  const request = s.requests[0]!
  const spec = (origin: string, durationSec: number): LoadSpec => ({
    origin, method: request.method, path: request.path, headers: { ...request.headers },
    connections: group.connections, pipelining: 1, durationSec, mode: group.mode, timeoutMs: 10_000,
  })
  const driver = driverFor(group.mode, options.driver)
  const contenders: Contender[] = order.map((model) => ({ model, requests: 0, seconds: 0, cpuSec: 0, peakRssBytes: 0, bytesRead: 0, slices: [] }))
  const live = (): Contender[] => contenders.filter((c) => c.failure === undefined && c.cell !== undefined)

  try {
    for (const c of contenders) {
      // Every contender is measured with the round's client in the round's mode, so that the ratio
      // compares like with like: the client cell-server.ts would pick for this server is not used.
      const opened = await openCellServer({ model: c.model, scenario: s.name, mode: group.mode }, {
        db: 'memory', driver: options.driver, serveEntry: options.serveEntry, root: options.root, referenceModel: REFERENCE_MODEL,
        serverEnv: options.envFor?.(c.model), serverCpu: options.serverCpu,
      })
      if (opened.ok) c.cell = opened.cell
      else c.failure = opened.failure
    }
    for (const c of live()) {
      if (options.warmupSec > 0) await runClientHere(spec(c.cell!.server.origin, options.warmupSec), driver)
    }
    const slices = Math.max(1, Math.round(options.durationSec / options.sliceSec))
    for (let i = 0; i < slices; i++) {
      const turn = i % 2 === 0 ? live() : live().reverse()
      for (const c of turn) {
        const meter = c.cell!.server.measure()
        let load: LoadResult
        let cpuSec = 0
        try {
          load = await runClientHere(spec(c.cell!.server.origin, options.durationSec / slices), driver)
        } finally {
          // the gate's servers are local: their usage is always there
          const usage = (await meter.stop())!
          cpuSec = usage.cpuSec
          c.cpuSec += cpuSec
          c.peakRssBytes = Math.max(c.peakRssBytes, usage.peakRssBytes)
        }
        const bad = loadFailure(load)
        if (bad !== null) {
          c.failure = `slice ${i + 1}: ${bad}`
          continue
        }
        c.requests += load.requests
        c.seconds += load.durationSec
        c.bytesRead += load.bytesRead
        c.slices.push({ requests: load.requests, seconds: load.durationSec, cpuSec })
      }
    }
  } finally {
    for (const c of contenders) {
      if (c.cell === undefined) continue
      c.failure ??= (await closeCellServer(c.cell)).failure
    }
  }
  return new Map(contenders.map((c) => [c.model, toRun(c, group.mode, driver)]))
}

function toRun(c: Contender, mode: ConnectionMode, driver: ReturnType<typeof driverFor>): MeasuredRun {
  if (c.failure !== undefined) return { ok: false, failure: c.failure }
  const load: LoadResult = {
    driver, mode, durationSec: c.seconds, requests: c.requests, requestsPerSec: c.seconds > 0 ? c.requests / c.seconds : 0,
    non2xx: 0, errors: 0, timeouts: 0, bytesRead: c.bytesRead, clientCpuSec: 0, perSecond: [],
    latencyUs: { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0, source: 'not aggregated across duet slices (bench:check gates on req/s and CPU)' },
  }
  return { ok: true, load, server: { cpuSec: c.cpuSec, peakRssBytes: c.peakRssBytes }, slices: c.slices }
}
