import { describe, expect, it } from 'vitest'
import { isNotModified } from '../../servers/app/not-modified.js'

const etag = '"1a-abcDEF"'
const modified = Date.UTC(2024, 0, 15, 12, 30, 45, 678) // Mon, 15 Jan 2024 12:30:45.678 GMT
const now = Date.UTC(2024, 5, 1)
const httpDate = (ms: number): string => new Date(ms).toUTCString()

describe('isNotModified', () => {
  it('is false without validators', () => {
    expect(isNotModified(undefined, undefined, etag, modified, now)).toBe(false)
  })

  it('matches our ETag exactly', () => {
    expect(isNotModified(etag, undefined, etag, modified, now)).toBe(true)
  })

  it('matches a weak form of our ETag (If-None-Match uses weak comparison)', () => {
    expect(isNotModified(`W/${etag}`, undefined, etag, modified, now)).toBe(true)
  })

  it('matches our ETag anywhere in a list', () => {
    expect(isNotModified(`"other", W/"x",${etag}`, undefined, etag, modified, now)).toBe(true)
  })

  it('matches * for an existing file', () => {
    expect(isNotModified(' * ', undefined, etag, modified, now)).toBe(true)
  })

  it('does not match another ETag, nor ours without quotes', () => {
    expect(isNotModified('"1a-abcDEG"', undefined, etag, modified, now)).toBe(false)
    expect(isNotModified('1a-abcDEF', undefined, etag, modified, now)).toBe(false)
  })

  it('lets If-None-Match take precedence: a non-matching tag wins over a fresh date', () => {
    expect(isNotModified('"stale"', httpDate(now), etag, modified, now)).toBe(false)
  })

  it('is true when If-Modified-Since equals the Last-Modified second', () => {
    expect(isNotModified(undefined, httpDate(modified), etag, modified, now)).toBe(true)
  })

  it('compares whole seconds: a date in the same second as the sub-second mtime counts as not modified', () => {
    expect(isNotModified(undefined, 'Mon, 15 Jan 2024 12:30:45 GMT', etag, modified, now)).toBe(true)
  })

  it('is false when the file changed after the given date', () => {
    expect(isNotModified(undefined, 'Mon, 15 Jan 2024 12:30:44 GMT', etag, modified, now)).toBe(false)
  })

  it('is true for a later date', () => {
    expect(isNotModified(undefined, 'Tue, 16 Jan 2024 00:00:00 GMT', etag, modified, now)).toBe(true)
  })

  it('accepts the obsolete RFC 850 date form', () => {
    expect(isNotModified(undefined, 'Tuesday, 16-Jan-24 00:00:00 GMT', etag, modified, now)).toBe(true)
  })

  it('ignores a value that is not a date', () => {
    expect(isNotModified(undefined, 'yesterday', etag, modified, now)).toBe(false)
  })

  it('ignores a date in the future', () => {
    expect(isNotModified(undefined, httpDate(now + 86_400_000), etag, modified, now)).toBe(false)
  })
})
