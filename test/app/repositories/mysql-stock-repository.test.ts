// MysqlStockRepository against the real MariaDB at 127.0.0.1:3306, in a database of this file's
// own (created, seeded with the project's seed function, dropped at the end).

import { createConnection, type RowDataPacket } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../../servers/app/app-error.js'
import { parseDatabaseUrl } from '../../../servers/app/repositories/database-url.js'
import { MysqlStockRepository } from '../../../servers/app/repositories/mysql-stock-repository.js'
import { openRepository } from '../../../servers/app/repositories/open-repository.js'
import { dropDatabase, seedDatabase } from '../../../servers/app/seed.js'
import { mariadbUnavailable, uniqueDatabaseUrl } from './mariadb-test-database.js'
import { describeStockRepositoryConformance } from './stock-repository-conformance.js'

const unavailable = await mariadbUnavailable()

/** Server-side connections currently using the database of `url` (other than the asking one). */
async function connectionsTo(url: string): Promise<number> {
  const { host, port, user, password, database } = parseDatabaseUrl(url)
  const connection = await createConnection({ host, port, user, password })
  try {
    const [rows] = await connection.execute<RowDataPacket[]>(
      'SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()',
      [database],
    )
    return Number(rows[0]!.n)
  } finally {
    await connection.end()
  }
}
const db = uniqueDatabaseUrl()

describe.skipIf(unavailable !== undefined)(`MysqlStockRepository on MariaDB${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  beforeAll(async () => {
    await seedDatabase(db)
  })
  afterAll(async () => {
    await dropDatabase(db)
  })

  // each test starts from the fixture: reseed (drops and recreates the tables), then open a pool
  describeStockRepositoryConformance('MysqlStockRepository', async () => {
    await seedDatabase(db)
    return MysqlStockRepository.open(parseDatabaseUrl(db))
  })

  it('is what openRepository returns for a mysql:// URL, and it answers with promises', async () => {
    const repository = await openRepository(db)
    try {
      expect(repository.kind).toBe('mysql')
      const pending = repository.countFollowed()
      expect(pending).toBeInstanceOf(Promise)
      expect(await pending).toBeGreaterThanOrEqual(0)
    } finally {
      await repository.close()
    }
  })

  it('honours connectionLimit: with one connection, many simultaneous queries queue on it and all complete', async () => {
    const repository = await openRepository(db, { connectionLimit: 1 })
    try {
      const counts = await Promise.all(Array.from({ length: 30 }, () => repository.countFollowed()))
      expect(new Set(counts).size).toBe(1)
      expect(await connectionsTo(db)).toBe(1)
    } finally {
      await repository.close()
    }
  })

  it('turns a query that can never succeed into a 500 AppError that does not expose its detail', async () => {
    const repository = await openRepository(db)
    const scratch = uniqueDatabaseUrl()
    try {
      // a database whose tables vanish after opening: the query fails for good, not for now
      await seedDatabase(scratch)
      const broken = await openRepository(scratch)
      await dropDatabase(scratch)
      const error = await Promise.resolve(broken.listStocks()).catch((err: unknown) => err)
      await broken.close()
      expect(error).toBeInstanceOf(AppError)
      expect((error as AppError).status).toBe(500)
      expect((error as AppError).expose).toBe(false)
    } finally {
      await dropDatabase(scratch)
      await repository.close()
    }
  })

  it('can be closed twice', async () => {
    const repository = await openRepository(db)
    await repository.close()
    await expect(repository.close()).resolves.toBeUndefined()
  })
})
