// Per-connection bookkeeping of one closed-loop load run: how many responses each connection got
// and the longest stretch it went without one. A client calls response(i, now) as each answer
// arrives and close(end) once; the times are milliseconds from any one clock (performance.now()),
// given by the caller so this file stays pure. "Connection" is a client's slot: a keep-alive
// connection (reconnections after a timeout included), or one connect→request→close loop.

export interface ConnectionAccount {
  /** Responses each connection received, in connection order. */
  perConnection: number[]
  /** The longest time each connection went without a response — from the start of the load to its
   * first, between two, or from its last to the end — µs. */
  longestGapUs: number[]
}

export class ConnectionLedger {
  private readonly counts: number[]
  private readonly lastAt: number[]
  private readonly longest: number[]

  constructor(connections: number, private readonly startMs: number) {
    this.counts = new Array<number>(connections).fill(0)
    this.lastAt = new Array<number>(connections).fill(startMs)
    this.longest = new Array<number>(connections).fill(0)
  }

  /** Connection `i` got a response at `nowMs`. */
  response(i: number, nowMs: number): void {
    const gap = nowMs - this.lastAt[i]!
    if (gap > this.longest[i]!) this.longest[i] = gap
    this.lastAt[i] = nowMs
    this.counts[i]!++
  }

  /** The account at `endMs`, the end of the measured load (the silence since each last response included). */
  close(endMs: number): ConnectionAccount {
    const end = Math.max(endMs, this.startMs)
    return {
      perConnection: [...this.counts],
      longestGapUs: this.longest.map((gap, i) => Math.round(Math.max(gap, end - this.lastAt[i]!) * 1000)),
    }
  }
}
