// `--db=` → a repository: `memory` (the embedded store over the fixture) or a mysql:// URL.

import { parseDatabaseUrl } from './database-url.js'
import { MemoryStockRepository } from './memory-stock-repository.js'
import { loadStockFixture } from './stock-fixture.js'
import type { StockRepository } from './stock-repository.js'

export interface OpenRepositoryOptions {
  /** mysql pool size; overrides the URL's `?connectionLimit=` (default 10, mysql2's). */
  connectionLimit?: number
}

/** Open the store named by `db`. Rejects with one clear line (bad URL, unreachable database,
 * missing tables); callers print `err.message` and need no stack. */
export async function openRepository(db: string, options: OpenRepositoryOptions = {}): Promise<StockRepository> {
  if (db === 'memory') return new MemoryStockRepository(loadStockFixture())
  if (!db.startsWith('mysql:')) {
    throw new Error(`unknown database ${JSON.stringify(db)}: use memory or mysql://user:pass@host:port/db`)
  }
  // Loaded only for mysql URLs: mysql2 costs ~60 ms of start-up per process, which the fork
  // model would otherwise pay for every connection on the memory store.
  const { MysqlStockRepository } = await import('./mysql-stock-repository.js')
  return MysqlStockRepository.open(parseDatabaseUrl(db), options)
}
