// The live connections of one server, for graceful shutdown: ask every session to finish what
// is in flight (idle ones close at once), wait until all are gone, and after a deadline destroy
// the stragglers (a client that never reads must not hold the process forever).
import type { HttpSession } from './session.js'

interface Entry {
  session: HttpSession
  destroy(): void
}

// gunicorn's graceful_timeout defaults to 30 s; ours is shorter because a benchmark stops servers
// often and in-flight requests here take milliseconds.
export const SHUTDOWN_DEADLINE_MS = 10_000

export class ConnectionSet {
  readonly #entries = new Set<Entry>()
  #waiters: Array<() => void> = []

  get size(): number {
    return this.#entries.size
  }

  /** Track a connection; call the returned function when it has closed. */
  add(session: HttpSession, destroy: () => void): () => void {
    const entry: Entry = { session, destroy }
    this.#entries.add(entry)
    return () => {
      this.#entries.delete(entry)
      if (this.#entries.size === 0) this.#wake()
    }
  }

  /** Finish in-flight requests on every connection, then resolve when all have closed. */
  async drain(deadlineMs = SHUTDOWN_DEADLINE_MS): Promise<void> {
    for (const entry of this.#entries) entry.session.shutdown()
    if (this.#entries.size === 0) return
    const deadline = setTimeout(() => {
      for (const entry of this.#entries) entry.destroy()
    }, deadlineMs)
    deadline.unref()
    await new Promise<void>((resolve) => this.#waiters.push(resolve))
    clearTimeout(deadline)
  }

  #wake(): void {
    const waiters = this.#waiters
    this.#waiters = []
    for (const wake of waiters) wake()
  }
}
