// What one `npm run bench` produced: every cell's raw result with the machine, Node, commit and
// the whole configuration (DESIGN.md "Benchmark method"). report/results-file.ts writes and reads
// it as JSON; results/README.md documents the schema.

import type { BenchConfig } from './bench-config.js'
import type { CrowdCellResult } from './crowd-results.js'
import type { CellResult } from './run-cell.js'
import type { Machine } from '../host/machine.js'
import type { DriverName } from '../clients/load-client.js'
import type { DriverCeiling } from './driver-ceiling.js'
import type { OpenLoopSection } from './open-loop-results.js'
import type { ConnectionMode } from '../types.js'

export const RESULTS_SCHEMA = 'httpmodels-bench/1'

export interface RunResults {
  schema: typeof RESULTS_SCHEMA
  startedAt: string
  finishedAt: string
  machine: Machine
  node: string
  git: { commit: string | null; dirty: boolean | null }
  /** The configuration as run (BenchConfig without output-only fields). */
  config: Omit<BenchConfig, 'out' | 'json' | 'notes'>
  notes: string[]
  /** Each driver's ceiling on this machine (driver-ceiling.ts), measured before the cells; absent when not measured. */
  ceilings?: DriverCeiling[]
  /** The client that measured each connection mode (config.driver resolved: `auto` → wrk or autocannon). */
  drivers?: Record<ConnectionMode, DriverName>
  /** Every cell in run order, every repeat: the raw samples. */
  cells: CellResult[]
  /** The many-connections phase (crowd-results.ts); absent in runs without it and in older files. */
  crowds?: CrowdCellResult[]
  /** The open-loop phase (open-loop-results.ts): --rate, or the default run's latency curve; absent otherwise. */
  openLoop?: OpenLoopSection
}
