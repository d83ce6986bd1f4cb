import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AppError } from '../../servers/app/app-error.js'
import { decodePath } from '../../servers/app/decode-path.js'

function rejection(raw: string): AppError {
  try {
    decodePath(raw)
  } catch (error) {
    expect(error).toBeInstanceOf(AppError)
    return error as AppError
  }
  throw new Error(`decodePath(${JSON.stringify(raw)}) did not throw`)
}

describe('decodePath', () => {
  it('returns a path without escapes unchanged (the same string, no copy)', () => {
    const raw = '/mine/you.html'
    expect(decodePath(raw)).toBe(raw)
  })

  it('decodes escapes in either hex case', () => {
    expect(decodePath('/a%20b%2fc%2Fd')).toBe('/a b/c/d')
  })

  it('decodes UTF-8 sequences into characters', () => {
    expect(decodePath('/caf%C3%A9/%E2%82%AC/%F0%9F%98%80')).toBe('/café/€/😀')
  })

  it('decodes exactly once, so %252e stays %2e and never becomes a dot', () => {
    expect(decodePath('/%252e%252e/x')).toBe('/%2e%2e/x')
  })

  it('decodes encoded dots and slashes, leaving the traversal check to see them', () => {
    expect(decodePath('/%2e%2e%2fetc%5cpasswd')).toBe('/../etc\\passwd')
  })

  it.each([
    ['a lone percent', '/100%'],
    ['a percent with one digit', '/a%4'],
    ['a percent with non-hex digits', '/a%zz/b'],
    ['a percent before the end', '/a%2'],
    ['a signed escape', '/a%+1'],
  ])('rejects %s with 400', (_name, raw) => {
    const error = rejection(raw)
    expect(error.status).toBe(400)
    expect(error.expose).toBe(true)
    expect(error.message).toMatch(/percent-escape/)
  })

  it('rejects %00 with 400 naming NUL', () => {
    expect(rejection('/index.html%00.png').message).toMatch(/NUL/)
  })

  it('rejects a raw NUL with 400', () => {
    expect(rejection('/a\0b').status).toBe(400)
  })

  it.each([
    ['an overlong dot (%C0%AE)', '/%C0%AE%C0%AE/etc/passwd'],
    ['an overlong slash (%C0%AF)', '/..%C0%AF..%C0%AFetc'],
    ['a three-byte overlong dot (%E0%80%AE)', '/%E0%80%AE'],
    ['a UTF-16 surrogate (%ED%A0%80)', '/%ED%A0%80'],
    ['a truncated sequence (%C3)', '/caf%C3'],
    ['a lone continuation byte (%80)', '/%80'],
    ['a code point past U+10FFFF (%F4%90%80%80)', '/%F4%90%80%80'],
    ['a Latin-1 byte that is not UTF-8 (%E9)', '/caf%E9'],
  ])('rejects %s as invalid UTF-8 with 400', (_name, raw) => {
    const error = rejection(raw)
    expect(error.status).toBe(400)
    expect(error.message).toMatch(/UTF-8/)
  })

  it.each([
    ['a space', '/a b'],
    ['a tab', '/a\tb'],
    ['DEL', '/a\x7fb'],
    ['a raw non-ASCII character', '/café'],
    ['a fragment', '/page#top'],
  ])('rejects %s in the raw path with 400', (_name, raw) => {
    expect(rejection(raw).status).toBe(400)
  })

  it('round-trips any string without NUL through encodeURIComponent per segment', () => {
    const segment = fc.string({ unit: 'grapheme', maxLength: 12 }).filter((s) => !s.includes('\0'))
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 4 }), (segments) => {
        const raw = `/${segments.map(encodeURIComponent).join('/')}`
        expect(decodePath(raw)).toBe(`/${segments.join('/')}`)
      }),
    )
  })
})
