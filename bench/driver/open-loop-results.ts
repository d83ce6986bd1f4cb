// What the open-loop phase of a bench run recorded (RunResults.openLoop): every point measured (one
// model × scenario × mode at one offered rate, its OpenLoopResult whole: target and achieved rate,
// latency from the intended send time and service time with their encoded histograms, lateness,
// connections used, any client-lagging flag), its verdict against the SLO with the percentile's
// confidence band, each series' sustainable rate, and the open-loop client's own ceiling.

import type { QuietWait } from './quiet-machine.js'
import type { OpenLoopConfig } from './open-loop-config.js'
import type { SloVerdict } from '../stats/slo-verdict.js'
import type { SustainableRate } from '../stats/sustainable-rate.js'
import type { ConnectionMode, OpenLoopResult } from '../types.js'

/** The rate at which the open-loop client itself starts lagging against a trivial server on this
 * machine (driver/open-loop-ceiling.ts), so nobody reads a client limit as a server limit. */
export interface OpenLoopCeilingRecord {
  /** The highest rate it kept, req/s; null when not measured, or when it kept none (keptNone). */
  rate: number | null
  mode: ConnectionMode
  /** The client kept no rate of the search, lagging even at this lowest one: every point in this
   * mode would measure the client, so none is offered. Absent when it kept one, or was not measured. */
  keptNone?: { lowestRate: number }
  /** One line: how it was measured, or why it was not. */
  detail: string
}

export interface OpenLoopPoint {
  model: string
  scenario: string
  /** The mode asked for (a server that closes every connection is driven in close mode: see notes). */
  mode: ConnectionMode
  /** The offered rate, req/s. */
  rate: number
  /** ladder: the list or the auto ladder; search: a bisection step towards the sustainable rate. */
  phase: 'ladder' | 'search'
  /** False only when the point could not be measured (the client threw, the server died). */
  ok: boolean
  failure?: string
  startedAt: string
  /** How long the point waited for the machine to be quiet before it started (quiet-machine.ts). */
  quiet?: QuietWait
  wallSec: number
  result?: OpenLoopResult
  /** Latency samples behind the SLO's percentile (the histogram's count). */
  samples: number
  /** The SLO's percentile of latency from the intended send time, µs, with its 95% band. */
  sloValueUs: number | null
  band?: { lowUs: number; highUs: number; lowPercentile: number; highPercentile: number }
  verdict: SloVerdict
  notes?: string[]
}

/** One model × scenario × mode: its capacity (auto), the rates planned, and what the points say. */
export interface OpenLoopSeries {
  model: string
  scenario: string
  mode: ConnectionMode
  /** The closed-loop req/s the ladder was taken from (auto and the curve). */
  capacity?: number
  planned: number[]
  sustainable: SustainableRate
  /** Why the series has no points (the server did not open, no capacity was measured). */
  failure?: string
  notes: string[]
}

export interface OpenLoopSection {
  config: OpenLoopConfig
  ceiling?: OpenLoopCeilingRecord
  points: OpenLoopPoint[]
  series: OpenLoopSeries[]
}
