import { createConnection, type RowDataPacket } from 'mysql2/promise'
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest'
import { parseDatabaseUrl } from '../../../servers/app/repositories/database-url.js'
import { loadStockFixture } from '../../../servers/app/repositories/stock-fixture.js'
import { dropDatabase, main, seedDatabase } from '../../../servers/app/seed.js'
import { mariadbUnavailable, uniqueDatabaseUrl } from './mariadb-test-database.js'

const unavailable = await mariadbUnavailable()
const fixture = loadStockFixture()

async function query(db: string, sql: string): Promise<RowDataPacket[]> {
  const { host, port, user, password, database } = parseDatabaseUrl(db)
  const connection = await createConnection({ host, port, user, password, database, dateStrings: true, decimalNumbers: true })
  try {
    return (await connection.query<RowDataPacket[]>(sql))[0]
  } finally {
    await connection.end()
  }
}

/** Run the CLI in-process and collect what it prints. */
async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true))
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true))
  try {
    return { code: await main(args), stdout, stderr }
  } finally {
    out.mockRestore()
    err.mockRestore()
  }
}

describe('seed CLI without a database', () => {
  it('rejects an unknown argument with one line and exit code 2', async () => {
    const result = await runCli(['--database=x'])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^seed: unknown argument "--database=x"; usage: seed \[--db=mysql:.*\]\n$/)
  })

  it('rejects a bad URL with one line and exit code 1', async () => {
    const result = await runCli(['--db=mysql://127.0.0.1/bad-name'])
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/^seed: bad database URL "mysql:\/\/127\.0\.0\.1\/bad-name": database name must be .*\n$/)
  })

  it('rejects an unreachable server with one line and exit code 1', async () => {
    const result = await runCli(['--db=mysql://root@127.0.0.1:1/stock_db'])
    expect(result.code).toBe(1)
    expect(result.stderr).toBe('seed: cannot reach database server mysql://root@127.0.0.1:1: connect ECONNREFUSED 127.0.0.1:1\n')
  })
})

describe.skipIf(unavailable !== undefined)(`seedDatabase on MariaDB${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const created: string[] = []
  const fresh = () => {
    const db = uniqueDatabaseUrl()
    created.push(db)
    return db
  }
  afterAll(async () => {
    for (const db of created) await dropDatabase(db)
  })
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('creates a missing database and fills info and focus with the fixture', async () => {
    const db = fresh()
    expect(await seedDatabase(db)).toEqual({ database: db, stocks: fixture.info.length, followed: fixture.focus.length })
    const info = await query(db, 'SELECT * FROM info ORDER BY id')
    expect(info.map((r) => ({ ...r }))).toEqual(fixture.info)
    const focus = await query(db, 'SELECT * FROM focus ORDER BY id')
    expect(focus.map((r) => ({ ...r }))).toEqual(fixture.focus)
  })

  it('gives the same database when run again, whatever was written in between', async () => {
    const db = fresh()
    await seedDatabase(db)
    await query(db, 'DELETE FROM focus')
    await seedDatabase(db)
    const [{ n }] = (await query(db, 'SELECT COUNT(*) AS n FROM focus')) as Array<{ n: number }>
    expect(Number(n)).toBe(fixture.focus.length)
    const info = await query(db, 'SELECT COUNT(*) AS n FROM info')
    expect(Number(info[0]!.n)).toBe(fixture.info.length)
  })

  it('refuses a second focus row for the same stock (focus.info_id is unique)', async () => {
    const db = fresh()
    await seedDatabase(db)
    await expect(query(db, `INSERT INTO focus (info_id) VALUES (${fixture.focus[0]!.info_id})`)).rejects.toThrow(/Duplicate entry/)
  })

  it('prints one line and exits 0 from the CLI', async () => {
    const db = fresh()
    const result = await runCli([`--db=${db}`])
    expect(result).toEqual({ code: 0, stdout: `seeded ${db}: ${fixture.info.length} stocks, ${fixture.focus.length} followed\n`, stderr: '' })
  })
})
