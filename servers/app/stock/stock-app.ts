// The built-in stock app, the course's mini_frame: a route table of regular expressions, pages
// rendered into `{%content%}` templates, a repository behind them, and static files for every
// path the table does not know.
//
// Synchronous when it can be: with the memory store every answer is returned directly (no
// promise per request, so the servers' synchronous fast path holds); with mysql the body comes
// as a promise. startResponse is called only once the data is there, so a failing query can
// still be answered with its own status (503 while the database is away).
//
// Writes: POST /add/<code>.html and /del/<code>.html answer 200 only when they changed a focus
// row, 409 Conflict when the stock already was in the asked state, 404 for an unknown code.
// So the number of 200 answers is exactly the number of rows written.

import { deepFreeze } from '../../http/frozen-fields.js'
import type { App, AppBody, Environ, HeaderList, StartResponse } from '../gateway.js'
import type { StockRepository, WriteOutcome } from '../repositories/stock-repository.js'
import { whenReady } from '../repositories/stock-repository.js'
import { escapeHtml } from './escape-html.js'
import { Router } from './router.js'
import { followedTable, stocksTable } from './stock-tables.js'
import { TemplateDirectory } from './templates.js'

export interface StockAppOptions {
  repository: StockRepository
  /** Directory with stocks.html, center.html and mine.html. */
  templatesDir: string
  /** Serves every path the route table does not match. */
  staticApp: App
}

type Handler = (startResponse: StartResponse, params: string[]) => AppBody | Promise<AppBody>

const TEXT = 'text/plain; charset=utf-8'
// One header list for every response of a kind, frozen all the way down (http/frozen-fields.ts):
// checked once by callApp and its header lines built once by the writer, not per request.
const HTML_HEADERS: HeaderList = deepFreeze([['Content-Type', 'text/html; charset=utf-8']])
const TEXT_HEADERS: HeaderList = deepFreeze([['Content-Type', TEXT]])
/** A stock code: six digits (table info, column code). Anything else is no stock. */
const CODE = /^\d{6}$/

const STATUS: Record<WriteOutcome, string> = { changed: '200 OK', unchanged: '409 Conflict', unknown: '404 Not Found' }

function writeMessage(action: 'add' | 'del', outcome: WriteOutcome, code: string): string {
  const c = escapeHtml(code)
  if (outcome === 'unknown') return `No stock has the code ${c}.`
  if (action === 'add') return outcome === 'changed' ? `Followed ${c}.` : `${c} is already followed.`
  return outcome === 'changed' ? `Unfollowed ${c}.` : `${c} is not followed.`
}

/** The small page a follow/unfollow answers with. */
function writePage(action: 'add' | 'del', outcome: WriteOutcome, code: string): string {
  const message = writeMessage(action, outcome, code)
  return (
    `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${message}</title></head>\n` +
    `<body><p>${message}</p><p><a href="/center.html">Followed stocks</a> · <a href="/stocks.html">All stocks</a></p></body></html>\n`
  )
}

export function createStockApp({ repository, templatesDir, staticApp }: StockAppOptions): App {
  // read every template now: a missing or broken one fails at start-up, not on a request
  const templates = new TemplateDirectory(templatesDir)
  const stocksPage = templates.get('stocks.html')
  const centerPage = templates.get('center.html')
  const minePage = templates.get('mine.html', ['name', 'content'])

  const html = (startResponse: StartResponse, body: string): string => {
    startResponse('200 OK', HTML_HEADERS)
    return body
  }

  const write = (action: 'add' | 'del', startResponse: StartResponse, code: string) => {
    const respond = (outcome: WriteOutcome): string => {
      startResponse(STATUS[outcome], HTML_HEADERS)
      return writePage(action, outcome, code)
    }
    if (!CODE.test(code)) return respond('unknown')
    return whenReady(action === 'add' ? repository.follow(code) : repository.unfollow(code), respond)
  }

  const router = new Router<Handler>([
    {
      // pure server overhead: no template, no repository, no escaping
      pattern: '/hello',
      methods: ['GET'],
      handler: (startResponse) => {
        startResponse('200 OK', TEXT_HEADERS)
        return 'Hello, World!'
      },
    },
    {
      pattern: '/stocks\\.html',
      methods: ['GET'],
      handler: (startResponse) =>
        whenReady(repository.listStocks(), (stocks) => html(startResponse, stocksPage.render({ content: stocksTable(stocks) }))),
    },
    {
      pattern: '/center\\.html',
      methods: ['GET'],
      handler: (startResponse) =>
        whenReady(repository.listFollowed(), (rows) => html(startResponse, centerPage.render({ content: followedTable(rows) }))),
    },
    { pattern: '/add/([^/]+)\\.html', methods: ['POST'], handler: (startResponse, [code]) => write('add', startResponse, code!) },
    { pattern: '/del/([^/]+)\\.html', methods: ['POST'], handler: (startResponse, [code]) => write('del', startResponse, code!) },
    {
      // the course's /mine/(.*)\.html, one path segment: a name is not a path
      pattern: '/mine/([^/]+)\\.html',
      methods: ['GET'],
      handler: (startResponse, [name]) =>
        whenReady(repository.listFollowed(), (rows) =>
          html(startResponse, minePage.render({ name: escapeHtml(name!), content: followedTable(rows) })),
        ),
    },
  ])

  return function stockApp(environ: Environ, startResponse: StartResponse) {
    const found = router.match(environ.REQUEST_METHOD, environ.PATH_INFO)
    if (found.kind === 'route') return found.handler(startResponse, found.params)
    if (found.kind === 'method-not-allowed') {
      startResponse('405 Method Not Allowed', [
        ['Content-Type', TEXT],
        ['Allow', found.allow],
      ])
      return `${environ.REQUEST_METHOD} is not allowed here; allowed: ${found.allow}\n`
    }
    return staticApp(environ, startResponse)
  }
}
