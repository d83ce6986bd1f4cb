// One crowd cell, start to finish: a verified server (cell-server.ts) with the flags the scenario
// needs, a probe process and a crowd process (clients/run-crowd.ts), then the phases
//   baseline  the probe alone; the server's memory before the crowd
//   burst     all N connections at once, until each is in or failed (or nothing moves, or the cap)
//   settle    a second, then until the kernel holds nothing more for the server: what the burst
//             left queued belongs to it, not to the held crowd (settle-backlog.ts)
//   steady    the crowd held for --duration: the probe, the server's memory and CPU
//   active    idle only: a small closed-loop keep-alive load beside the crowd (its req/s and p99)
//   tail      slowloris only: waiting for the server to end the slow heads (408 or close)
// and the server stopped cleanly. A model that stops answering is measured, not failed: its probe
// says "no answer in T"; only a server that would not verify, a worker that broke or an unclean
// stop fails the cell.

import { closeCellServer, openCellServer, type CellServerOptions } from './cell-server.js'
import type { CrowdCell, CrowdCellResult } from './crowd-results.js'
import { localProcess } from './server-process.js'
import { quietRss } from './quiet-rss.js'
import { settleBacklog } from './settle-backlog.js'
import { readServerSweeps } from './server-sweeps.js'
import { ACTIVE_CONNECTIONS, crowdCellSkip, REPORTS_SWEEPS, type CrowdConfig, crowdScenario, FD_RESERVE, PROBE, probeRateFor, SLOW_READ_BYTES_PER_SEC, SLOWLORIS_INTERVAL_MS } from './crowd-scenarios.js'
import { CrowdWorker } from '../clients/run-crowd.js'
import { openFileLimit } from '../host/open-files.js'
import { listenOverflows, tcpKernelBytes } from '../host/tcp-counters.js'
import { bytesPerConnection } from '../stats/per-connection.js'
import type { DriverName } from '../clients/load-client.js'
import type { LoadResult, LoadSpec } from '../types.js'

export interface CrowdCellOptions extends CellServerOptions {
  crowd: CrowdConfig
  durationSec: number
  /** Runs the idle scenario's active load (a LoadSession kept for the whole phase). */
  load: (spec: LoadSpec, driver: DriverName) => Promise<LoadResult>
}

/** How often the tail checks whether the server has ended every slow connection. */
const TAIL_POLL_MS = 250

export async function runCrowdCell(cell: CrowdCell, options: CrowdCellOptions): Promise<CrowdCellResult> {
  const startedAt = new Date()
  const scenario = crowdScenario(cell.scenario)
  const serveFlags = [...scenario.serveFlags(options.durationSec), ...(REPORTS_SWEEPS.includes(cell.model) ? ['--stats-port=0'] : [])]
  const result: CrowdCellResult = { cell, ok: false, startedAt: startedAt.toISOString(), wallSec: 0, serveFlags, notes: [] }
  const done = (): CrowdCellResult => {
    result.wallSec = (Date.now() - startedAt.getTime()) / 1000
    return result
  }
  const skip = crowdCellSkip(cell.model, cell.connections, options.crowd.maxProcs)
  if (skip !== null) {
    result.skipped = skip
    return done()
  }

  const opened = await openCellServer({ model: cell.model, scenario: scenario.verifies, mode: 'keepalive' }, { ...options, extraServeArgs: serveFlags })
  if (!opened.ok) {
    result.failure = opened.failure
    if (opened.exit !== undefined) result.exit = opened.exit
    return done()
  }
  const server = opened.cell
  result.notes.push(...server.notes)
  const probe = CrowdWorker.start()
  const crowd = CrowdWorker.start()
  try {
    const limits = { server: openFileLimit(localProcess(server.server).pid), client: await crowd.limits() }
    result.openFiles = limits
    const need = cell.connections + FD_RESERVE
    const short = [['server', limits.server], ['crowd client', limits.client]].find(([, l]) => l !== null && (l as { soft: number }).soft < need)
    if (short !== undefined) {
      result.skipped = `N = ${cell.connections} needs ${need} open files, but the ${short[0] as string} may open ${(short[1] as { soft: number }).soft}`
    } else {
      await measure(cell, options, scenario, server, probe, crowd, result)
      result.ok = true
    }
  } catch (error) {
    result.failure = `${cell.model} ${cell.scenario} N=${cell.connections}: ${(error as Error).message.split('\n')[0]}`
  } finally {
    probe.end()
    crowd.end()
  }
  const stopped = await closeCellServer(server)
  if (stopped.exit !== undefined) result.exit = stopped.exit
  if (stopped.failure !== undefined && result.ok) {
    result.ok = false
    result.failure = stopped.failure
  }
  return done()
}

async function measure(
  cell: CrowdCell,
  options: CrowdCellOptions,
  scenario: ReturnType<typeof crowdScenario>,
  server: Extract<Awaited<ReturnType<typeof openCellServer>>, { ok: true }>['cell'],
  probe: CrowdWorker,
  crowd: CrowdWorker,
  result: CrowdCellResult,
): Promise<void> {
  const { crowd: config, durationSec } = options
  const { pid, statsOrigin } = localProcess(server.server)

  const ratePerSec = probeRateFor(cell.model, config.probe.ratePerSec)
  await probe.probe({ origin: server.server.origin, path: PROBE.path, ratePerSec, timeoutMs: config.probe.timeoutMs }, 'baseline')
  await sleep(config.baselineSec * 1000)
  const before = await quietRss(pid, probe, config.probe.timeoutMs)
  const tcpBefore = tcpKernelBytes()

  await probe.phase('burst')
  const overflowsBefore = listenOverflows()
  const burst = await crowd.open({
    origin: server.server.origin, behaviour: cell.scenario, connections: cell.connections, path: scenario.path,
    burstCapMs: config.burstCapSec * 1000, quietMs: config.quietMs, headerIntervalMs: SLOWLORIS_INTERVAL_MS, readBytesPerSec: SLOW_READ_BYTES_PER_SEC,
  })
  const overflowsAfter = listenOverflows()
  result.burst = { ...burst, listenOverflows: overflowsBefore === null || overflowsAfter === null ? null : overflowsAfter - overflowsBefore }
  // the slow readers' sockets hold data a replica read would take from them
  result.sweepUs = cell.scenario === 'slow-reader' ? null : await crowd.sweep()
  await probe.phase('settle')
  result.settle = await settleBacklog(Number(new URL(server.server.origin).port), config.settleSec * 1000, config.burstCapSec * 1000)

  await probe.phase('steady')
  const counts = await crowd.counts()
  // slowloris ends its crowd with 408s soon after the window: the sweeps over the whole crowd may
  // be gone from the server's log by its end, so the window's start is read too
  const sweepsAtStart = statsOrigin === undefined ? null : await readServerSweeps(statsOrigin, counts.open)
  const meter = server.server.measure()
  const windowStart = performance.now()
  await sleep(durationSec * 1000)
  // a local server's usage is always there (only a target's can be unknown)
  const usage = (await meter.stop())!
  const windowSec = (performance.now() - windowStart) / 1000
  const tcpHeld = tcpKernelBytes()
  if (statsOrigin !== undefined) {
    const atEnd = await readServerSweeps(statsOrigin, counts.open)
    result.serverSweeps = atEnd?.us == null ? sweepsAtStart : atEnd
  }
  const held = await quietRss(pid, probe, config.probe.timeoutMs)
  const heldOpen = (await crowd.counts()).open
  result.held = {
    counts, rssBeforeBytes: before.bytes, rssHeldBytes: held.bytes, rssPeakBytes: usage.peakRssBytes,
    quiet: { before, held, open: heldOpen },
    rssPerConnectionBytes: bytesPerConnection(before.bytes, held.bytes, heldOpen),
    kernelTcpBytesPerConnection: bytesPerConnection(tcpBefore, tcpHeld, counts.open),
    cpuSec: usage.cpuSec, windowSec,
  }

  if (scenario.activeLoad) {
    await probe.phase('active')
    try {
      result.active = await options.load(server.spec(ACTIVE_CONNECTIONS, durationSec), server.driver)
    } catch (error) {
      result.active = { failure: (error as Error).message.split('\n')[0]! }
    }
  }
  const tailMs = scenario.tailMs(durationSec)
  if (tailMs > 0) {
    await probe.phase('tail')
    const until = performance.now() + tailMs
    while (performance.now() < until && (await crowd.counts()).open > 0) await sleep(TAIL_POLL_MS)
  }
  const phases = await probe.stopProbe(config.probe.timeoutMs)
  result.probe = { ratePerSec, timeoutMs: config.probe.timeoutMs, phases }
  result.end = await crowd.close()
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
