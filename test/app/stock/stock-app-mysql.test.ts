// The stock app over MariaDB (127.0.0.1:3306, a database of this file's own): the same pages as
// the memory store, answered with promises; exact write counting under concurrency; and a
// database that goes away mid-run (a TCP proxy cut between the pool and MariaDB) gives 503 with
// a clear message, then 200 again once it is back, without restarting anything.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callApp } from '../../../servers/app/call-app.js'
import type { App } from '../../../servers/app/gateway.js'
import { MemoryStockRepository } from '../../../servers/app/repositories/memory-stock-repository.js'
import { openRepository } from '../../../servers/app/repositories/open-repository.js'
import { findProjectFile } from '../../../servers/app/repositories/project-file.js'
import { loadStockFixture } from '../../../servers/app/repositories/stock-fixture.js'
import type { StockRepository } from '../../../servers/app/repositories/stock-repository.js'
import { dropDatabase, seedDatabase } from '../../../servers/app/seed.js'
import { createStockApp } from '../../../servers/app/stock/stock-app.js'
import { mariadbUnavailable, uniqueDatabaseUrl } from '../repositories/mariadb-test-database.js'
import { call } from './call-stock-app.js'
import { FaultProxy } from '../../../bench/driver/fault-proxy.js'
import { pageLists } from '../../../bench/driver/write-ledger.js'

const unavailable = await mariadbUnavailable()
const templatesDir = findProjectFile('fixtures/templates')
const fixture = loadStockFixture()
const staticApp: App = (_environ, startResponse) => {
  startResponse('404 Not Found', [['Content-Type', 'text/plain']])
  return 'static'
}

describe.skipIf(unavailable !== undefined)(`the stock app on MariaDB${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const db = uniqueDatabaseUrl()
  const name = new URL(db).pathname.slice(1)
  let proxy: FaultProxy
  let repository: StockRepository
  let app: App

  beforeAll(async () => {
    await seedDatabase(db)
    proxy = await FaultProxy.start({ host: '127.0.0.1', port: 3306 })
    repository = await openRepository(`mysql://root@127.0.0.1:${proxy.port}/${name}`)
    app = createStockApp({ repository, templatesDir, staticApp })
  })
  afterAll(async () => {
    await repository?.close()
    await proxy?.close()
    await dropDatabase(db)
  })

  it('renders the same pages as the memory store, answering with a promise', async () => {
    const memory = createStockApp({ repository: new MemoryStockRepository(fixture), templatesDir, staticApp })
    for (const path of ['/stocks.html', '/center.html', '/mine/Ada.html']) {
      const [fromSql, fromMemory] = [await call(app, 'GET', path), await call(memory, 'GET', path)]
      expect(fromSql.sync, path).toBe(false)
      expect(fromSql.status).toBe(200)
      expect(fromSql.body).toBe(fromMemory.body)
    }
  })

  it('answers /hello without touching the database, synchronously', async () => {
    expect(await call(app, 'GET', '/hello')).toMatchObject({ sync: true, status: 200, body: 'Hello, World!' })
  })

  it('counts exactly one row per 200 answer under concurrent alternating add and del', async () => {
    await seedDatabase(db)
    const codes = fixture.info.slice(0, 6).map((r) => r.code)
    const requests = Array.from({ length: 120 }, (_, i) => {
      const action = i % 2 === 0 ? 'add' : 'del'
      return call(app, 'POST', `/${action}/${codes[i % codes.length]}.html`).then((answer) => ({ action, answer }))
    })
    let delta = 0
    for (const { action, answer } of await Promise.all(requests)) {
      expect([200, 409]).toContain(answer.status)
      if (answer.status === 200) delta += action === 'add' ? 1 : -1
    }
    expect(await repository.countFollowed()).toBe(fixture.focus.length + delta)
    expect((await call(app, 'POST', '/add/999999.html')).status).toBe(404)
  })

  it('answers 503 with a clear message while the database is away, and 200 again once it is back', async () => {
    expect((await call(app, 'GET', '/stocks.html')).status).toBe(200)
    await proxy.cut()
    try {
      for (const [method, path] of [['GET', '/stocks.html'], ['GET', '/center.html'], ['POST', `/add/${fixture.info[0]!.code}.html`]] as const) {
        const answer = await call(app, method, path)
        expect(answer.status, path).toBe(503)
        expect(answer.body).toMatch(/^database unavailable \((ECONNREFUSED|PROTOCOL_CONNECTION_LOST|ECONNRESET)\); (nothing was written; )?try again later$/)
      }
      // the pages that need no database keep working
      expect((await call(app, 'GET', '/hello')).status).toBe(200)
    } finally {
      await proxy.restore()
    }
    const back = await call(app, 'GET', '/stocks.html')
    expect(back.status).toBe(200)
    expect(back.body.match(/<tr><td>/g)).toHaveLength(fixture.info.length)
  })

  it('gives a server 503 with the message as body through callApp while the database is away', async () => {
    const conn = { remoteAddress: '127.0.0.1', remotePort: 50000, serverName: '127.0.0.1', serverPort: 8080 }
    const request = { method: 'GET', target: '/center.html', version: '1.1' as const, headers: [['host', 'x']] as Array<[string, string]>, body: new Uint8Array(0), keepAlive: true }
    await proxy.cut()
    try {
      const response = await callApp(app, request, conn)
      expect(response.status).toBe(503)
      expect(Buffer.from(response.body).toString('utf8')).toMatch(/database unavailable \((ECONNREFUSED|PROTOCOL_CONNECTION_LOST|ECONNRESET)\); try again later/)
    } finally {
      await proxy.restore()
    }
    expect((await callApp(app, request, conn)).status).toBe(200)
  })

  it('answers a write cut at any moment 200, 503 "nothing was written" or 503 "may have been applied", and only the last can be in the table', async () => {
    // 50 ms each way: on a warm pool connection a follow is two round trips (find the stock,
    // insert), so cuts 10–230 ms after it starts fall before, during and after each statement and
    // its answer.
    const [warm, ...codes] = fixture.info.filter((s) => !fixture.focus.some((f) => f.info_id === s.id)).slice(0, 13).map((s) => s.code)
    for (const code of [warm!, ...codes]) await call(app, 'POST', `/del/${code}.html`) // an earlier test may have followed some
    const outcomes: Array<{ code: string; status: number; body: string }> = []
    try {
      for (const [i, code] of codes.entries()) {
        // one pool connection, its statements prepared: add and del in turn, no latency
        proxy.setLatency(0)
        for (const action of ['add', 'del']) expect((await call(app, 'POST', `/${action}/${warm}.html`)).status).toBe(200)
        proxy.setLatency(50)
        const answer = call(app, 'POST', `/add/${code}.html`)
        await new Promise((resolve) => setTimeout(resolve, 10 + 20 * i))
        await proxy.cut()
        outcomes.push({ code, ...(await answer) })
        // let the pool see its connection closed (when the add was answered before the cut, it
        // sat idle in the pool; handed out in the same turn as its close, it fails the next add)
        await new Promise((resolve) => setTimeout(resolve, 20))
        await proxy.restore()
      }
    } finally {
      proxy.setLatency(0)
      await proxy.restore()
    }
    const followed = await call(app, 'GET', '/center.html')
    expect(followed.status, followed.body).toBe(200)
    for (const { code, status, body } of outcomes) {
      const inTable = pageLists(followed.body, code)
      if (status === 200) expect(inTable, `${code} answered 200`).toBe(true)
      else {
        expect(status).toBe(503)
        if (/nothing was written/.test(body)) expect(inTable, `${code}: ${body}`).toBe(false)
        else expect(body).toMatch(/^database connection lost during the write \(\w+\); it may have been applied/)
      }
    }
    // the cuts fell both before the insert and after it was sent
    expect(outcomes.some((o) => /nothing was written/.test(o.body))).toBe(true)
    expect(outcomes.some((o) => o.status === 200 || /may have been applied/.test(o.body))).toBe(true)
    for (const { code } of outcomes) await call(app, 'POST', `/del/${code}.html`)
  })

  it('answers each request in flight when the database goes away with 200 or 503, never anything else', async () => {
    // fill the pool with open connections, then cut while a burst is in flight
    await Promise.all(Array.from({ length: 10 }, () => call(app, 'GET', '/center.html')))
    const burst = Array.from({ length: 40 }, () => call(app, 'GET', '/stocks.html'))
    await proxy.cut()
    const statuses = (await Promise.all(burst)).map((a) => a.status)
    await proxy.restore()
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true)
    expect(statuses).toContain(503)
    expect((await call(app, 'GET', '/center.html')).status).toBe(200)
  })
})
