import { describe, expect, it } from 'vitest'
import { callApp } from '../../servers/app/call-app.js'
import type { App, AppResponse, ConnInfo, Environ } from '../../servers/app/gateway.js'
import type { ParsedRequest } from '../../servers/http/parser.js'

const conn: ConnInfo = { remoteAddress: '10.0.0.7', remotePort: 40123, serverName: '127.0.0.1', serverPort: 8080 }

function request(target: string, options: Partial<ParsedRequest> = {}): ParsedRequest {
  return { method: 'GET', target, version: '1.1', headers: [['host', 'localhost:8080']], body: new Uint8Array(0), keepAlive: true, ...options }
}

/** Call an app that records its environ; returns the environ (or undefined if it was not called) and the response. */
function environOf(req: ParsedRequest): { environ: Environ | undefined; response: AppResponse } {
  let environ: Environ | undefined
  const app: App = (e, start) => {
    environ = e
    start('200 OK', [])
    return ''
  }
  const response = callApp(app, req, conn)
  if (response instanceof Promise) throw new Error('a synchronous app gave a promise')
  return { environ, response }
}

describe('callApp builds the environ', () => {
  it('fills the CGI fields from the request and the connection', () => {
    const body = new Uint8Array([1, 2, 3])
    const { environ } = environOf(
      request('/mine/caf%C3%A9.html?sort=desc&x=%20', {
        method: 'POST',
        version: '1.0',
        headers: [['host', 'example.test'], ['content-type', 'application/x-www-form-urlencoded'], ['content-length', '3']],
        body,
      }),
    )
    expect(environ).toMatchObject({
      REQUEST_METHOD: 'POST',
      PATH_INFO: '/mine/café.html',
      RAW_PATH: '/mine/caf%C3%A9.html',
      QUERY_STRING: 'sort=desc&x=%20',
      SERVER_PROTOCOL: 'HTTP/1.0',
      SERVER_NAME: '127.0.0.1',
      SERVER_PORT: '8080',
      REMOTE_ADDR: '10.0.0.7',
      REMOTE_PORT: '40123',
      CONTENT_TYPE: 'application/x-www-form-urlencoded',
      CONTENT_LENGTH: '3',
      HTTP_HOST: 'example.test',
    })
    expect(environ!['wsgi.input']).toBe(body)
    expect(environ!.HTTP_CONTENT_TYPE).toBeUndefined()
    expect(environ!.HTTP_CONTENT_LENGTH).toBeUndefined()
  })

  it('gives an empty QUERY_STRING when there is none, and keeps everything after the first ?', () => {
    expect(environOf(request('/a')).environ!.QUERY_STRING).toBe('')
    expect(environOf(request('/a?b?c=d')).environ).toMatchObject({ PATH_INFO: '/a', QUERY_STRING: 'b?c=d' })
  })

  it('names headers HTTP_ in upper case with dashes as underscores', () => {
    const { environ } = environOf(request('/', { headers: [['host', 'h'], ['user-agent', 'test/1'], ['if-none-match', '"x"']] }))
    expect(environ).toMatchObject({ HTTP_USER_AGENT: 'test/1', HTTP_IF_NONE_MATCH: '"x"' })
  })

  it("joins repeated headers with ', ' and repeated Cookie headers with '; '", () => {
    const { environ } = environOf(
      request('/', { headers: [['host', 'h'], ['accept', 'text/html'], ['accept', '*/*'], ['cookie', 'a=1'], ['cookie', 'b=2']] }),
    )
    expect(environ).toMatchObject({ HTTP_ACCEPT: 'text/html, */*', HTTP_COOKIE: 'a=1; b=2' })
  })

  it('drops header names with underscores, so x_user cannot pose as x-user', () => {
    const { environ } = environOf(request('/', { headers: [['host', 'h'], ['x_user', 'forged'], ['x-user', 'real']] }))
    expect(environ!.HTTP_X_USER).toBe('real')
  })

  it('gives a chunked (Content-Length-less) body its length as CONTENT_LENGTH', () => {
    const { environ } = environOf(request('/', { method: 'POST', headers: [['host', 'h'], ['transfer-encoding', 'chunked']], body: new Uint8Array(5) }))
    expect(environ!.CONTENT_LENGTH).toBe('5')
  })

  it('leaves CONTENT_LENGTH unset for a request without a body', () => {
    expect(environOf(request('/')).environ!.CONTENT_LENGTH).toBeUndefined()
  })
})

describe('callApp reads the request target', () => {
  it('uses the path of an absolute-form target and its authority as the host', () => {
    const { environ } = environOf(request('http://example.test:8080/mine/a%20b.html?q=1'))
    expect(environ).toMatchObject({ PATH_INFO: '/mine/a b.html', RAW_PATH: '/mine/a%20b.html', QUERY_STRING: 'q=1', HTTP_HOST: 'example.test:8080' })
  })

  it("gives an absolute-form target without a path the path '/'", () => {
    expect(environOf(request('http://example.test')).environ!.PATH_INFO).toBe('/')
    expect(environOf(request('HTTP://example.test?x')).environ).toMatchObject({ PATH_INFO: '/', QUERY_STRING: 'x' })
  })

  it('answers OPTIONS * with an empty 200 without calling the app', () => {
    const { environ, response } = environOf(request('*', { method: 'OPTIONS' }))
    expect(environ).toBeUndefined()
    expect(response.status).toBe(200)
    expect(response.body.length).toBe(0)
  })

  it.each([
    ['the * target with GET', '*', 'GET'],
    ['a bad percent escape', '/a%zz', 'GET'],
    ['an encoded NUL', '/index.html%00.txt', 'GET'],
    ['an overlong UTF-8 dot', '/%C0%AE%C0%AE/etc/passwd', 'GET'],
    ['an invalid UTF-8 byte', '/caf%E9', 'GET'],
    ['a relative target', 'index.html', 'GET'],
    ['an authority-form target', 'example.test:443', 'CONNECT'],
    ['an absolute-form target with userinfo', 'http://user:pw@example.test/', 'GET'],
    ['an absolute-form target of another scheme', 'ftp://example.test/x', 'GET'],
  ])('answers 400 for %s without calling the app', (_name, target, method) => {
    const { environ, response } = environOf(request(target, { method }))
    expect(environ).toBeUndefined()
    expect(response.status).toBe(400)
  })

  it('says in the 400 body what was wrong with the path', () => {
    const { response } = environOf(request('/a%zz'))
    expect(Buffer.from(response.body).toString()).toMatch(/percent-escape/)
  })
})
