// The static app end to end through callApp, from raw request targets: what a client can send.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callApp } from '../../servers/app/call-app.js'
import type { App, AppResponse, ConnInfo } from '../../servers/app/gateway.js'
import { createStaticFiles } from '../../servers/app/static-files.js'
import type { ParsedRequest } from '../../servers/http/parser.js'

const www = fileURLToPath(new URL('../../fixtures/www/', import.meta.url))
const conn: ConnInfo = { remoteAddress: '127.0.0.1', remotePort: 50000, serverName: '127.0.0.1', serverPort: 8080 }

function get(app: App, target: string, options: { method?: string; headers?: Array<[string, string]> } = {}): AppResponse {
  const req: ParsedRequest = {
    method: options.method ?? 'GET',
    target,
    version: '1.1',
    headers: [['host', '127.0.0.1:8080'], ...(options.headers ?? [])],
    body: new Uint8Array(0),
    keepAlive: true,
  }
  const result = callApp(app, req, conn)
  // The static app is synchronous: the servers' fast path must never see a promise from it.
  expect(result).not.toBeInstanceOf(Promise)
  return result as AppResponse
}

const header = (response: AppResponse, name: string): string | undefined =>
  response.headers.find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1]
const text = (response: AppResponse): string => Buffer.from(response.body).toString('utf8')

describe('static files from fixtures/www', () => {
  const app = createStaticFiles({ root: www })

  it("serves '/' as index.html, synchronously, with Content-Type, ETag and Last-Modified", () => {
    const response = get(app, '/')
    expect(response.status).toBe(200)
    expect(Buffer.compare(Buffer.from(response.body), fs.readFileSync(path.join(www, 'index.html')))).toBe(0)
    expect(header(response, 'Content-Type')).toBe('text/html; charset=utf-8')
    expect(header(response, 'ETag')).toMatch(/^"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/)
    expect(header(response, 'Last-Modified')).toBe(new Date(fs.statSync(path.join(www, 'index.html')).mtimeMs).toUTCString())
  })

  it.each([
    ['/index.html', 'text/html; charset=utf-8'],
    ['/style.css', 'text/css; charset=utf-8'],
    ['/logo.svg', 'image/svg+xml'],
    ['/favicon.ico', 'image/vnd.microsoft.icon'],
    ['/large.bin', 'application/octet-stream'],
  ])('labels %s as %s', (target, type) => {
    const response = get(app, target)
    expect(response.status).toBe(200)
    expect(header(response, 'Content-Type')).toBe(type)
  })

  it('serves large.bin byte for byte', () => {
    const response = get(app, '/large.bin')
    expect(Buffer.compare(Buffer.from(response.body), fs.readFileSync(path.join(www, 'large.bin')))).toBe(0)
  })

  it('answers HEAD with the status and headers of GET (the writer drops the body but states its length)', () => {
    const head = get(app, '/style.css', { method: 'HEAD' })
    const full = get(app, '/style.css')
    expect(head.status).toBe(200)
    expect(head.headers).toEqual(full.headers)
    expect(head.body.length).toBe(full.body.length)
  })

  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH'])('answers %s with 405 and Allow: GET, HEAD', (method) => {
    const response = get(app, '/index.html', { method })
    expect(response.status).toBe(405)
    expect(header(response, 'Allow')).toBe('GET, HEAD')
  })

  it.each(['/nope.html', '/style.css/', '/index.html/x', '/mine/you.html'])('answers 404 for the missing %s', (target) => {
    expect(get(app, target).status).toBe(404)
  })

  it.each(['/.secret', '/%2esecret', '/%2Esecret', '/./.secret', '/%2E%73ecret'])(
    'hides the dotfile at %s with 404',
    (target) => {
      expect(fs.existsSync(path.join(www, '.secret'))).toBe(true)
      expect(get(app, target).status).toBe(404)
    },
  )

  it.each([
    '/../package.json',
    '/..',
    '/%2e%2e/package.json',
    '/%2E%2E/package.json',
    '/.%2e/package.json',
    '/%2e%2e%2fpackage.json',
    '/..%2Fpackage.json',
    '/..%5cpackage.json',
    '/%2e%2e%5Cpackage.json',
    '/style.css%5c..%5c..%5cpackage.json',
    '/a/b/..%2f..%2f..%2fpackage.json',
    'http://127.0.0.1/%2e%2e/package.json',
  ])('refuses the traversal %s with 403', (target) => {
    const response = get(app, target)
    expect(response.status).toBe(403)
    expect(text(response)).not.toContain('"name"')
  })

  it.each(['/%C0%AE%C0%AE/package.json', '/%c0%ae%c0%ae%c0%afpackage.json', '/%E0%80%AE%E0%80%AE/package.json'])(
    'refuses the overlong-UTF-8 traversal %s with 400 before it reaches the app',
    (target) => {
      expect(get(app, target).status).toBe(400)
    },
  )

  it('refuses an encoded NUL with 400', () => {
    expect(get(app, '/index.html%00.png').status).toBe(400)
  })

  it('answers 304 with no body for a matching If-None-Match, repeating ETag and Last-Modified only', () => {
    const first = get(app, '/style.css')
    const etag = header(first, 'ETag')!
    const response = get(app, '/style.css', { headers: [['if-none-match', etag]] })
    expect(response.status).toBe(304)
    expect(response.body.length).toBe(0)
    expect(response.headers).toEqual([['ETag', etag], ['Last-Modified', header(first, 'Last-Modified')!]])
  })

  it('answers 304 for a weak or listed or * If-None-Match', () => {
    const etag = header(get(app, '/style.css'), 'ETag')!
    for (const value of [`W/${etag}`, `"nope", ${etag}`, '*']) {
      expect(get(app, '/style.css', { headers: [['if-none-match', value]] }).status).toBe(304)
    }
  })

  it('answers 200 with the body for a stale If-None-Match', () => {
    const response = get(app, '/style.css', { headers: [['if-none-match', '"0-stale"']] })
    expect(response.status).toBe(200)
    expect(response.body.length).toBeGreaterThan(0)
  })

  it('answers 304 for an If-Modified-Since at or after Last-Modified, 200 before it', () => {
    const lastModified = header(get(app, '/logo.svg'), 'Last-Modified')!
    expect(get(app, '/logo.svg', { headers: [['if-modified-since', lastModified]] }).status).toBe(304)
    const before = new Date(Date.parse(lastModified) - 1000).toUTCString()
    expect(get(app, '/logo.svg', { headers: [['if-modified-since', before]] }).status).toBe(200)
  })

  it('lets If-None-Match take precedence over If-Modified-Since', () => {
    const first = get(app, '/logo.svg')
    const response = get(app, '/logo.svg', {
      headers: [['if-none-match', '"0-stale"'], ['if-modified-since', header(first, 'Last-Modified')!]],
    })
    expect(response.status).toBe(200)
  })

  it('answers 304 to a conditional HEAD too', () => {
    const etag = header(get(app, '/'), 'ETag')!
    expect(get(app, '/', { method: 'HEAD', headers: [['if-none-match', etag]] }).status).toBe(304)
  })

  it('ignores the query string when choosing the file', () => {
    expect(text(get(app, '/style.css?v=2'))).toBe(fs.readFileSync(path.join(www, 'style.css'), 'utf8'))
  })
})

describe('static files in a changing temp root', () => {
  let tmp: string
  let site: string
  let app: App

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'httpmodels-static-'))
    site = path.join(tmp, 'site')
    fs.mkdirSync(path.join(site, 'docs'), { recursive: true })
    fs.mkdirSync(path.join(site, 'evil.example'))
    fs.mkdirSync(path.join(site, '\\evil.example')) // a name with a backslash: '/\evil.example' in a Location means another host to browsers
    fs.writeFileSync(path.join(site, 'index.html'), 'home')
    fs.writeFileSync(path.join(site, 'docs', 'index.html'), 'docs home')
    fs.writeFileSync(path.join(tmp, 'secret.txt'), 'outside the root')
    fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(site, 'linked.txt'))
    fs.symlinkSync(tmp, path.join(site, 'up'))
    app = createStaticFiles({ root: site })
  })

  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true })
  })

  it('sees a rewritten file at once: a different size, then the same size', () => {
    const file = path.join(site, 'page.txt')
    fs.writeFileSync(file, 'first version')
    const first = get(app, '/page.txt')
    expect(text(first)).toBe('first version')
    fs.writeFileSync(file, 'second, longer version')
    const second = get(app, '/page.txt')
    expect(text(second)).toBe('second, longer version')
    fs.writeFileSync(file, 'THIRD, LONGER VERSION!')
    const third = get(app, '/page.txt')
    expect(text(third)).toBe('THIRD, LONGER VERSION!')
    expect(new Set([first, second, third].map((r) => header(r, 'ETag'))).size).toBe(3)
  })

  it('does not answer 304 for the old ETag once the file changed', () => {
    const file = path.join(site, 'etag.txt')
    fs.writeFileSync(file, 'AAAA')
    const etag = header(get(app, '/etag.txt'), 'ETag')!
    fs.writeFileSync(file, 'BBBB')
    const response = get(app, '/etag.txt', { headers: [['if-none-match', etag]] })
    expect(response.status).toBe(200)
    expect(text(response)).toBe('BBBB')
  })

  it('serves a file created after start-up and forgets one deleted', () => {
    const file = path.join(site, 'late.txt')
    expect(get(app, '/late.txt').status).toBe(404)
    fs.writeFileSync(file, 'late')
    expect(text(get(app, '/late.txt'))).toBe('late')
    fs.unlinkSync(file)
    expect(get(app, '/late.txt').status).toBe(404)
  })

  it('refuses a symlink that leads out of the root with 403', () => {
    const response = get(app, '/linked.txt')
    expect(response.status).toBe(403)
    expect(text(response)).not.toContain('outside the root')
  })

  it('refuses a path through a symlinked directory that leads out of the root with 403', () => {
    expect(get(app, '/up/secret.txt').status).toBe(403)
  })

  it('refuses a symlink retargeted out of the root after it was served', () => {
    const link = path.join(site, 'moving.txt')
    fs.symlinkSync(path.join(site, 'index.html'), link)
    expect(text(get(app, '/moving.txt'))).toBe('home')
    fs.unlinkSync(link)
    fs.symlinkSync(path.join(tmp, 'secret.txt'), link)
    expect(get(app, '/moving.txt').status).toBe(403)
  })

  it('redirects a directory without its slash to the slash form, keeping the query', () => {
    const response = get(app, '/docs?lang=en')
    expect(response.status).toBe(301)
    expect(header(response, 'Location')).toBe('/docs/?lang=en')
    expect(text(get(app, '/docs/'))).toBe('docs home')
  })

  it('never redirects to another host: leading slashes collapse in the Location', () => {
    for (const target of ['//evil.example', '///evil.example', '/%2Fevil.example', '/\\evil.example']) {
      const response = get(app, target)
      expect(response.status).toBe(301)
      expect(header(response, 'Location')).toMatch(/^\/[^/\\]/)
    }
  })

  it('answers 404 for a directory without index.html', () => {
    fs.mkdirSync(path.join(site, 'bare'))
    expect(get(app, '/bare/').status).toBe(404)
  })

  it('fails at start-up, not per request, when the root is missing', () => {
    expect(() => createStaticFiles({ root: path.join(tmp, 'missing-root') })).toThrow(/static root/)
  })
})
