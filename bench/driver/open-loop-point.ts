// One open-loop point: a server already open (cell-server.ts) offered `rate` requests/s by the
// open-loop client for the point's warm-up (discarded) and measured time, then judged against the
// SLO: its percentile of latency from the intended send time, that percentile's 95% band from the
// sample count, and whether the client kept its schedule. A point that could not be measured at
// all is failed (never a number); one that lost requests fails the SLO.

import type { QuietWait } from './quiet-machine.js'
import type { CellServer } from './cell-server.js'
import type { OpenLoopConfig } from './open-loop-config.js'
import type { OpenLoopPoint } from './open-loop-results.js'
import { percentileBand, percentileOf } from '../stats/percentile-band.js'
import { sloVerdict } from '../stats/slo-verdict.js'
import type { OpenLoopResult, OpenLoopSpec } from '../types.js'

/** Runs one open-loop load (the client in its own process: clients/open-loop-client.ts). */
export type OpenLoopRunner = (spec: OpenLoopSpec) => Promise<OpenLoopResult>

/** The open-loop load against `server` at `rate`, from the same request the closed-loop cells send. */
export function openLoopSpec(server: CellServer, rate: number, config: OpenLoopConfig, seed: number): OpenLoopSpec {
  // the closed-loop spec carries the scenario's request and the mode the server can be driven in
  const base = server.spec(1, config.durationSec)
  return {
    origin: base.origin,
    method: base.method,
    path: base.path,
    headers: base.headers,
    ...(base.body !== undefined ? { body: base.body } : {}),
    ...(base.requests !== undefined ? { requests: base.requests } : {}),
    mode: base.mode,
    rate,
    arrivals: config.arrivals,
    durationSec: config.durationSec,
    warmupSec: config.warmupSec,
    maxConnections: config.maxConnections,
    timeoutMs: base.timeoutMs,
    seed,
  }
}

export async function measurePoint(
  server: CellServer, rate: number, phase: OpenLoopPoint['phase'], config: OpenLoopConfig, run: OpenLoopRunner, seed: number,
  quiet: QuietWait | null = null,
): Promise<OpenLoopPoint> {
  const started = Date.now()
  const spec = openLoopSpec(server, rate, config, seed)
  const point = { model: server.model, scenario: server.scenario.name, mode: server.mode, rate, phase, startedAt: new Date(started).toISOString(), ...(quiet !== null ? { quiet } : {}) }
  const notes = spec.mode !== server.mode ? [`the server closes every connection, so this ${server.mode} point was driven with a new connection per request`] : []
  if (quiet !== null && !quiet.settled) notes.push(`the machine was still busy (${quiet.busyCores.toFixed(2)} cores) after ${(quiet.waitedMs / 1000).toFixed(0)} s of waiting for it to settle: this point ran beside that work`)
  let result: OpenLoopResult
  try {
    result = await run(spec)
  } catch (error) {
    const failure = `${server.model} ${point.scenario} ${server.mode} at ${rate}/s: ${(error as Error).message.split('\n')[0]}`
    return {
      ...point, ok: false, failure, wallSec: (Date.now() - started) / 1000, samples: 0, sloValueUs: null,
      verdict: { outcome: 'fail', why: `not measured: ${failure}`, marginal: false, fewSamples: true }, ...(notes.length > 0 ? { notes } : {}),
    }
  }
  const band = percentileBand(result.latencyUs, config.slo.percentile)
  const samples = band?.samples ?? result.requests
  const sloValueUs = band?.valueUs ?? (result.requests > 0 ? percentileOf(result.latencyUs, config.slo.percentile) : null)
  const verdict = sloVerdict({
    valueUs: sloValueUs, samples, errors: result.errors, non2xx: result.non2xx, timeouts: result.timeouts,
    ...(band !== null ? { band } : {}), ...(result.clientLagging !== undefined ? { clientLagging: result.clientLagging } : {}),
  }, config.slo, config.minSamples)
  if (verdict.fewSamples) notes.push(`p${config.slo.percentile} from ${samples.toLocaleString('en-US')} samples, fewer than ${config.minSamples.toLocaleString('en-US')}: read it with its band`)
  return {
    ...point, ok: true, wallSec: (Date.now() - started) / 1000, result, samples, sloValueUs,
    ...(band !== null ? { band: { lowUs: band.lowUs, highUs: band.highUs, lowPercentile: band.lowPercentile, highPercentile: band.highPercentile } } : {}),
    verdict, ...(notes.length > 0 ? { notes } : {}),
  }
}
