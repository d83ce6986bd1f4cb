// What a polling model's passes over its clients cost, as the model itself timed them: the last
// RECENT sweeps (duration and how many clients each visited) and a count of all. nonblocking
// records one entry per sweep; the stats endpoint (servers/stats-endpoint.ts) serves the log, so
// a driver holding a crowd reads the real pass duration instead of estimating it from outside.

/** Sweeps kept: at the backoff's 50 ms ceiling, the last ~13 s of an idle crowd; more when busy. */
const RECENT = 256

export interface SweepStats {
  /** Sweeps since the server started. */
  sweeps: number
  /** Clients in the list now. */
  clients: number
  /** The most recent sweeps, oldest first: [duration in µs, clients visited]. */
  recent: Array<[us: number, clients: number]>
}

export class SweepLog {
  readonly #us = new Float64Array(RECENT)
  readonly #clients = new Uint32Array(RECENT)
  #count = 0

  record(durationMs: number, clients: number): void {
    const slot = this.#count % RECENT
    this.#us[slot] = durationMs * 1000
    this.#clients[slot] = clients
    this.#count++
  }

  stats(clientsNow: number): SweepStats {
    const kept = Math.min(this.#count, RECENT)
    const recent: SweepStats['recent'] = []
    for (let i = this.#count - kept; i < this.#count; i++) {
      const slot = i % RECENT
      recent.push([Math.round(this.#us[slot]! * 10) / 10, this.#clients[slot]!])
    }
    return { sweeps: this.#count, clients: clientsNow, recent }
  }
}
