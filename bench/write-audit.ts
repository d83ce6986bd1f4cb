// The write scenario's proof that writes land (TechEmpower reads the database's own statistics
// after its update test, toolset/test_types/verifications.py verify_queries_count). A timed load
// cannot be matched exactly against the table: when the clock stops, requests still in flight may
// or may not have been applied. So the audit runs after the load, with exact expectations:
//   1. after the load only the load's own code may have stayed followed: rows − before ∈ {0, 1};
//   2. AUDIT_WRITES concurrent follows of unfollowed codes: every one answers 200 and the table
//      grows by exactly that many rows; the same number of unfollows brings it back;
//   3. the load's code is unfollowed, and the table must be exactly where the cell found it.

import { parseDatabaseUrl } from '../servers/app/repositories/database-url.js'
import { exchange } from './http-exchange.js'
import { stockFixture, writeCodes } from './scenarios.js'

/** Concurrent writes in the audit: enough to interleave on every model, few enough to stay quick. */
export const AUDIT_WRITES = 8

/**
 * Models that keep one memory store per process or thread: there a row count read over HTTP sees
 * one copy only, so on the memory store the audit cannot be exact and is skipped with this reason
 * (servers/app/repositories/memory-stock-repository.ts: "follow/unfollow are per process").
 */
export const PER_PROCESS_STORE: Readonly<Record<string, string>> = {
  fork: 'a new child process, with its own memory store, per connection',
  prefork: 'one memory store per cluster worker',
  threads: 'one memory store per worker thread',
}

export interface WriteAudit {
  ok: boolean
  skipped?: string
  failure?: string
  rowsBefore: number
  rowsAfterLoad?: number
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

/** Whether the audit can be exact for this model and store, or why not. */
export function auditSkipReason(model: string, db: string): string | null {
  if (db.startsWith('mysql://')) return null
  const why = PER_PROCESS_STORE[model]
  return why === undefined ? null : `write audit skipped on the memory store: ${model} keeps ${why}; use --db=mysql://… for an exact count`
}

/** Run steps 1–3 above against a server whose load cycled follow/unfollow of `loadCode`. */
export async function auditWrites(origin: string, db: string, rowsBefore: number, loadCode: string): Promise<WriteAudit> {
  const audit: WriteAudit = { ok: false, rowsBefore }
  const failed = (failure: string): WriteAudit => ({ ...audit, ok: false, failure: `write audit failed: ${failure}` })

  audit.rowsAfterLoad = await countFocusRows(origin, db)
  const drift = audit.rowsAfterLoad - rowsBefore
  if (drift !== 0 && drift !== 1) return failed(`after the load focus has ${audit.rowsAfterLoad} rows, ${rowsBefore} before: only the load's own code may remain`)

  const codes = writeCodes(AUDIT_WRITES, 1).filter((c) => c !== loadCode).slice(0, AUDIT_WRITES - 1)
  audit.followsOk = await writeAll(origin, 'add', codes)
  if (audit.followsOk !== codes.length) return failed(`${codes.length - audit.followsOk} of ${codes.length} concurrent follows did not answer 200`)
  audit.rowsAfterFollows = await countFocusRows(origin, db)
  if (audit.rowsAfterFollows !== audit.rowsAfterLoad + codes.length) {
    return failed(`${codes.length} follows answered 200 but focus went from ${audit.rowsAfterLoad} to ${audit.rowsAfterFollows} rows`)
  }
  audit.unfollowsOk = await writeAll(origin, 'del', codes)
  if (audit.unfollowsOk !== codes.length) return failed(`${codes.length - audit.unfollowsOk} of ${codes.length} concurrent unfollows did not answer 200`)

  const cleanup = await exchange(origin, { method: 'POST', path: `/del/${loadCode}.html` })
  if (cleanup.status !== 200) return failed(`unfollowing the load's code ${loadCode} answered ${cleanup.status}`)
  audit.rowsAfter = await countFocusRows(origin, db)
  if (audit.rowsAfter !== rowsBefore) return failed(`after unfollowing everything focus has ${audit.rowsAfter} rows, expected ${rowsBefore}`)
  return { ...audit, ok: true }
}

/** One POST per code, all at once, each on its own connection; how many answered 200. */
async function writeAll(origin: string, verb: 'add' | 'del', codes: string[]): Promise<number> {
  const answers = await Promise.allSettled(codes.map((code) => exchange(origin, { method: 'POST', path: `/${verb}/${code}.html` })))
  return answers.filter((a) => a.status === 'fulfilled' && a.value.status === 200).length
}
