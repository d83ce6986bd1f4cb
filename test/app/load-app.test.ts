import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { createConnection, type RowDataPacket } from 'mysql2/promise'
import { afterAll, describe, expect, it } from 'vitest'
import { loadApp } from '../../servers/app/load-app.js'
import { parseDatabaseUrl } from '../../servers/app/repositories/database-url.js'
import { findProjectFile } from '../../servers/app/repositories/project-file.js'
import { dropDatabase, seedDatabase } from '../../servers/app/seed.js'
import { mariadbUnavailable, uniqueDatabaseUrl } from './repositories/mariadb-test-database.js'
import { call } from './stock/call-stock-app.js'

const root = findProjectFile('fixtures/www')
const modules = mkdtempSync(join(tmpdir(), 'load-app-'))
afterAll(() => rmSync(modules, { recursive: true, force: true }))

writeFileSync(
  join(modules, 'echo-app.mjs'),
  `export const app = (environ, startResponse) => {
     startResponse('200 OK', [['Content-Type', 'text/plain']])
     return 'echo ' + environ.PATH_INFO
   }
   export const notAnApp = 42
   export default app
`,
)
const echoModule = join(modules, 'echo-app.mjs')

describe('loadApp with the stock app', () => {
  it('serves the stock routes over the memory store, with static files for other paths', async () => {
    const loaded = await loadApp({ app: '', root, db: 'memory' })
    try {
      expect(await call(loaded.app, 'GET', '/hello')).toMatchObject({ sync: true, status: 200, body: 'Hello, World!' })
      expect(await call(loaded.app, 'GET', '/stocks.html')).toMatchObject({ sync: true, status: 200 })
      expect((await call(loaded.app, 'GET', '/no-such-file.html')).status).toBe(404)
    } finally {
      await loaded.close()
    }
  })

  it('rejects a bad --db with one clear line', async () => {
    await expect(loadApp({ app: '', root, db: 'mysql://127.0.0.1/bad-name' })).rejects.toThrow(/^bad database URL "mysql:/)
    await expect(loadApp({ app: '', root, db: 'sqlite' })).rejects.toThrow(/^unknown database "sqlite": use memory or mysql:/)
  })
})

describe('loadApp with --app=module:export', () => {
  it('imports the named export of a module given by absolute path', async () => {
    const loaded = await loadApp({ app: `${echoModule}:app`, root, db: 'memory' })
    expect(await call(loaded.app, 'GET', '/x')).toMatchObject({ status: 200, body: 'echo /x' })
    await expect(loaded.close()).resolves.toBeUndefined()
  })

  it('resolves a ./relative path against the working directory, and takes the default export', async () => {
    const path = `./${relative(process.cwd(), echoModule)}`
    const loaded = await loadApp({ app: `${path}:default`, root, db: 'memory' })
    expect((await call(loaded.app, 'GET', '/y')).body).toBe('echo /y')
  })

  it.each([
    ['no-colon', /^--app=no-colon: expected module:export, e\.g\. \.\/my-app\.js:app$/],
    [':app', /expected module:export/],
    ['./x.js:', /expected module:export/],
    ['./does-not-exist.mjs:app', /^--app=\.\/does-not-exist\.mjs:app: cannot import \.\/does-not-exist\.mjs: .*Cannot find module/],
    ['no-such-package-xyz:app', /cannot import no-such-package-xyz: .*Cannot find (package|module)/],
    [`${echoModule}:missing`, /export missing of .* is no such export; an app is a function \(environ, startResponse\)$/],
    [`${echoModule}:notAnApp`, /export notAnApp of .* is a number, not a function/],
    ['mime-types:types', /export types of mime-types is a object, not a function/],
  ])('rejects --app=%s with one clear line', async (app, message) => {
    const error = (await loadApp({ app, root, db: 'memory' }).catch((err: unknown) => err)) as Error
    expect(error.message).toMatch(message)
    expect(error.message).not.toContain('\n')
  })
})

const unavailable = await mariadbUnavailable()

describe.skipIf(unavailable !== undefined)(`loadApp on MariaDB${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const db = uniqueDatabaseUrl()
  afterAll(async () => {
    await dropDatabase(db)
  })

  it('serves from the database and releases every pool connection on close()', async () => {
    await seedDatabase(db)
    const loaded = await loadApp({ app: '', root, db })
    await Promise.all(Array.from({ length: 5 }, () => call(loaded.app, 'GET', '/center.html')))
    expect(await call(loaded.app, 'GET', '/stocks.html')).toMatchObject({ sync: false, status: 200 })
    await loaded.close()
    const { host, port, user, password, database } = parseDatabaseUrl(db)
    const connection = await createConnection({ host, port, user, password })
    const [rows] = await connection.execute<RowDataPacket[]>(
      'SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()',
      [database],
    )
    await connection.end()
    expect(Number(rows[0]!.n)).toBe(0)
  })
})
