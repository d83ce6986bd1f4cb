// The stock app over the memory store: every route, its status, headers and body, and that each
// answer comes back synchronously (no promise) as the servers' fast path needs.

import { describe, expect, it } from 'vitest'
import type { App } from '../../../servers/app/gateway.js'
import { MemoryStockRepository } from '../../../servers/app/repositories/memory-stock-repository.js'
import { findProjectFile } from '../../../servers/app/repositories/project-file.js'
import { loadStockFixture, type StockFixture } from '../../../servers/app/repositories/stock-fixture.js'
import { createStockApp } from '../../../servers/app/stock/stock-app.js'
import { callApp } from '../../../servers/app/call-app.js'
import type { AppResponse } from '../../../servers/app/gateway.js'
import { call, header } from './call-stock-app.js'

const templatesDir = findProjectFile('fixtures/templates')
const fixture = loadStockFixture()
const followed = new Set(fixture.focus.map((f) => f.info_id))
const unfollowedCode = fixture.info.find((r) => !followed.has(r.id))!.code
const followedCode = fixture.info.find((r) => r.id === fixture.focus[0]!.info_id)!.code

/** A stand-in for static-files.ts: says which path reached it. */
const staticApp: App = (environ, startResponse) => {
  startResponse('404 Not Found', [['Content-Type', 'text/plain']])
  return `static ${environ.REQUEST_METHOD} ${environ.PATH_INFO}`
}

function stockApp(data: StockFixture = loadStockFixture()) {
  const repository = new MemoryStockRepository(data)
  return { repository, app: createStockApp({ repository, templatesDir, staticApp }) }
}

describe('the stock app on the memory store', () => {
  it('answers GET /hello with plain "Hello, World!", synchronously', async () => {
    const answer = await call(stockApp().app, 'GET', '/hello')
    expect(answer).toEqual({ sync: true, status: 200, headers: [['Content-Type', 'text/plain; charset=utf-8']], body: 'Hello, World!' })
  })

  it('answers HEAD like GET (the server drops the body)', async () => {
    const { app } = stockApp()
    for (const path of ['/hello', '/stocks.html', '/center.html', '/mine/x.html']) {
      const [get, head] = [await call(app, 'GET', path), await call(app, 'HEAD', path)]
      expect(head).toEqual(get)
    }
  })

  it('renders every stock into stocks.html with a follow button, synchronously', async () => {
    const answer = await call(stockApp().app, 'GET', '/stocks.html')
    expect(answer.sync).toBe(true)
    expect(answer.status).toBe(200)
    expect(header(answer, 'content-type')).toBe('text/html; charset=utf-8')
    expect(answer.body).toMatch(/^<!doctype html>[\s\S]*<h1>All stocks<\/h1>[\s\S]*<\/html>\n$/)
    expect(answer.body).not.toContain('{%content%}')
    expect(answer.body.match(/<tr><td>/g)).toHaveLength(fixture.info.length)
    const first = fixture.info[0]!
    expect(answer.body).toContain(
      `<tr><td>${first.id}</td><td>${first.code}</td><td>${first.short}</td><td>${first.chg.toFixed(2)}%</td>` +
        `<td>${first.turnover.toFixed(2)}%</td><td>${first.price.toFixed(2)}</td><td>${first.highs.toFixed(2)}</td><td>${first.time}</td>` +
        `<td><form method="post" action="/add/${first.code}.html">`,
    )
  })

  it('renders only the followed stocks, with notes and unfollow buttons, into center.html', async () => {
    const answer = await call(stockApp().app, 'GET', '/center.html')
    expect(answer).toMatchObject({ sync: true, status: 200 })
    expect(answer.body).toContain('<h1>Followed stocks</h1>')
    expect(answer.body.match(/<tr><td>/g)).toHaveLength(fixture.focus.length)
    expect(answer.body).toContain(`action="/del/${followedCode}.html"`)
    expect(answer.body).toContain(`<td>${fixture.focus[1]!.note_info}</td>`)
    expect(answer.body).not.toContain(`<td>${unfollowedCode}</td>`)
  })

  it('says so on center.html when nothing is followed', async () => {
    const answer = await call(stockApp({ info: fixture.info, focus: [] }).app, 'GET', '/center.html')
    expect(answer.body).toContain('No followed stocks yet')
  })

  it('greets /mine/<name>.html by the captured name and lists the followed stocks', async () => {
    const answer = await call(stockApp().app, 'GET', '/mine/Ada Lovelace.html')
    expect(answer).toMatchObject({ sync: true, status: 200 })
    expect(answer.body).toContain('<h1>Hello, Ada Lovelace!</h1>')
    expect(answer.body).toContain(`<td>${followedCode}</td>`)
  })

  it('follows with POST /add/<code>.html: 200 once, then 409 because it already is followed', async () => {
    const { app, repository } = stockApp()
    const first = await call(app, 'POST', `/add/${unfollowedCode}.html`)
    expect(first).toMatchObject({ sync: true, status: 200, headers: [['Content-Type', 'text/html; charset=utf-8']] })
    expect(first.body).toContain(`<p>Followed ${unfollowedCode}.</p>`)
    const again = await call(app, 'POST', `/add/${unfollowedCode}.html`)
    expect(again).toMatchObject({ status: 409 })
    expect(again.body).toContain(`${unfollowedCode} is already followed.`)
    expect(repository.countFollowed()).toBe(fixture.focus.length + 1)
    expect((await call(app, 'GET', '/center.html')).body).toContain(`<td>${unfollowedCode}</td>`)
  })

  it('unfollows with POST /del/<code>.html: 200 once, then 409 because it is not followed', async () => {
    const { app, repository } = stockApp()
    expect(await call(app, 'POST', `/del/${followedCode}.html`)).toMatchObject({ sync: true, status: 200 })
    const again = await call(app, 'POST', `/del/${followedCode}.html`)
    expect(again.status).toBe(409)
    expect(again.body).toContain(`${followedCode} is not followed.`)
    expect(repository.countFollowed()).toBe(fixture.focus.length - 1)
  })

  it('answers 404 to a write for a code no stock has, or that is not six digits, and writes nothing', async () => {
    const { app, repository } = stockApp()
    for (const path of ['/add/999999.html', '/del/999999.html', '/add/12345.html', '/add/0000345.html', '/del/abc.html']) {
      const answer = await call(app, 'POST', path)
      expect(answer.status, path).toBe(404)
      expect(answer.body).toContain('No stock has the code')
    }
    expect(repository.countFollowed()).toBe(fixture.focus.length)
  })

  it('counts exactly the 200 answers as writes when add and del alternate (the bench write scenario)', async () => {
    const { app, repository } = stockApp()
    const codes = [unfollowedCode, followedCode, '999999']
    let ok = 0
    let delta = 0
    for (let i = 0; i < 90; i++) {
      const action = i % 2 === 0 ? 'add' : 'del'
      const answer = await call(app, 'POST', `/${action}/${codes[i % 3]}.html`)
      expect([200, 404, 409]).toContain(answer.status)
      if (answer.status === 200) {
        ok++
        delta += action === 'add' ? 1 : -1
      }
    }
    expect(ok).toBeGreaterThan(0)
    expect(repository.countFollowed()).toBe(fixture.focus.length + delta)
  })

  it('answers 405 with an Allow header for a known path asked with the wrong method', async () => {
    const { app } = stockApp()
    const get = await call(app, 'GET', `/add/${unfollowedCode}.html`)
    expect(get).toMatchObject({ sync: true, status: 405 })
    expect(header(get, 'allow')).toBe('POST')
    const post = await call(app, 'POST', '/stocks.html')
    expect(post.status).toBe(405)
    expect(header(post, 'allow')).toBe('GET, HEAD')
    expect(post.body).toBe('POST is not allowed here; allowed: GET, HEAD\n')
  })

  it('hands every path the route table does not know to the static files, whatever the method', async () => {
    const { app } = stockApp()
    expect((await call(app, 'GET', '/')).body).toBe('static GET /')
    expect((await call(app, 'GET', '/index.html')).body).toBe('static GET /index.html')
    expect((await call(app, 'POST', '/hello/')).body).toBe('static POST /hello/')
    expect((await call(app, 'GET', '/mine/a/b.html')).body).toBe('static GET /mine/a/b.html')
  })

  it('fails at creation, with one line, when a template is missing', () => {
    const repository = new MemoryStockRepository(fixture)
    expect(() => createStockApp({ repository, templatesDir: '/nonexistent', staticApp })).toThrow(
      /^cannot read template \/nonexistent\/stocks\.html: ENOENT/,
    )
  })
})

describe('HTML escaping in the stock app', () => {
  const evil = '<script>alert("x")</script>'
  const data: StockFixture = {
    info: [
      { id: 1, code: '000001', short: evil, chg: -1.5, turnover: 2, price: 10, highs: 11, time: '2017-07-18' },
      { id: 2, code: '000002', short: 'A&B', chg: 0, turnover: 0, price: 1, highs: 1, time: '2017-07-18' },
    ],
    focus: [{ id: 1, note_info: `it's "<b>bold</b>"`, info_id: 1 }],
  }

  it('escapes a stock name with <script> on every page that shows it', async () => {
    const { app } = stockApp(data)
    for (const path of ['/stocks.html', '/center.html', '/mine/me.html']) {
      const { body } = await call(app, 'GET', path)
      expect(body, path).not.toContain('<script>')
      expect(body, path).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
    }
    expect((await call(app, 'GET', '/stocks.html')).body).toContain('<td>A&amp;B</td>')
  })

  it('escapes the focus note', async () => {
    const { body } = await call(stockApp(data).app, 'GET', '/center.html')
    expect(body).toContain('<td>it&#39;s &quot;&lt;b&gt;bold&lt;/b&gt;&quot;</td>')
  })

  it('escapes the name captured from /mine/<name>.html, in the title and the greeting', async () => {
    const { body } = await call(stockApp(data).app, 'GET', '/mine/<img src=x onerror=alert(1)>.html')
    expect(body).not.toContain('<img')
    expect(body).toContain('<h1>Hello, &lt;img src=x onerror=alert(1)&gt;!</h1>')
    expect(body).toContain("<title>&lt;img src=x onerror=alert(1)&gt;'s stocks")
  })

  it('escapes the code echoed back by a write', async () => {
    const { body } = await call(stockApp(data).app, 'POST', '/add/<i>.html')
    expect(body).toContain('No stock has the code &lt;i&gt;.')
    expect(body).not.toContain('<i>')
  })
})

describe('the stock app through callApp (the adapter every server uses)', () => {
  const conn = { remoteAddress: '127.0.0.1', remotePort: 50000, serverName: '127.0.0.1', serverPort: 8080 }
  const request = (method: string, target: string) => ({
    method, target, version: '1.1' as const, headers: [['host', '127.0.0.1:8080']] as Array<[string, string]>, body: new Uint8Array(0), keepAlive: true,
  })

  it('keeps the synchronous fast path: an AppResponse, not a promise, for every route on the memory store', () => {
    const { app } = stockApp()
    for (const [method, target] of [['GET', '/hello'], ['GET', '/stocks.html'], ['GET', '/center.html'], ['POST', `/add/${unfollowedCode}.html`], ['GET', '/add/000001.html']]) {
      const result = callApp(app, request(method!, target!), conn)
      expect(result, target).not.toBeInstanceOf(Promise)
      expect([200, 405]).toContain((result as AppResponse).status)
    }
  })

  it('decodes the path once before routing, so /mine/%3Cb%3E.html greets an escaped <b>', () => {
    const result = callApp(stockApp().app, request('GET', '/mine/%3Cb%3E%20x.html'), conn) as AppResponse
    expect(result.status).toBe(200)
    expect(Buffer.from(result.body).toString('utf8')).toContain('<h1>Hello, &lt;b&gt; x!</h1>')
  })
})
