// The write ledger follows each connection's stock through its answers and settles every write in
// doubt, so the audit can tell a 2xx write missing from the table, a 5xx write in it, and a write
// whose answer said it may have been applied.
import { describe, expect, it } from 'vitest'
import type { LoggedExchange } from '../../../bench/clients/request-log-load.js'
import { pageLists, WriteLedger } from '../../../bench/driver/write-ledger.js'

let clock = 0
/** Ask the ledger for connection 0's next request and answer it. */
function answer(ledger: WriteLedger, status: LoggedExchange['status'], body = ''): string {
  const request = ledger.next(0)
  clock += 10
  ledger.settled({ connection: 0, request, sentAtMs: clock - 10, doneAtMs: clock, status }, Buffer.from(body))
  return `${request.method} ${request.path}`
}
const page = (...codes: string[]) => `<table>${codes.map((c) => `<tr><td>${c}</td></tr>`).join('')}</table>`
const MAYBE = 'database connection lost during the write (ECONNRESET); it may have been applied: read the page before trying again'
const NOTHING = 'database unavailable (ECONNREFUSED); nothing was written; try again later'

describe('WriteLedger', () => {
  it('alternates follow and unfollow of the connection\'s own stock while the answers are 200', () => {
    const ledger = new WriteLedger(['000120'])
    expect([answer(ledger, 200), answer(ledger, 200), answer(ledger, 200)]).toEqual(['POST /add/000120.html', 'POST /del/000120.html', 'POST /add/000120.html'])
    expect(ledger.readTable(new Set(['000120']))).toMatchObject({ ok: true, writes2xx: 3, twoxxMissing: 0 })
  })

  it('reads /center.html after a 5xx write until one answers 200, and passes a 503 that wrote nothing', () => {
    const ledger = new WriteLedger(['000120'])
    answer(ledger, 503, NOTHING)
    expect(answer(ledger, 503)).toBe('GET /center.html')
    expect(answer(ledger, 200, page('000999'))).toBe('GET /center.html')
    expect(answer(ledger, 200)).toBe('POST /add/000120.html') // not followed: the add is sent again
    expect(ledger.readTable(new Set(['000120']))).toMatchObject({ ok: true, writes5xx: 1, fivexxNotApplied: 1, fivexxApplied: 0, checkReads: 2, checkReads200: 1 })
  })

  it('fails the audit for a 503 write that said nothing was written but is in the table', () => {
    const ledger = new WriteLedger(['000120'])
    answer(ledger, 503, NOTHING)
    answer(ledger, 200, page('000120'))
    const audit = ledger.readTable(new Set(['000120']))
    expect(audit).toMatchObject({ ok: false, fivexxApplied: 1 })
    expect(audit.problems[0]).toMatch(/\/add\/000120\.html answered 503 .* but its write is in the table/)
  })

  it('counts a 503 that said it may have been applied apart, landed or not, and settles it from the table at the end', () => {
    const ledger = new WriteLedger(['000120', '000143'])
    ledger.settled({ connection: 1, request: ledger.next(1), sentAtMs: 0, doneAtMs: 1, status: 503 }, Buffer.from(MAYBE))
    answer(ledger, 503, MAYBE)
    answer(ledger, 200, page('000120'))
    expect(ledger.readTable(new Set(['000120']))).toMatchObject({ ok: true, inDoubtApplied: 1, inDoubtNotApplied: 1, fivexxApplied: 0 })
  })

  it('fails the audit for a 200 write whose row is not in the table, seen from the next write or from the table', () => {
    const fromNext = new WriteLedger(['000120'])
    answer(fromNext, 200) // followed, says the server
    answer(fromNext, 409) // but the unfollow finds it not followed
    expect(fromNext.readTable(new Set())).toMatchObject({ ok: false, twoxxMissing: 1 })
    const fromTable = new WriteLedger(['000120'])
    answer(fromTable, 200)
    expect(fromTable.readTable(new Set())).toMatchObject({ ok: false, twoxxMissing: 1 })
  })

  it('counts lost writes, landed or not, without failing the audit', () => {
    const ledger = new WriteLedger(['000120'])
    answer(ledger, 'timeout')
    answer(ledger, 'closed') // the check read lost too: still in doubt
    expect(ledger.readTable(new Set(['000120']))).toMatchObject({ ok: true, writesLost: 1, lostApplied: 1 })
  })

  it('finds a code in a page only as a whole number', () => {
    expect(pageLists(page('000120'), '000120')).toBe(true)
    expect(pageLists(page('1000120'), '000120')).toBe(false)
  })
})
