// The write scenario's proof that writes land (TechEmpower reads the database's own statistics
// after its update test, toolset/test_types/verifications.py verify_queries_count). The stock app
// answers 200 only when a write changed a row and 409 when the stock already was in the asked
// state, so every 200 is exactly one row written (servers/app/stock/stock-app.ts).
//
// A timed load cannot be matched row for row: when the clock stops, the request in flight may or
// may not have been applied. So the audit after the load asks exact questions instead:
//   1. the load (one connection alternating follow/unfollow of one stock, every answer 200) can
//      leave only that stock followed: rows − before ∈ {0, 1};
//   2. unfollowing it answers 200 exactly when step 1 found it followed (409 otherwise), and the
//      table is back where the cell found it;
//   3. AUDIT_WRITES concurrent follows of other stocks all answer 200 and add exactly that many
//      rows; as many concurrent unfollows all answer 200 and remove them again.

import { parseDatabaseUrl } from '../../servers/app/repositories/database-url.js'
import { exchange } from '../clients/http-exchange.js'
import { stockFixture, writeCodes } from './scenarios.js'

/** Concurrent writes in step 3: enough to interleave on every model, few enough to stay quick. */
export const AUDIT_WRITES = 8

export interface WriteAudit {
  ok: boolean
  failure?: string
  rowsBefore: number
  rowsAfterLoad?: number
  /** Status of unfollowing the load's stock after the load (200 or 409, see step 2). */
  cleanupStatus?: number
  rowsAfterFollows?: number
  rowsAfter?: number
  followsOk?: number
  unfollowsOk?: number
}

/** Rows of `focus`: the database's own COUNT(*) for mysql; for the memory store, the followed
 * stocks listed by GET /center.html (each fixture code found there once is one row). */
export async function countFocusRows(origin: string, db: string): Promise<number> {
  if (db.startsWith('mysql://')) {
    const { createConnection } = await import('mysql2/promise')
    const url = parseDatabaseUrl(db)
    const connection = await createConnection({ host: url.host, port: url.port, user: url.user, password: url.password, database: url.database })
    try {
      const [rows] = await connection.query('SELECT COUNT(*) AS n FROM focus')
      return Number((rows as Array<{ n: number | string }>)[0]!.n)
    } finally {
      await connection.end()
    }
  }
  const page = await exchange(origin, { method: 'GET', path: '/center.html' })
  if (page.status !== 200) throw new Error(`GET /center.html answered ${page.status}; cannot count followed stocks`)
  const text = page.body.toString('utf8')
  return stockFixture().info.filter((s) => new RegExp(`(?<![0-9])${s.code}(?![0-9])`).test(text)).length
}

/**
 * Put the load's stock back to "not followed" (200 if it was, 409 if it was not) and return the
 * row count. Used before verification (a database may keep state from an earlier run) and after
 * the warm-up, which may stop between a follow and its unfollow.
 */
export async function resetWrites(origin: string, db: string, loadCode: string): Promise<number> {
  const answer = await exchange(origin, { method: 'POST', path: `/del/${loadCode}.html` })
  if (answer.status !== 200 && answer.status !== 409) throw new Error(`resetting ${loadCode}: POST /del/${loadCode}.html answered ${answer.status}, expected 200 or 409`)
  return countFocusRows(origin, db)
}

/** Steps 1–3 above, against a server whose load cycled follow/unfollow of `loadCode`. */
export async function auditWrites(origin: string, db: string, rowsBefore: number, loadCode: string): Promise<WriteAudit> {
  const audit: WriteAudit = { ok: false, rowsBefore }
  const failed = (failure: string): WriteAudit => ({ ...audit, ok: false, failure: `write audit failed: ${failure}` })

  audit.rowsAfterLoad = await countFocusRows(origin, db)
  const drift = audit.rowsAfterLoad - rowsBefore
  if (drift !== 0 && drift !== 1) return failed(`after the load focus has ${audit.rowsAfterLoad} rows, ${rowsBefore} before: only the load's own stock may remain followed`)

  const cleanup = await exchange(origin, { method: 'POST', path: `/del/${loadCode}.html` })
  audit.cleanupStatus = cleanup.status
  const expected = drift === 1 ? 200 : 409
  if (cleanup.status !== expected) {
    return failed(`focus ${drift === 1 ? 'gained' : 'did not gain'} a row, so unfollowing ${loadCode} should answer ${expected}, but it answered ${cleanup.status}`)
  }
  const rowsClean = await countFocusRows(origin, db)
  if (rowsClean !== rowsBefore) return failed(`after unfollowing ${loadCode} focus has ${rowsClean} rows, expected ${rowsBefore}`)

  const codes = writeCodes(AUDIT_WRITES + 1).filter((c) => c !== loadCode).slice(0, AUDIT_WRITES)
  audit.followsOk = await writeAll(origin, 'add', codes)
  if (audit.followsOk !== codes.length) return failed(`${codes.length - audit.followsOk} of ${codes.length} concurrent follows did not answer 200`)
  audit.rowsAfterFollows = await countFocusRows(origin, db)
  if (audit.rowsAfterFollows !== rowsBefore + codes.length) {
    return failed(`${codes.length} follows answered 200 but focus went from ${rowsBefore} to ${audit.rowsAfterFollows} rows`)
  }
  audit.unfollowsOk = await writeAll(origin, 'del', codes)
  if (audit.unfollowsOk !== codes.length) return failed(`${codes.length - audit.unfollowsOk} of ${codes.length} concurrent unfollows did not answer 200`)
  audit.rowsAfter = await countFocusRows(origin, db)
  if (audit.rowsAfter !== rowsBefore) return failed(`${codes.length} unfollows answered 200 but focus has ${audit.rowsAfter} rows, expected ${rowsBefore}`)
  return { ...audit, ok: true }
}

/** One POST per code, all at once, each on its own connection; how many answered 200. */
async function writeAll(origin: string, verb: 'add' | 'del', codes: string[]): Promise<number> {
  const answers = await Promise.allSettled(codes.map((code) => exchange(origin, { method: 'POST', path: `/${verb}/${code}.html` })))
  return answers.filter((a) => a.status === 'fulfilled' && a.value.status === 200).length
}
