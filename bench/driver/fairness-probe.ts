// Per-connection accounting for a cell whose measuring client cannot count per connection (wrk: C,
// one event loop over all its connections, and its Lua API never says which connection answered).
// Such a cell gets a short second load right after the measured one, in the same cell: same server
// process, same scenario, mode and connections, with the project's counting client (autocannon for
// keep-alive, the close-client for close-per-request). Its LoadResult is kept whole in the cell
// (CellResult.fairnessProbe) and its fairness is the cell's, marked as the probe's.
//
// Why a probe, not wrk alone or a counting client throughout: wrk stays the keep-alive driver
// where installed because it leaves the server the bottleneck (DESIGN.md), and the unfairness this
// looks for — a thread pool smaller than the connections, a full queue, an unfair accept — is a
// property of the server that any closed-loop client at the same concurrency finds, within a second.
// After the measured run, not before: the server is warm, and the probe sees the state the load left.

import type { CellServer } from './cell-server.js'
import type { DriverName } from '../clients/load-client.js'
import { runLoad } from '../clients/load-session.js'
import { chooseClient } from '../clients/registry.js'
import { connectionFairness } from '../stats/fairness.js'
import type { LoadResult, LoadSpec } from '../types.js'

/**
 * The probe measures at most this long. Its starvation threshold is half of it (stats/fairness.ts):
 * 1 s, above the ~0.5 s a fair model can take to answer its first request on each of its
 * connections here (fork: a Node process per connection, ~60–170 ms of CPU each, README), and short
 * enough that a probe adds ~2.5 s (with its worker process) to a 3 s keep-alive cell.
 */
export const PROBE_MAX_SEC = 2

/** Whether `load` lacks what fairness needs (its client cannot count per connection). */
export const needsFairnessProbe = (load: LoadResult): boolean => load.perConnection === undefined || load.longestGapUs === undefined

/** The probe's load: the counting client for the cell's mode, at the same connections. */
export async function probeFairness(
  server: CellServer, connections: number, durationSec: number, load: (spec: LoadSpec, driver: DriverName) => Promise<LoadResult> = runLoad,
): Promise<LoadResult> {
  const asked = server.spec(connections, Math.min(durationSec, PROBE_MAX_SEC))
  // a server that closes every connection (blocking) is measured close-per-request, as
  // cell-server.ts does for autocannon: autocannon mis-times server-closed connections
  const spec = server.verification.serverCloses === true ? { ...asked, mode: 'close' as const } : asked
  return load(spec, chooseClient(spec, 'autocannon').name)
}

/** What a reader of the cell's latency must know when the probe found starved connections, or null. */
export function probeNote(load: LoadResult, probe: LoadResult): string | null {
  if (probe.perConnection === undefined || probe.longestGapUs === undefined) return null
  const fairness = connectionFairness({ perConnection: probe.perConnection, longestGapUs: probe.longestGapUs }, probe.durationSec)
  if (fairness.starved === 0) return null
  const waiting = probe.outstanding ?? []
  const oldest = Math.max(0, ...waiting.map((o) => o.ageUs))
  return `${load.driver} cannot count per connection, so a ${probe.durationSec.toFixed(1)} s ${probe.driver} probe measured this cell's fairness: `
    + `${fairness.starved} of ${fairness.connections} connections starved, ${waiting.length} requests unanswered at its end (the oldest waiting ${(oldest / 1e6).toFixed(2)} s); `
    + `${load.driver}'s latency percentiles exclude the requests it left unanswered (it cannot see them)`
}
