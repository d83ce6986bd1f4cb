// Every load client by name, and the rule that picks one for a load run. The driver never imports
// a client directly: it asks here.

import { autocannonClient } from './autocannon-client.js'
import { closeClient } from './close-client.js'
import type { DriverChoice, DriverName, LoadClient } from './load-client.js'
import { testDoubleClient } from './test-double-client.js'
import { wrkClient } from './wrk-client.js'
import type { ConnectionMode, LoadSpec } from '../types.js'

export const LOAD_CLIENTS: Readonly<Record<DriverName, LoadClient>> = {
  autocannon: autocannonClient,
  wrk: wrkClient,
  'close-client': closeClient,
  'test-double': testDoubleClient,
}

export const DRIVER_NAMES = Object.keys(LOAD_CLIENTS) as DriverName[]

export function isDriverName(name: string): name is DriverName {
  return Object.hasOwn(LOAD_CLIENTS, name)
}

/**
 * The client that runs `spec` when `driver` was asked for:
 * - `auto` (the default): wrk for keep-alive where it is installed (a C client leaves the server the
 *   bottleneck where autocannon, at ~100% of a core, is not: issue 12 measured eventloop at 34.6k
 *   req/s under autocannon and 56.9k under wrk), autocannon otherwise; close-per-request always on
 *   the project's close-client (DESIGN.md "Benchmark method");
 * - wrk and the test double as asked, in either mode (wrk reconnects correctly under
 *   `Connection: close`, bench-anchors.md §0);
 * - otherwise autocannon for keep-alive and the close-client for close-per-request, since
 *   autocannon cannot measure close-per-request.
 * Throws one clear line when the client cannot run here.
 */
export function chooseClient(spec: Pick<LoadSpec, 'mode'>, driver: DriverChoice): LoadClient {
  if (driver === 'auto') return spec.mode === 'close' ? closeClient : wrkClient.unavailable() === null ? wrkClient : autocannonClient
  if (!isDriverName(driver)) throw new Error(`unknown load driver ${JSON.stringify(driver)} (expected auto, ${DRIVER_NAMES.join(', ')})`)
  let client = LOAD_CLIENTS[driver]
  if (!client.modes.includes(spec.mode)) client = spec.mode === 'close' ? closeClient : autocannonClient
  const why = client.unavailable()
  if (why !== null) throw new Error(`load driver '${client.name}' asked for, but ${why}`)
  return client
}

/** The client of each connection mode when `driver` is asked for: what a run records and its report names. */
export function driversFor(driver: DriverChoice): Record<ConnectionMode, DriverName> {
  return { keepalive: chooseClient({ mode: 'keepalive' }, driver).name, close: chooseClient({ mode: 'close' }, driver).name }
}
