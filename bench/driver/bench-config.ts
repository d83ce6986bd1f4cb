// What one `npm run bench` is asked to do, validated (cli/bench-args.ts builds it from the flags),
// and the per-model concurrency levels it implies. Recorded in every results file.

import type { CrowdConfig } from './crowd-scenarios.js'
import type { OpenLoopConfig } from './open-loop-config.js'
import { isScenarioName, scenario, type ScenarioName } from './scenarios.js'
import type { ConnectionMode } from '../types.js'
import type { Target } from './target-server.js'

export interface BenchConfig {
  /** The models this bench starts, in run order; includes the reference when it was added for ratios. */
  models: string[]
  /** Servers the bench did not start (`--target`), measured after the models; absent when none. */
  targets?: Target[]
  /** Scenarios that will run (skipped ones are in `skipped`). */
  scenarios: ScenarioName[]
  skipped: Array<{ scenario: string; reason: string }>
  modes: ConnectionMode[]
  /** Concurrency levels per model (per-model defaults applied unless --connections was given). */
  connections: Record<string, number[]>
  /** Model × scenario pairs left out, with the reason (e.g. writes on a per-process memory store). */
  skippedCells: Array<{ model: string; scenario: string; reason: string }>
  durationSec: number
  warmupSec: number
  repeat: number
  db: string
  workers?: number
  /** The load driver asked for: `auto` (wrk for keep-alive where installed, else autocannon;
   * close-per-request on the close-client), or one forced. */
  driver: 'auto' | 'autocannon' | 'wrk'
  timeoutMs: number
  /** Seconds each driver's ceiling is measured against the null server before the cells (0: not
   * measured; absent in configs built before ceilings existed). */
  ceilingSec?: number
  smoke: boolean
  /** The model or target every ratio divides by, or null (--no-reference, or only targets and no --reference). */
  reference: string | null
  /** Lines to tell the person running the bench (reference added, per-model defaults, skips). */
  notes: string[]
  out: string
  json: boolean
  /** The many-connections phase (idle, slowloris, slow-reader), when asked for. */
  crowd?: CrowdConfig
  /** The open-loop phase (--rate, or the default run's latency curve), when there is one. */
  openLoop?: OpenLoopConfig
  /** A gateway app every server runs instead of the stock app (--app=module:export, the module's path made absolute). */
  app?: string
}

/** The concurrency levels one model runs one scenario at: none when the pair is left out, the
 * scenario's own levels when it fixes them, else the model's. */
export function connectionsFor(config: Pick<BenchConfig, 'connections' | 'skippedCells'>, model: string, name: string): number[] {
  if (config.skippedCells.some((s) => s.model === model && s.scenario === name)) return []
  const levels = config.connections[model] ?? []
  const fixed = isScenarioName(name) ? scenario(name).connections : undefined
  return fixed === undefined || levels.length === 0 ? levels : [...fixed.levels]
}
