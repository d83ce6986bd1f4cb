// A server the bench did not start: `--target=[NAME=]URL` (nginx, the course's Python servers, our
// own models on another host). It is measured like a model — same scenarios, verification before
// load, clients, tables and ratios — except that nothing starts or stops it, and its CPU and RSS
// come from its stats endpoint (`npm run serve -- --stats-port=P`, servers/stats-endpoint.ts) when
// `--target-stats` names one; without it those columns show —.
//
// Whether it is one of ours decides what its verification may assume (verify.ts): an httpmodels
// server (Server: httpmodels) gets every check, the stock app's pages and the write audit included;
// any other server is checked on status and, where the scenario gives one, the expected body.

import { exchange } from '../clients/http-exchange.js'
import type { ServerMeter, ServerUnderTest } from './server-process.js'
import type { ServerUsage } from '../types.js'

export interface Target {
  /** What the tables call it (a column of its own, like a model). */
  name: string
  /** http://HOST:PORT, loopback or 198.18.0.0/15 (clients/load-target.ts). */
  origin: string
  /** The stats endpoint's origin, when the target runs one. */
  stats?: string
}

/** What every httpmodels server sends (servers/http/response.ts SERVER_LINE). */
export const OUR_SERVER_HEADER = 'httpmodels'

export interface TargetIdentity {
  ours: boolean
  /** Its Server header, for the report ('(none)' when it sends none). */
  server: string
}

/** Ask the target GET / and read its Server header; throws one line when it does not answer. */
export async function identifyTarget(target: Target): Promise<TargetIdentity> {
  let answer
  try {
    answer = await exchange(target.origin, { method: 'GET', path: '/', headers: {} })
  } catch (error) {
    throw new Error(`target ${target.name} (${target.origin}) did not answer GET /: ${(error as Error).message}`)
  }
  const server = answer.headers.server ?? '(none)'
  return { ours: server === OUR_SERVER_HEADER, server }
}

/** The target as a server under test: measured through its stats endpoint if any, never stopped. */
export function targetServer(target: Target): ServerUnderTest {
  return {
    origin: target.origin,
    measure: () => (target.stats === undefined ? { stop: async () => undefined } : statsMeter(target.stats)),
    stop: async () => ({ code: 0, signal: null, stderr: '', leftoverPids: [] }),
  }
}

interface StatsReading { cpuSec: number; peakRssBytes: number }

/** One reading of a stats endpoint (servers/stats-endpoint.ts), or why there is none. */
export async function readStats(origin: string): Promise<StatsReading> {
  const answer = await exchange(origin, { method: 'GET', path: '/', headers: {} })
  if (answer.status !== 200) throw new Error(`stats endpoint ${origin} answered ${answer.status}`)
  const stats = JSON.parse(answer.body.toString('utf8')) as Partial<StatsReading> & { schema?: string }
  if (stats.schema !== 'httpmodels-stats/1' || typeof stats.cpuSec !== 'number' || typeof stats.peakRssBytes !== 'number') {
    throw new Error(`stats endpoint ${origin} did not answer an httpmodels-stats/1 document`)
  }
  return { cpuSec: stats.cpuSec, peakRssBytes: stats.peakRssBytes }
}

/** Two readings bracket the window: CPU is their difference, peak RSS the second's (the endpoint's
 * peak since the previous reading). A reading that fails leaves the usage unknown, not zero. */
function statsMeter(origin: string): ServerMeter {
  const first = readStats(origin)
  first.catch(() => {})
  return {
    stop: async (): Promise<ServerUsage | undefined> => {
      try {
        const start = await first
        const end = await readStats(origin)
        return { cpuSec: Math.max(0, end.cpuSec - start.cpuSec), peakRssBytes: end.peakRssBytes }
      } catch {
        return undefined
      }
    },
  }
}
