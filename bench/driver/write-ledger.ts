// The fate of every write under a fault, one by one. Each connection of the load owns one stock
// code (no two connections race on a row) and follows or unfollows it by what its answers told it:
// after a 200 to /add the stock is followed, so the next write is /del, and so on. A write answered
// 5xx, or lost (connection closed, no answer in time), is in doubt: the connection then reads
// GET /center.html (no further write) until one answers 200, and the page says whether the write
// landed. So a 5xx or lost write that is in the table is seen, and so is a 2xx write whose row is
// not there (the next write's 200/409 contradicts the state the 2xx left). After the load,
// readTable() settles what is still open from the rows themselves.
//
// The audit's claim: every 2xx write is in the table, and no 5xx write is — except one whose answer
// said it may have been applied (its connection broke after the statement went out; the database
// may have committed it and lost only the answer), which is counted apart, either way.

import type { LoggedExchange, PlannedRequest, RequestPlan } from '../clients/request-log-load.js'

interface Doubt {
  action: 'add' | 'del'
  exchange: LoggedExchange
  /** A 5xx whose body says the write may have been applied (its connection broke with the
   * statement sent: servers/app/repositories/database-error.ts). */
  saidMaybe: boolean
}
type State = 'followed' | 'unfollowed' | Doubt

export interface WriteLedgerAudit {
  ok: boolean
  /** Writes answered 200 (a row changed), 409 (already in the asked state), 5xx, anything else. */
  writes2xx: number
  writes409: number
  writes5xx: number
  writesOther: number
  /** Writes with no answer (connection closed or reset, timeout). */
  writesLost: number
  /** Reads of /center.html that settled a doubt, and how many of them answered 200. */
  checkReads: number
  checkReads200: number
  /** 2xx writes whose row was not as they said (must be 0). */
  twoxxMissing: number
  /** 5xx writes whose change is in the table (must be 0), and those that are not, apart from
   * the 5xx writes whose answer said they may have been applied (in doubt: either is allowed). */
  fivexxApplied: number
  fivexxNotApplied: number
  inDoubtApplied: number
  inDoubtNotApplied: number
  /** Lost writes whose change is in the table (allowed: nobody was told either way), and not. */
  lostApplied: number
  lostNotApplied: number
  /** One line per broken promise, at most 10. */
  problems: string[]
}

const MAYBE_APPLIED = /may have been applied/

/** Whether a rendered /center.html lists `code`. */
export function pageLists(page: string, code: string): boolean {
  return new RegExp(`(?<![0-9])${code}(?![0-9])`).test(page)
}

export class WriteLedger implements RequestPlan {
  readonly codes: readonly string[]
  readonly #state: State[]
  readonly #audit: WriteLedgerAudit = {
    ok: true, writes2xx: 0, writes409: 0, writes5xx: 0, writesOther: 0, writesLost: 0, checkReads: 0, checkReads200: 0,
    twoxxMissing: 0, fivexxApplied: 0, fivexxNotApplied: 0, inDoubtApplied: 0, inDoubtNotApplied: 0, lostApplied: 0, lostNotApplied: 0, problems: [],
  }

  /** codes[i] is connection i's stock, not followed when the load starts. */
  constructor(codes: readonly string[]) {
    this.codes = codes
    this.#state = codes.map(() => 'unfollowed')
  }

  next(connection: number): PlannedRequest {
    const state = this.#state[connection]!
    if (typeof state !== 'string') return { method: 'GET', path: '/center.html' }
    return { method: 'POST', path: `/${state === 'followed' ? 'del' : 'add'}/${this.codes[connection]}.html` }
  }

  /** Reads need their body: the load passes it to settled(). */
  readonly wantsBody = true

  settled(exchange: LoggedExchange, body?: Buffer): void {
    if (exchange.status === 'refused') return // never sent
    const i = exchange.connection
    const a = this.#audit
    if (exchange.request.method === 'GET') {
      a.checkReads++
      if (exchange.status !== 200 || body === undefined) return // still in doubt: read again
      a.checkReads200++
      this.#settle(i, pageLists(body.toString('utf8'), this.codes[i]!) ? 'followed' : 'unfollowed')
      return
    }
    const action = exchange.request.path.startsWith('/add/') ? 'add' : 'del'
    if (exchange.status === 200 || exchange.status === 409) {
      if (exchange.status === 200) a.writes2xx++
      else a.writes409++
      // the state just before this write, as its answer shows it
      this.#settle(i, (action === 'add') === (exchange.status === 200) ? 'unfollowed' : 'followed', exchange)
      this.#state[i] = action === 'add' ? 'followed' : 'unfollowed'
      return
    }
    if (typeof exchange.status !== 'number') a.writesLost++
    else if (exchange.status >= 500) a.writes5xx++
    else {
      a.writesOther++
      this.#problem(`${exchange.request.path} answered ${exchange.status}`)
    }
    const saidMaybe = typeof exchange.status === 'number' && exchange.status >= 500 && MAYBE_APPLIED.test(body?.toString('utf8') ?? '')
    this.#state[i] = { action, exchange, saidMaybe }
  }

  /** Settle what is still open from the rows: `followed` holds the codes followed in the table now. */
  readTable(followed: ReadonlySet<string>): WriteLedgerAudit {
    this.codes.forEach((code, i) => this.#settle(i, followed.has(code) ? 'followed' : 'unfollowed'))
    return { ...this.#audit, problems: [...this.#audit.problems] }
  }

  /** Connection i's stock was `actual` (just before `write`, or now): judge what the ledger held. */
  #settle(i: number, actual: 'followed' | 'unfollowed', write?: LoggedExchange): void {
    const held = this.#state[i]!
    this.#state[i] = actual
    if (typeof held === 'string') {
      if (held === actual) return
      this.#audit.twoxxMissing++
      this.#problem(`${this.codes[i]} was ${actual} ${write ? `when ${write.request.path} was sent` : 'at the end'}, but the last 2xx write left it ${held}`)
      return
    }
    // the doubtful write was sent only from the opposite of its aim: it landed iff the aim holds
    const landed = (held.action === 'add') === (actual === 'followed')
    const a = this.#audit
    if (typeof held.exchange.status !== 'number') {
      if (landed) a.lostApplied++
      else a.lostNotApplied++
    } else if (held.saidMaybe) {
      if (landed) a.inDoubtApplied++
      else a.inDoubtNotApplied++
    } else if (held.exchange.status >= 500) {
      if (!landed) a.fivexxNotApplied++
      else {
        a.fivexxApplied++
        this.#problem(`${held.exchange.request.path} answered ${held.exchange.status} at ${Math.round(held.exchange.doneAtMs)} ms, but its write is in the table`)
      }
    }
  }

  #problem(line: string): void {
    this.#audit.ok = false
    if (this.#audit.problems.length < 10) this.#audit.problems.push(line)
  }
}
