// The response writer: one buffer per response with the status line, Date, Server, Content-Type,
// Content-Length and Connection the rules ask for, the app's own framing headers dropped.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { errorResponse, httpDate, reasonPhrase, SEPARATE_BODY_BYTES, serializeResponse, serializeResponseParts, type ResponseOptions } from '../../servers/http/response.js'

interface Written {
  statusLine: string
  headers: Array<[string, string]>
  body: Buffer
}

/** Split written bytes into status line, headers (names as written) and body. */
function read(out: Buffer): Written {
  const end = out.indexOf('\r\n\r\n')
  const [statusLine, ...lines] = out.subarray(0, end).toString('latin1').split('\r\n')
  const headers = lines.map((line): [string, string] => {
    const colon = line.indexOf(': ')
    return [line.slice(0, colon), line.slice(colon + 2)]
  })
  return { statusLine: statusLine!, headers, body: out.subarray(end + 4) }
}

function names(written: Written): string[] {
  return written.headers.map(([name]) => name.toLowerCase())
}

function header(written: Written, name: string): string | undefined {
  return written.headers.find(([n]) => n.toLowerCase() === name)?.[1]
}

const KEEP: ResponseOptions = { head: false, keepAlive: true }
const hello = { status: 200, reason: 'OK', headers: [['Content-Type', 'text/plain; charset=utf-8']] as Array<[string, string]>, body: Buffer.from('Hello, World!') }

describe('serializeResponse', () => {
  it('writes the status line, Date, Server, the app headers, Content-Length and Connection, then the body', () => {
    const out = read(serializeResponse(hello, KEEP))
    expect(out.statusLine).toBe('HTTP/1.1 200 OK')
    expect(names(out)).toEqual(['date', 'content-type', 'server', 'content-length', 'connection'])
    expect(header(out, 'content-type')).toBe('text/plain; charset=utf-8')
    expect(header(out, 'server')).toBe('httpmodels')
    expect(header(out, 'content-length')).toBe('13')
    expect(header(out, 'connection')).toBe('keep-alive')
    expect(out.body.toString()).toBe('Hello, World!')
  })

  it('returns one Buffer holding head and body together', () => {
    const out = serializeResponse(hello, KEEP)
    expect(Buffer.isBuffer(out)).toBe(true)
    expect(out.toString('latin1').endsWith('\r\n\r\nHello, World!')).toBe(true)
  })

  it('sends a Date in IMF-fixdate form for the current second', () => {
    const before = Math.floor(Date.now() / 1000) * 1000
    const date = header(read(serializeResponse(hello, KEEP)), 'date')!
    expect(date).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/)
    expect(Date.parse(date)).toBeGreaterThanOrEqual(before)
    expect(Date.parse(date)).toBeLessThanOrEqual(Date.now())
  })

  it('announces Connection: close when the connection will not be kept', () => {
    expect(header(read(serializeResponse(hello, { head: false, keepAlive: false })), 'connection')).toBe('close')
  })

  it('adds application/octet-stream when the app gave no Content-Type', () => {
    const out = read(serializeResponse({ status: 200, reason: 'OK', headers: [], body: Buffer.from([1, 2]) }, KEEP))
    expect(header(out, 'content-type')).toBe('application/octet-stream')
  })

  it("keeps the app's Server and Content-Type instead of adding its own, whatever their case", () => {
    const out = read(serializeResponse({ ...hello, headers: [['SERVER', 'mine'], ['content-TYPE', 'text/html']] }, KEEP))
    expect(out.headers.filter(([n]) => n.toLowerCase() === 'server')).toEqual([['SERVER', 'mine']])
    expect(out.headers.filter(([n]) => n.toLowerCase() === 'content-type')).toEqual([['content-TYPE', 'text/html']])
  })

  it("drops the app's Content-Length, Transfer-Encoding, Connection, Keep-Alive and Date for its own", () => {
    const app: Array<[string, string]> = [
      ['Content-Length', '999'], ['transfer-encoding', 'chunked'], ['Connection', 'close'], ['Keep-Alive', 'timeout=1'], ['DATE', 'yesterday'], ['X-Kept', 'yes'],
    ]
    const out = read(serializeResponse({ ...hello, headers: app }, KEEP))
    expect(names(out)).toEqual(['date', 'x-kept', 'server', 'content-type', 'content-length', 'connection'])
    expect(header(out, 'content-length')).toBe('13')
    expect(header(out, 'connection')).toBe('keep-alive')
    expect(header(out, 'date')).not.toBe('yesterday')
  })

  it('keeps repeated app headers in order', () => {
    const out = read(serializeResponse({ ...hello, headers: [['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2']] }, KEEP))
    expect(out.headers.filter(([n]) => n === 'Set-Cookie').map(([, v]) => v)).toEqual(['a=1', 'b=2'])
  })

  it('answers HEAD with the headers a GET gets, Content-Length included, and no body', () => {
    const get = serializeResponse(hello, KEEP)
    const head = serializeResponse(hello, { head: true, keepAlive: true })
    expect(read(head).headers).toEqual(read(get).headers)
    expect(read(head).body.length).toBe(0)
    expect(head.length).toBe(get.length - hello.body.length)
  })

  it('sends neither Content-Length, a default Content-Type nor a body with 204 and 304', () => {
    for (const [status, reason] of [[204, 'No Content'], [304, 'Not Modified']] as const) {
      const out = read(serializeResponse({ status, reason, headers: [['ETag', '"x"']], body: Buffer.from('ignored') }, KEEP))
      expect(out.statusLine).toBe(`HTTP/1.1 ${status} ${reason}`)
      expect(names(out)).toEqual(['date', 'etag', 'server', 'connection'])
      expect(out.body.length).toBe(0)
    }
  })

  it('writes a reason phrase of the app’s choosing, and an empty one for an unknown code', () => {
    expect(read(serializeResponse({ ...hello, reason: 'Fine Thanks' }, KEEP)).statusLine).toBe('HTTP/1.1 200 Fine Thanks')
    expect(read(serializeResponse({ ...hello, status: 599, reason: '' }, KEEP)).statusLine).toBe('HTTP/1.1 599 ')
  })

  it('writes header values with obs-text as single latin1 bytes', () => {
    const out = serializeResponse({ ...hello, headers: [['X-Name', 'caf\xe9']] }, KEEP)
    expect(out.includes(Buffer.from('X-Name: caf\xe9\r\n', 'latin1'))).toBe(true)
  })

  it('writes empty, small, medium and large bodies byte for byte, and responses never share bytes', () => {
    const sizes = [0, 1, 4000, 5000, 70_000, 200_000, 5000]
    const outs = sizes.map((size, i) => {
      const body = Buffer.alloc(size, 65 + i)
      return { body, out: serializeResponse({ status: 200, reason: 'OK', headers: [], body }, KEEP) }
    })
    for (const { body, out } of outs) {
      const written = read(out)
      expect(written.body.equals(body)).toBe(true)
      expect(header(written, 'content-length')).toBe(String(body.length))
    }
  })
})

describe('serializeResponse with a frozen header list (its header lines are built once)', () => {
  const frozenList = (pairs: Array<[string, string]>, deep = true): Array<[string, string]> => {
    if (deep) for (const pair of pairs) Object.freeze(pair)
    return Object.freeze(pairs) as Array<[string, string]>
  }

  it('writes the same bytes as for an equal unfrozen list, every time', () => {
    const headers = frozenList([['Content-Type', 'text/html'], ['ETag', '"1"'], ['Date', 'dropped']])
    const plain = read(serializeResponse({ ...hello, headers: [['Content-Type', 'text/html'], ['ETag', '"1"']] }, KEEP))
    for (let i = 0; i < 3; i++) expect(read(serializeResponse({ ...hello, headers }, KEEP))).toEqual(plain)
  })

  it('keeps the body-less form apart: a 304 after a 200 with the same list gets no default Content-Type or Content-Length', () => {
    const headers = frozenList([['ETag', '"1"']])
    const ok = read(serializeResponse({ ...hello, headers }, KEEP))
    const notModified = read(serializeResponse({ status: 304, reason: 'Not Modified', headers, body: Buffer.alloc(0) }, KEEP))
    expect(header(ok, 'content-type')).toBe('application/octet-stream')
    expect(names(notModified)).toEqual(['date', 'etag', 'server', 'connection'])
  })

  it('still reads the pairs of a frozen list whose pairs are not frozen (they may change)', () => {
    const pair: [string, string] = ['X-Version', '1']
    const headers = frozenList([pair], false)
    expect(header(read(serializeResponse({ ...hello, headers }, KEEP)), 'x-version')).toBe('1')
    pair[1] = '2'
    expect(header(read(serializeResponse({ ...hello, headers }, KEEP)), 'x-version')).toBe('2')
  })

  it('repeats a head only for the same status, reason and second: a new status or a new second is written anew', () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 1, 12, 0, 0, 100), toFake: ['Date'] })
    try {
      const headers = frozenList([['Content-Type', 'text/plain']])
      const first = read(serializeResponse({ ...hello, headers }, KEEP))
      vi.setSystemTime(Date.UTC(2026, 11, 1, 12, 0, 1, 0))
      const later = read(serializeResponse({ ...hello, headers }, KEEP))
      const odd = read(serializeResponse({ ...hello, status: 299, headers }, KEEP))
      const custom = read(serializeResponse({ ...hello, status: 299, reason: 'Fine', headers }, KEEP))
      expect(header(first, 'date')).toBe('Tue, 01 Dec 2026 12:00:00 GMT')
      expect(header(later, 'date')).toBe('Tue, 01 Dec 2026 12:00:01 GMT')
      expect([later.statusLine, odd.statusLine, custom.statusLine]).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 299 OK', 'HTTP/1.1 299 Fine'])
    } finally {
      vi.useRealTimers()
    }
  })

  it('still gives each response its own Content-Length and Connection', () => {
    const headers = frozenList([['Content-Type', 'text/plain']])
    const short = read(serializeResponse({ ...hello, headers, body: Buffer.from('ab') }, { head: false, keepAlive: false }))
    const long = read(serializeResponse({ ...hello, headers, body: Buffer.from('abcdef') }, KEEP))
    expect([header(short, 'content-length'), header(short, 'connection')]).toEqual(['2', 'close'])
    expect([header(long, 'content-length'), header(long, 'connection')]).toEqual(['6', 'keep-alive'])
  })
})

describe('httpDate', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('formats IMF-fixdate', () => {
    expect(httpDate(0)).toBe('Thu, 01 Jan 1970 00:00:00 GMT')
    expect(httpDate(Date.UTC(1994, 10, 6, 8, 49, 37, 999))).toBe('Sun, 06 Nov 1994 08:49:37 GMT')
  })

  it('formats a date at most once per second', () => {
    const format = vi.spyOn(Date.prototype, 'toUTCString')
    const second = Date.UTC(2030, 0, 2, 3, 4, 5)
    for (let ms = 0; ms < 1000; ms += 7) expect(httpDate(second + ms)).toBe('Wed, 02 Jan 2030 03:04:05 GMT')
    expect(format).toHaveBeenCalledTimes(1)
    expect(httpDate(second + 1000)).toBe('Wed, 02 Jan 2030 03:04:06 GMT')
    expect(format).toHaveBeenCalledTimes(2)
  })
})

describe('errorResponse', () => {
  it('is a small text/plain response naming the status and the detail', () => {
    const response = errorResponse(431, 'request head over the 16384-byte limit')
    expect(response).toMatchObject({ status: 431, reason: 'Request Header Fields Too Large', headers: [['Content-Type', 'text/plain; charset=utf-8']] })
    expect(Buffer.from(response.body).toString()).toBe('431 Request Header Fields Too Large\nrequest head over the 16384-byte limit\n')
  })

  it('names the status alone when there is no detail', () => {
    expect(Buffer.from(errorResponse(408).body).toString()).toBe('408 Request Timeout\n')
  })

  it('serializes to a complete response with a matching Content-Length', () => {
    const out = read(serializeResponse(errorResponse(400, 'bare LF'), { head: false, keepAlive: false }))
    expect(out.statusLine).toBe('HTTP/1.1 400 Bad Request')
    expect(Number(header(out, 'content-length'))).toBe(out.body.length)
    expect(header(out, 'connection')).toBe('close')
  })
})

describe('reasonPhrase', () => {
  it('gives the standard phrase, or an empty one for an unknown code', () => {
    expect([reasonPhrase(200), reasonPhrase(413), reasonPhrase(505), reasonPhrase(299)]).toEqual(['OK', 'Payload Too Large', 'HTTP Version Not Supported', ''])
  })
})

describe('serializeResponseParts', () => {
  const res = (size: number) => ({ status: 200, reason: 'OK', headers: [['Content-Type', 'application/octet-stream']] as Array<[string, string]>, body: Buffer.alloc(size, 7) })

  it('gives one buffer, the same bytes as serializeResponse, for a body up to the threshold', () => {
    const r = res(SEPARATE_BODY_BYTES)
    const parts = serializeResponseParts(r, { head: false, keepAlive: true })
    expect(parts).toHaveLength(1)
    expect(parts[0]!.equals(serializeResponse(r, { head: false, keepAlive: true }))).toBe(true)
  })

  it('gives the head and the body itself, uncopied, for a larger body, together the same bytes', () => {
    const r = res(SEPARATE_BODY_BYTES + 1)
    const parts = serializeResponseParts(r, { head: false, keepAlive: false })
    expect(parts).toHaveLength(2)
    expect(parts[1]!.buffer).toBe(r.body.buffer)
    expect(Buffer.concat(parts).equals(serializeResponse(r, { head: false, keepAlive: false }))).toBe(true)
  })

  it('keeps HEAD to one buffer with the full Content-Length and no body', () => {
    const r = res(SEPARATE_BODY_BYTES * 2)
    const parts = serializeResponseParts(r, { head: true, keepAlive: true })
    expect(parts).toHaveLength(1)
    expect(parts[0]!.toString('latin1')).toContain(`Content-Length: ${SEPARATE_BODY_BYTES * 2}\r\n`)
    expect(parts[0]!.toString('latin1').endsWith('\r\n\r\n')).toBe(true)
  })
})
