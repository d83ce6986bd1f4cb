import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openRepository } from '../../../servers/app/repositories/open-repository.js'
import { dropDatabase, seedDatabase } from '../../../servers/app/seed.js'
import { MARIADB_SERVER, mariadbUnavailable, uniqueDatabaseUrl } from './mariadb-test-database.js'

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

describe('openRepository', () => {
  it('opens the embedded store for "memory"', async () => {
    const repository = await openRepository('memory')
    expect(repository.kind).toBe('memory')
    expect(repository.countFollowed()).toBe(5)
    await repository.close()
  })

  it.each([
    ['postgres://root@127.0.0.1/stock_db', /unknown database "postgres:.*use memory or mysql:/],
    ['Memory', /unknown database "Memory"/],
    ['mysql://root@127.0.0.1:3306/', /bad database URL .*database name must be/],
    ['mysql://root@127.0.0.1:3306/stock-db', /bad database URL .*database name must be/],
    ['mysql://root@127.0.0.1:notaport/stock_db', /bad database URL .*not a URL/],
    ['mysql://root@127.0.0.1/stock_db?pool=3', /bad database URL .*unknown option pool/],
  ])('rejects %s with one clear line', async (db, message) => {
    const error = (await openRepository(db).catch((err: unknown) => err)) as Error
    expect(error.message).toMatch(message)
    expect(error.message).not.toContain('\n')
  })

  it('rejects an unreachable database with one line naming it, the cause, and never the password', async () => {
    const port = await closedPort()
    const error = (await openRepository(`mysql://root:s3cret@127.0.0.1:${port}/stock_db`).catch((err: unknown) => err)) as Error
    expect(error.message).toBe(`cannot reach database mysql://root:***@127.0.0.1:${port}/stock_db: connect ECONNREFUSED 127.0.0.1:${port}`)
  })
})

const unavailable = await mariadbUnavailable()

describe.skipIf(unavailable !== undefined)(`openRepository on MariaDB${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const empty = uniqueDatabaseUrl()
  beforeAll(async () => {
    // a database that exists but was never seeded
    await seedDatabase(empty)
    const { createConnection } = await import('mysql2/promise')
    const connection = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: new URL(empty).pathname.slice(1) })
    await connection.query('DROP TABLE focus')
    await connection.query('DROP TABLE info')
    await connection.end()
  })
  afterAll(async () => {
    await dropDatabase(empty)
  })

  it('rejects a database that does not exist with one line that says how to seed it', async () => {
    const missing = uniqueDatabaseUrl()
    const name = new URL(missing).pathname.slice(1)
    const error = (await openRepository(missing).catch((err: unknown) => err)) as Error
    expect(error.message).toBe(`database ${name} does not exist at ${MARIADB_SERVER}; seed it with: npm run db:seed -- --db=${missing}`)
  })

  it('rejects a database without the stock tables with one line that says how to seed it', async () => {
    const error = (await openRepository(empty).catch((err: unknown) => err)) as Error
    expect(error.message).toMatch(/^database mysql:.* has no stock tables \(.*doesn't exist\); seed it with: npm run db:seed -- --db=mysql:/)
    expect(error.message).not.toContain('\n')
  })
})
