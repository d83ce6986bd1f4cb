// Each load driver's ceiling on this machine: its requests/s against the null server (null-server.ts,
// in its own process), at each connection level and mode the run uses, measured once per run before
// the cells. A cell whose requests/s reaches CEILING_SHARE of its driver's ceiling measured the
// client as much as the server, whatever the client's CPU share says (report/summarize.ts flags it).
// Issue 12 saw why: on 2 cores autocannon held eventloop to 34.6k req/s at 96% of a core while wrk
// drew 56.9k from it at 71%, and the null server ~75k under wrk the same hour.
//
// Other measurements (open loop, connection crowds) record their clients' ceilings the same way:
// measureCeilings with their own (mode, connections) pairs, ceilingFor to look one up.

import { type LoadRunner, loadFailure } from './run-cell.js'
import { startServerProcess } from './server-process.js'
import type { DriverChoice, DriverName } from '../clients/load-client.js'
import { chooseClient } from '../clients/registry.js'
import { runLoad } from '../clients/load-session.js'
import { defaultDocRoot, nullServerEntry } from '../host/paths.js'
import type { ConnectionMode, LoadSpec } from '../types.js'

/**
 * A cell at or above this share of its driver's ceiling is flagged client-bound (issue 12's rule).
 * Precedent: k6 asks to keep a load generator under 80% of its capacity or its latencies inflate
 * (research/open-loop-and-many-connections.md, "When one machine is not enough").
 */
export const CEILING_SHARE = 0.8

/**
 * The null server at this share of a core or more was itself the bottleneck (the same 90% rule as a
 * client-bound cell, report/summarize.ts): the ceiling is then what a one-core Node server gets from
 * this client, a lower bound of the client's own. Seen here (2026-12-06): wrk c=16 drew 102k req/s
 * from the null server at 97% of a core, and 137k from nginx (C, one worker).
 */
export const NULL_SERVER_BOUND_SHARE = 0.9

/** Whether the null server, not the client, set this ceiling. */
export const nullServerBound = (c: Pick<DriverCeiling, 'serverCpuShare'>): boolean => c.serverCpuShare >= NULL_SERVER_BOUND_SHARE

export interface DriverCeiling {
  driver: DriverName
  mode: ConnectionMode
  connections: number
  /** Against the null server on this machine's loopback (a target across a link has its own). */
  requestsPerSec: number
  /** The load generator's CPU over the run, in cores (1 = one full core). */
  clientCpuShare: number
  /** The null server's CPU over the run, in cores. */
  serverCpuShare: number
  durationSec: number
  /** Why this ceiling is not a number to trust (errors during the run, or the run did not happen). */
  failure?: string
}

export interface CeilingOptions {
  /** Measured seconds per ceiling (wrk rounds to whole seconds, at least 1). */
  durationSec: number
  timeoutMs?: number
  /** Document root for the null server's home page (default fixtures/www). */
  root?: string
}

/** The (mode, connections) pairs a run needs, each once, with the client that will drive it. */
export function ceilingPlan(pairs: ReadonlyArray<{ mode: ConnectionMode; connections: number }>, driver: DriverChoice): Array<{ driver: DriverName; mode: ConnectionMode; connections: number }> {
  const seen = new Map<string, { driver: DriverName; mode: ConnectionMode; connections: number }>()
  for (const { mode, connections } of pairs) {
    const name = chooseClient({ mode }, driver).name
    seen.set(`${name}|${mode}|${connections}`, { driver: name, mode, connections })
  }
  return [...seen.values()].sort((a, b) => a.driver.localeCompare(b.driver) || a.mode.localeCompare(b.mode) || a.connections - b.connections)
}

/** Start the null server, measure every planned ceiling against GET /hello, stop it. Failures are recorded, never thrown. */
export async function measureCeilings(plan: ReturnType<typeof ceilingPlan>, options: CeilingOptions, load: LoadRunner = runLoad): Promise<DriverCeiling[]> {
  if (plan.length === 0) return []
  const failed = (why: string): DriverCeiling[] => plan.map((p) => ({ ...p, requestsPerSec: 0, clientCpuShare: 0, serverCpuShare: 0, durationSec: 0, failure: why }))
  let server
  try {
    server = await startServerProcess({ entry: nullServerEntry(), args: ['--port=0', `--root=${options.root ?? defaultDocRoot()}`] })
  } catch (error) {
    return failed(`the null server did not start: ${(error as Error).message.split('\n')[0]}`)
  }
  const ceilings: DriverCeiling[] = []
  try {
    for (const p of plan) {
      const spec: LoadSpec = {
        origin: server.origin, method: 'GET', path: '/hello', headers: {}, connections: p.connections, pipelining: 1,
        durationSec: options.durationSec, mode: p.mode, timeoutMs: options.timeoutMs ?? 10_000,
      }
      const meter = server.measure()
      try {
        const result = await load(spec, p.driver)
        const usage = await meter.stop()
        const seconds = result.durationSec > 0 ? result.durationSec : options.durationSec
        const bad = loadFailure(result)
        ceilings.push({
          ...p, requestsPerSec: result.requestsPerSec, clientCpuShare: result.clientCpuSec / seconds, serverCpuShare: (usage?.cpuSec ?? 0) / seconds,
          durationSec: result.durationSec, ...(bad !== null ? { failure: bad } : {}),
        })
      } catch (error) {
        await meter.stop()
        ceilings.push({ ...p, requestsPerSec: 0, clientCpuShare: 0, serverCpuShare: 0, durationSec: 0, failure: (error as Error).message.split('\n')[0]! })
      }
    }
  } finally {
    await server.stop()
  }
  return ceilings
}

/** The ceiling of the client that measured a load, at its mode and connections; none when it was not measured or failed. */
export function ceilingFor(ceilings: readonly DriverCeiling[] | undefined, driver: DriverName, mode: ConnectionMode, connections: number): DriverCeiling | undefined {
  return ceilings?.find((c) => c.driver === driver && c.mode === mode && c.connections === connections && c.failure === undefined && c.requestsPerSec > 0)
}
