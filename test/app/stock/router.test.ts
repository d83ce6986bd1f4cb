import { describe, expect, it } from 'vitest'
import { Router } from '../../../servers/app/stock/router.js'

const router = new Router<string>([
  { pattern: '/hello', methods: ['GET'], handler: 'hello' },
  { pattern: '/add/([^/]+)\\.html', methods: ['POST'], handler: 'add' },
  { pattern: '/mine/([^/]+)\\.html', methods: ['GET'], handler: 'mine' },
  { pattern: '/both/(\\d+)-(\\d+)(x)?', methods: ['GET'], handler: 'both-get' },
  { pattern: '/both/(\\d+)-(\\d+)(x)?', methods: ['DELETE'], handler: 'both-delete' },
])

describe('Router', () => {
  it('finds the route whose pattern matches and hands over the captured groups', () => {
    expect(router.match('POST', '/add/000034.html')).toEqual({ kind: 'route', handler: 'add', params: ['000034'] })
    expect(router.match('GET', '/mine/ada lovelace.html')).toEqual({ kind: 'route', handler: 'mine', params: ['ada lovelace'] })
  })

  it('gives every captured group in order, and an empty string for an optional group that did not take part', () => {
    expect(router.match('GET', '/both/12-34')).toEqual({ kind: 'route', handler: 'both-get', params: ['12', '34', ''] })
  })

  it('matches the whole path only, never a prefix or a suffix', () => {
    expect(router.match('GET', '/hello/')).toEqual({ kind: 'none' })
    expect(router.match('GET', '/x/hello')).toEqual({ kind: 'none' })
    expect(router.match('GET', '/mine/a/b.html')).toEqual({ kind: 'none' })
  })

  it('answers method-not-allowed with the allowed methods for a known path asked with another method', () => {
    expect(router.match('GET', '/add/000034.html')).toEqual({ kind: 'method-not-allowed', allow: 'POST' })
    expect(router.match('POST', '/hello')).toEqual({ kind: 'method-not-allowed', allow: 'GET, HEAD' })
  })

  it('collects Allow from every route that matches the path', () => {
    expect(router.match('PUT', '/both/1-2')).toEqual({ kind: 'method-not-allowed', allow: 'GET, HEAD, DELETE' })
    expect(router.match('DELETE', '/both/1-2')).toMatchObject({ kind: 'route', handler: 'both-delete' })
  })

  it('serves HEAD wherever GET is allowed', () => {
    expect(router.match('HEAD', '/hello')).toEqual({ kind: 'route', handler: 'hello', params: [] })
    expect(router.match('HEAD', '/add/000034.html')).toEqual({ kind: 'method-not-allowed', allow: 'POST' })
  })

  it('falls through (none) for a path no route knows, whatever the method', () => {
    expect(router.match('GET', '/index.html')).toEqual({ kind: 'none' })
    expect(router.match('BREW', '/coffee')).toEqual({ kind: 'none' })
  })

  it('treats method names case-sensitively, as RFC 9110 §9.1 says', () => {
    expect(router.match('get', '/hello')).toEqual({ kind: 'method-not-allowed', allow: 'GET, HEAD' })
  })

  it('reads a pattern with no regex syntax but escaped dots as that one path, and a bare dot as any character', () => {
    const table = new Router<string>([
      { pattern: '/stocks\\.html', methods: ['GET'], handler: 'stocks' },
      { pattern: '/any.html', methods: ['GET'], handler: 'any' },
      { pattern: '/Case', methods: ['GET'], handler: 'case' },
    ])
    expect(table.match('GET', '/stocks.html')).toEqual({ kind: 'route', handler: 'stocks', params: [] })
    expect(table.match('GET', '/stocksxhtml')).toEqual({ kind: 'none' })
    expect(table.match('GET', '/anyxhtml')).toEqual({ kind: 'route', handler: 'any', params: [] })
    expect(table.match('GET', '/case')).toEqual({ kind: 'none' })
  })

  it('lets an earlier regex route win over a later literal one, as the table order says', () => {
    const table = new Router<string>([
      { pattern: '/(.*)', methods: ['GET'], handler: 'catch-all' },
      { pattern: '/hello', methods: ['GET'], handler: 'hello' },
    ])
    expect(table.match('GET', '/hello')).toEqual({ kind: 'route', handler: 'catch-all', params: ['hello'] })
  })
})
