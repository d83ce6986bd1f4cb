// What holding one more connection costs, from two readings: (with − without) / connections.
// Pure arithmetic, kept apart so the report and the driver agree on it.

/** Bytes per held connection, or null when nothing was held or a reading is missing. */
export function bytesPerConnection(withoutBytes: number | null, withBytes: number | null, connections: number): number | null {
  if (withoutBytes === null || withBytes === null || !(connections > 0)) return null
  return (withBytes - withoutBytes) / connections
}

/** Share of one core: CPU-seconds over wall seconds (0 when the window is empty). */
export function coreShare(cpuSec: number, windowSec: number): number {
  return windowSec > 0 ? cpuSec / windowSec : 0
}

/**
 * Whether a latency figure is censored: at or above the probe's give-up time, the number is only a
 * lower bound ("no answer in T"), never a measured wait.
 */
export function isCensored(latencyUs: number, timeoutMs: number): boolean {
  return latencyUs >= timeoutMs * 1000
}
