// The ServeOptions a child process or worker thread receives (as JSON) to rebuild the server the
// parent runs: the bound port (port 0 resolved, so SERVER_PORT and replacement workers agree) and
// a share of the database pool.
//
// A mysql2 pool cannot be shared across processes or threads (node-models.md §7), so every worker
// opens its own, and the pool limit applies per worker: N workers × connectionLimit connections
// reach the server (mysqljs/mysql#2512). The URL's connectionLimit (mysql2's default 10 when unset)
// is therefore read as the budget of the whole server and split: floor(budget / workers), at least
// one. With the defaults: prefork/threads --workers=2 → 5 each; fork --max-procs=64 → 1 per child,
// 64 at most, under MariaDB's default max_connections (151).
import { DEFAULT_CONNECTION_LIMIT } from '../app/repositories/database-url.js'
import type { ServeOptions } from './model.js'

export function optionsForWorker(options: ServeOptions, port: number, workers: number): ServeOptions {
  return { ...options, port, db: shareOfPool(options.db, workers) }
}

/** The db URL with connectionLimit set to this worker's share; `memory` is returned unchanged. */
export function shareOfPool(db: string, workers: number): string {
  if (!db.startsWith('mysql:')) return db
  let url: URL
  try {
    url = new URL(db)
  } catch {
    return db // not a URL: let the worker's openRepository report it in its own words
  }
  const budget = Number(url.searchParams.get('connectionLimit') ?? DEFAULT_CONNECTION_LIMIT)
  if (!Number.isInteger(budget) || budget < 1) return db
  url.searchParams.set('connectionLimit', String(Math.max(1, Math.floor(budget / Math.max(1, workers)))))
  return url.href
}
