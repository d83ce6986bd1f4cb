// Seed stock_db from the fixture: create the database if missing, (re)create tables info and
// focus, insert the rows. Running it again gives the same database (tables are dropped first).
//
//   node dist/servers/app/seed.js [--db=mysql://root@127.0.0.1:3306/stock_db]
//
// The schema follows the course's stock_db, with two additions the app relies on: focus.info_id
// is UNIQUE (a stock is followed at most once, even when two follows race) and references
// info.id.

import { pathToFileURL } from 'node:url'
import { createConnection } from 'mysql2/promise'
import { parseDatabaseUrl } from './repositories/database-url.js'
import { describeError } from './repositories/describe-error.js'
import { loadStockFixture, type StockFixture } from './repositories/stock-fixture.js'

export const DEFAULT_DATABASE = 'mysql://root@127.0.0.1:3306/stock_db'

const CREATE_INFO = `CREATE TABLE info (
  id INT UNSIGNED NOT NULL PRIMARY KEY,
  code CHAR(6) NOT NULL UNIQUE,
  short VARCHAR(20) NOT NULL,
  chg DECIMAL(6,2) NOT NULL,
  turnover DECIMAL(6,2) NOT NULL,
  price DECIMAL(10,2) NOT NULL,
  highs DECIMAL(10,2) NOT NULL,
  time DATE NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`

const CREATE_FOCUS = `CREATE TABLE focus (
  id INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  note_info VARCHAR(200) NOT NULL DEFAULT '',
  info_id INT UNSIGNED NOT NULL UNIQUE,
  FOREIGN KEY (info_id) REFERENCES info (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`

export interface SeedResult {
  database: string
  stocks: number
  followed: number
}

/** Seed the database named by the mysql:// URL `db` with `fixture` (the project's own by
 * default). Rejects with one clear line. */
export async function seedDatabase(db: string, fixture: StockFixture = loadStockFixture()): Promise<SeedResult> {
  const url = parseDatabaseUrl(db)
  const connection = await createConnection({
    host: url.host,
    port: url.port,
    user: url.user,
    password: url.password,
    charset: 'utf8mb4',
  }).catch((err: unknown) => {
    throw new Error(`cannot reach database server ${url.server}: ${describeError(err)}`)
  })
  try {
    // the name passed parseDatabaseUrl's identifier check, so backquoting it is safe
    await connection.query(`CREATE DATABASE IF NOT EXISTS \`${url.database}\` CHARACTER SET utf8mb4`)
    await connection.query(`USE \`${url.database}\``)
    await connection.query('DROP TABLE IF EXISTS focus')
    await connection.query('DROP TABLE IF EXISTS info')
    await connection.query(CREATE_INFO)
    await connection.query(CREATE_FOCUS)
    // one multi-row INSERT per table; mysql2 expands the nested arrays with escaped values
    if (fixture.info.length > 0) {
      await connection.query('INSERT INTO info (id, code, short, chg, turnover, price, highs, time) VALUES ?', [
        fixture.info.map((r) => [r.id, r.code, r.short, r.chg, r.turnover, r.price, r.highs, r.time]),
      ])
    }
    if (fixture.focus.length > 0) {
      await connection.query('INSERT INTO focus (id, note_info, info_id) VALUES ?', [
        fixture.focus.map((r) => [r.id, r.note_info, r.info_id]),
      ])
    }
  } catch (err) {
    throw new Error(`cannot seed ${url.display}: ${describeError(err)}`)
  } finally {
    await connection.end().catch(() => {})
  }
  return { database: url.display, stocks: fixture.info.length, followed: fixture.focus.length }
}

/** Drop the database named by `db` if it exists (tests clean up their own databases with it). */
export async function dropDatabase(db: string): Promise<void> {
  const url = parseDatabaseUrl(db)
  const connection = await createConnection({ host: url.host, port: url.port, user: url.user, password: url.password })
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${url.database}\``)
  } finally {
    await connection.end().catch(() => {})
  }
}

const USAGE = `usage: seed [--db=${DEFAULT_DATABASE}]`

/** The CLI: parse flags, seed, print one line; any failure is one line on stderr and exit 1. */
export async function main(argv: string[]): Promise<number> {
  let db = DEFAULT_DATABASE
  for (const arg of argv) {
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(`${USAGE}\n`)
      return 0
    }
    if (arg.startsWith('--db=')) db = arg.slice('--db='.length)
    else {
      process.stderr.write(`seed: unknown argument ${JSON.stringify(arg)}; ${USAGE}\n`)
      return 2
    }
  }
  try {
    const result = await seedDatabase(db)
    process.stdout.write(`seeded ${result.database}: ${result.stocks} stocks, ${result.followed} followed\n`)
    return 0
  } catch (err) {
    process.stderr.write(`seed: ${describeError(err)}\n`)
    return 1
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2))
}
