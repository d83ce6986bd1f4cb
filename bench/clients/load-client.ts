// The one interface every load client implements (wrk's `struct sock`, Node benchmark/'s
// benchmarkers, hyperfine's Executor): its name, the connection modes it can drive, whether it can
// run on this machine, and run(spec) → one LoadResult whose latency carries a mergeable HDR
// histogram where the client records one. The driver chooses and runs clients only through this
// (clients/registry.ts); a new client is a new file and one line in the registry.

import type { ConnectionMode, LoadResult, LoadSpec } from '../types.js'

export type DriverName = LoadResult['driver']

/** What a run may ask for: a client by name, or `auto` (clients/registry.ts chooseClient says which runs). */
export type DriverChoice = DriverName | 'auto'

export interface LoadClient {
  readonly name: DriverName
  /** The connection modes this client measures correctly. */
  readonly modes: readonly ConnectionMode[]
  /** Why this client cannot run on this machine (e.g. a binary that is not installed), or null. */
  unavailable(): string | null
  /** One bounded load run; failures under load are counted in the result, misuse throws. */
  run(spec: LoadSpec): Promise<LoadResult>
}
