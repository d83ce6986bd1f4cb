// The SQL stock store: a mysql2 pool over the seeded stock_db (seed.ts). Every query is a
// prepared statement (`execute`: prepared once per connection, then only the binary execute is
// sent — node-models.md §7), and values from the URL reach SQL only as bound parameters.
//
// Failures during a run become AppErrors (503 while the database is unreachable; a write whose
// connection broke after its statement went out says it may have been applied); the pool drops
// broken connections and opens new ones on the next request, so service resumes by itself when
// the database comes back.

import { createPool } from 'mysql2/promise'
import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise'
import type { DatabaseUrl } from './database-url.js'
import { describeError } from './describe-error.js'
import { toAppError, toWriteAppError } from './database-error.js'
import type { FollowedStock, Stock, StockRepository, WriteOutcome } from './stock-repository.js'

const LIST_STOCKS = 'SELECT id, code, short, chg, turnover, price, highs, time FROM info ORDER BY id'
const LIST_FOLLOWED =
  'SELECT i.id, i.code, i.short, i.chg, i.turnover, i.price, i.highs, i.time, f.note_info AS note ' +
  'FROM focus f JOIN info i ON i.id = f.info_id ORDER BY f.id'
const FIND_ID = 'SELECT id FROM info WHERE code = ?'
// focus.info_id is UNIQUE (seed.ts): a second follow of the same stock inserts nothing, even
// when two requests race, and affectedRows tells which request won.
const FOLLOW = "INSERT IGNORE INTO focus (info_id, note_info) VALUES (?, '')"
const UNFOLLOW = 'DELETE FROM focus WHERE info_id = ?'
const COUNT_FOLLOWED = 'SELECT COUNT(*) AS n FROM focus'

/** InnoDB may pick a write as a deadlock victim and roll it back; the MySQL manual ("How to
 * Minimize and Handle Deadlocks") says to retry. A rolled-back statement changed nothing, so a
 * retry cannot count twice. */
const DEADLOCK_RETRIES = 3

export interface MysqlStockRepositoryOptions {
  /** Pool size; default from the URL (mysql2's default, 10). */
  connectionLimit?: number
}

export class MysqlStockRepository implements StockRepository {
  readonly kind = 'mysql'
  readonly #pool: Pool
  #closed: Promise<void> | undefined

  private constructor(pool: Pool) {
    this.#pool = pool
  }

  /** Open a pool and check that the seeded tables answer; on failure the pool is released and
   * the error is one clear line naming the database (never its password). */
  static async open(url: DatabaseUrl, options: MysqlStockRepositoryOptions = {}): Promise<MysqlStockRepository> {
    const pool = createPool({
      host: url.host,
      port: url.port,
      user: url.user,
      password: url.password,
      database: url.database,
      connectionLimit: options.connectionLimit ?? url.connectionLimit,
      waitForConnections: true,
      charset: 'utf8mb4',
      // DECIMAL as numbers and DATE as 'YYYY-MM-DD': the same values the memory store holds,
      // and no time-zone shift of a calendar date.
      decimalNumbers: true,
      dateStrings: true,
    })
    const repository = new MysqlStockRepository(pool)
    try {
      await pool.execute('SELECT (SELECT COUNT(*) FROM info) AS stocks, (SELECT COUNT(*) FROM focus) AS followed')
    } catch (err) {
      await pool.end().catch(() => {})
      throw new Error(openFailure(url, err))
    }
    return repository
  }

  async listStocks(): Promise<readonly Stock[]> {
    return this.#rows<Stock>(LIST_STOCKS, [])
  }

  async listFollowed(): Promise<readonly FollowedStock[]> {
    return this.#rows<FollowedStock>(LIST_FOLLOWED, [])
  }

  async follow(code: string): Promise<WriteOutcome> {
    return this.#write(code, FOLLOW)
  }

  async unfollow(code: string): Promise<WriteOutcome> {
    return this.#write(code, UNFOLLOW)
  }

  async countFollowed(): Promise<number> {
    const [row] = await this.#rows<{ n: number }>(COUNT_FOLLOWED, [])
    return Number(row!.n)
  }

  close(): Promise<void> {
    this.#closed ??= this.#pool.end()
    return this.#closed
  }

  async #rows<T>(sql: string, params: Array<string | number>): Promise<T[]> {
    try {
      const [rows] = await this.#pool.execute<RowDataPacket[]>(sql, params)
      return rows as T[]
    } catch (err) {
      throw toAppError(err)
    }
  }

  async #write(code: string, sql: string): Promise<WriteOutcome> {
    let found: { id: number } | undefined
    try {
      const [rows] = await this.#pool.execute<RowDataPacket[]>(FIND_ID, [code])
      found = rows[0] as { id: number } | undefined
    } catch (err) {
      throw toWriteAppError(err, false)
    }
    if (found === undefined) return 'unknown'
    for (let attempt = 1; ; attempt++) {
      try {
        const [result] = await this.#pool.execute<ResultSetHeader>(sql, [found.id])
        return result.affectedRows > 0 ? 'changed' : 'unchanged'
      } catch (err) {
        const deadlock = (err as { code?: unknown }).code === 'ER_LOCK_DEADLOCK'
        if (!deadlock || attempt === DEADLOCK_RETRIES) throw toWriteAppError(err, true)
      }
    }
  }
}

/** One line for a database that cannot be used at start-up, with the next step when there is one. */
function openFailure(url: DatabaseUrl, err: unknown): string {
  const code = (err as { code?: unknown }).code
  const seed = `seed it with: npm run db:seed -- --db=${url.display}`
  switch (code) {
    case 'ER_BAD_DB_ERROR':
      return `database ${url.database} does not exist at ${url.server}; ${seed}`
    case 'ER_NO_SUCH_TABLE':
      return `database ${url.display} has no stock tables (${describeError(err)}); ${seed}`
    case 'ER_ACCESS_DENIED_ERROR':
    case 'ER_DBACCESS_DENIED_ERROR':
      return `cannot log in to database ${url.display}: ${describeError(err)}`
    default:
      return `cannot reach database ${url.display}: ${describeError(err)}`
  }
}
