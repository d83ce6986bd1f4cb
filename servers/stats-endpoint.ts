// `npm run serve -- --stats-port=P`: the server's own process tree (this process, its workers and
// children, found in /proc the way the bench finds a local server's: bench/host/process-tree.ts)
// as a small JSON document over HTTP, so a load driver on another host reads CPU and RSS as it
// would locally (bench/driver/target-stats.ts) and CPU per request works across hosts.
//
// GET / (any path) answers:
//   { "schema": "httpmodels-stats/1", "server": "httpmodels", "model", "pid",
//     "cpuSec":       user+sys CPU-seconds of the tree since it started (exited children included),
//     "rssBytes":     the tree's summed RSS now,
//     "peakRssBytes": the highest summed RSS sampled since the previous request (so a reader's two
//                     requests bracket a window: CPU is the difference, peak RSS is the second's),
//     "sweeps":       only for a model that polls its clients (nonblocking): its own timing of its
//                     last passes over them (servers/models/sweep-log.ts) }
// RSS is sampled every RSS_SAMPLE_MS inside this process, as the local meter does from outside;
// the sampling costs well under 1% of a core and is counted in the tree's CPU.

import http from 'node:http'
import { listProcessTree, procUnits, RSS_SAMPLE_MS, sampleProcessTree, treeCpuTicks, treeRssBytes } from '../bench/host/process-tree.js'
import { listen } from './models/listen.js'
import type { SweepStats } from './models/sweep-log.js'

export const STATS_SCHEMA = 'httpmodels-stats/1'

export interface ServerStats {
  schema: typeof STATS_SCHEMA
  /** Always `httpmodels`: a driver may take the stock-app checks for granted with this server. */
  server: 'httpmodels'
  model: string
  pid: number
  cpuSec: number
  rssBytes: number
  peakRssBytes: number
  sweeps?: SweepStats
}

export interface StatsEndpoint {
  host: string
  port: number
  close(): Promise<void>
}

export async function startStatsEndpoint(model: string, host: string, port: number, sweepStats?: () => SweepStats): Promise<StatsEndpoint> {
  const pid = process.pid
  let peak = treeRssBytes(listProcessTree(pid))
  const sampler = setInterval(() => { peak = Math.max(peak, treeRssBytes(sampleProcessTree(pid))) }, RSS_SAMPLE_MS)
  sampler.unref()
  const server = http.createServer((_req, res) => {
    const tree = listProcessTree(pid)
    const rssBytes = treeRssBytes(tree)
    const stats: ServerStats = {
      schema: STATS_SCHEMA, server: 'httpmodels', model, pid,
      cpuSec: treeCpuTicks(tree) / procUnits().clockTicksPerSec,
      rssBytes, peakRssBytes: Math.max(peak, rssBytes),
      ...(sweepStats !== undefined ? { sweeps: sweepStats() } : {}),
    }
    peak = rssBytes
    const body = JSON.stringify(stats)
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' })
    res.end(body)
  })
  // the stats reader must not hold the server open at shutdown
  server.keepAliveTimeout = 1_000
  let bound
  try {
    bound = await listen(server, { host, port })
  } catch (error) {
    clearInterval(sampler)
    throw error
  }
  return {
    host,
    port: bound.port,
    close: () => new Promise<void>((resolve) => {
      clearInterval(sampler)
      server.close(() => resolve())
      server.closeAllConnections()
    }),
  }
}
