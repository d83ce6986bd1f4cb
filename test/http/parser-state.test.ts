// The parser's state between pushes: what `buffered` reports, what happens after a close request,
// after an error and at end(), who owns the body, and how options are checked.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { HttpError, RequestParser, resolveLimits } from '../../servers/http/parser.js'
import { bytes, feed, plain, whole } from './feed.js'

const GET = 'GET / HTTP/1.1\r\nHost: a\r\n\r\n'
const CLOSE = 'GET /close HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'

function thrown(fn: () => unknown): HttpError {
  try {
    fn()
  } catch (error) {
    if (error instanceof HttpError) return error
    throw error
  }
  throw new Error('expected an HttpError')
}

describe('buffered', () => {
  it('is 0 before anything arrives and between requests', () => {
    const parser = new RequestParser()
    expect(parser.buffered).toBe(0)
    parser.push(bytes(GET + GET))
    expect(parser.buffered).toBe(0)
  })

  it('counts the bytes of a head that has not completed', () => {
    const parser = new RequestParser()
    parser.push(bytes('GET / HTTP/1.1\r\nHo'))
    expect(parser.buffered).toBe(18)
    parser.push(bytes('st: a\r\n'))
    expect(parser.buffered).toBe(25)
    expect(parser.push(bytes('\r\n'))).toHaveLength(1)
    expect(parser.buffered).toBe(0)
  })

  it('counts head and body bytes while a body is arriving', () => {
    const parser = new RequestParser()
    const head = 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n'
    parser.push(bytes(`${head}12345`))
    expect(parser.buffered).toBe(head.length + 5)
    expect(parser.push(bytes('67890'))).toHaveLength(1)
    expect(parser.buffered).toBe(0)
  })

  it('counts a chunked body in progress, chunk lines included', () => {
    const parser = new RequestParser()
    const head = 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n'
    parser.push(bytes(`${head}3\r\nab`))
    expect(parser.buffered).toBe(head.length + 5)
  })

  it('does not count empty lines skipped before a request line, but counts a lone CR', () => {
    const parser = new RequestParser()
    parser.push(bytes('\r\n\r\n'))
    expect(parser.buffered).toBe(0)
    parser.push(bytes('\r'))
    expect(parser.buffered).toBe(1)
  })
})

describe('after a request that closes the connection', () => {
  it('returns that request, then nothing, ignoring any bytes', () => {
    const parser = new RequestParser()
    const requests = parser.push(bytes(GET + CLOSE + GET))
    expect(requests.map((r) => [r.target, r.keepAlive])).toEqual([['/', true], ['/close', false]])
    expect(parser.push(bytes(GET))).toEqual([])
    expect(parser.push(bytes('\x00 not even HTTP'))).toEqual([])
    expect(parser.buffered).toBe(0)
  })

  it('lets end() pass quietly', () => {
    const parser = new RequestParser()
    parser.push(bytes(`${CLOSE}GET / HT`))
    expect(() => parser.end()).not.toThrow()
  })
})

describe('after an error', () => {
  it('carries the requests the same push completed before the bad bytes', () => {
    const error = thrown(() => new RequestParser().push(bytes(`${GET}${GET}BAD\x01 / HTTP/1.1\r\n\r\n`)))
    expect(error.status).toBe(400)
    expect(error.requests.map(plain)).toEqual([feed(whole(bytes(GET))).requests[0], feed(whole(bytes(GET))).requests[0]])
  })

  it('stays failed: push() and end() throw the same status and message again, with no requests', () => {
    const parser = new RequestParser()
    const first = thrown(() => parser.push(bytes(`${GET}GET / HTTP/2.0\r\n\r\n`)))
    expect(first.status).toBe(505)
    expect(first.requests).toHaveLength(1)
    for (const again of [thrown(() => parser.push(bytes(GET))), thrown(() => parser.end())]) {
      expect(again.status).toBe(505)
      expect(again.message).toBe(first.message)
      expect(again.requests).toEqual([])
    }
    expect(parser.buffered).toBe(0)
  })
})

describe('end()', () => {
  it('is quiet between requests, and the parser then ignores further bytes', () => {
    const parser = new RequestParser()
    parser.push(bytes(GET))
    parser.end()
    expect(parser.push(bytes(GET))).toEqual([])
  })

  it('throws 400 when the peer closed in the middle of a head', () => {
    const parser = new RequestParser()
    parser.push(bytes('GET / HTTP/1.1\r\nHost'))
    expect(thrown(() => parser.end()).status).toBe(400)
  })

  it('throws 400 when the peer closed in the middle of a body', () => {
    const parser = new RequestParser()
    parser.push(bytes('POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nab'))
    expect(thrown(() => parser.end()).status).toBe(400)
  })

  it('throws 400 when the peer closed before the last chunk', () => {
    expect(feed(whole(bytes('POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n')), undefined, true).error?.status).toBe(400)
  })
})

describe('input buffers', () => {
  it('takes an empty chunk as no news, mid-line or between requests', () => {
    const parser = new RequestParser()
    expect(parser.push(new Uint8Array(0))).toEqual([])
    parser.push(bytes('GET / HTTP/1.1\r\nHo'))
    expect(parser.push(new Uint8Array(0))).toEqual([])
    expect(parser.buffered).toBe(18)
    expect(parser.push(bytes('st: a\r\n\r\n'))).toHaveLength(1)
  })

  it('accepts a plain Uint8Array as well as a Buffer', () => {
    const input = new Uint8Array(bytes(`POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok`))
    const [request] = new RequestParser().push(input)
    expect(Buffer.from(request!.body).toString()).toBe('ok')
  })

  it('hands out bodies that stay intact when the caller reuses its read buffer', () => {
    const parser = new RequestParser()
    const readBuffer = Buffer.alloc(64)
    const first = 'POST /1 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc'
    readBuffer.write(first, 'latin1')
    const [one] = parser.push(readBuffer.subarray(0, first.length))
    // Same memory, new contents: a blocking model reading into one fixed buffer does this.
    const second = 'POST /2 HTTP/1.1\r\nHost: b\r\nContent-Length: 3\r\n\r\nxyz'
    readBuffer.fill(0).write(second, 'latin1')
    const [two] = parser.push(readBuffer.subarray(0, second.length))
    expect([one!.target, Buffer.from(one!.body).toString()]).toEqual(['/1', 'abc'])
    expect([two!.target, two!.headers[0], Buffer.from(two!.body).toString()]).toEqual(['/2', ['host', 'b'], 'xyz'])
  })

  it('reads the same Buffer object refilled with a different request', () => {
    const parser = new RequestParser()
    const buffer = Buffer.from('GET /aaaa HTTP/1.1\r\nHost: a\r\n\r\n')
    expect(parser.push(buffer)[0]!.target).toBe('/aaaa')
    buffer.write('GET /bbbb HTTP/1.1\r\nHost: b\r\n\r\n')
    expect(parser.push(buffer)[0]!.target).toBe('/bbbb')
  })

  it('assembles a 1 MiB body (the default limit) from 1000 chunks', () => {
    const body = Buffer.alloc(1024 * 1024)
    for (let i = 0; i < body.length; i++) body[i] = (i * 7) & 0xff
    const parser = new RequestParser()
    const requests = [...parser.push(bytes(`PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: ${body.length}\r\n\r\n`))]
    for (let i = 0; i < body.length; i += 1049) requests.push(...parser.push(body.subarray(i, i + 1049)))
    expect(requests).toHaveLength(1)
    expect(Buffer.compare(Buffer.from(requests[0]!.body), body)).toBe(0)
  })
})

describe('options', () => {
  it('fill in the defaults for the limits not given', () => {
    expect(resolveLimits({ maxBodyBytes: 10 })).toMatchObject({ maxBodyBytes: 10, maxHeadBytes: 16 * 1024, requireHost: true })
  })

  it('are resolved once per options object', () => {
    const options = { maxHeaders: 5 }
    expect(resolveLimits(options)).toBe(resolveLimits(options))
  })

  it('refuse a limit that is not a positive integer, a non-boolean requireHost and unknown keys', () => {
    for (const bad of [{ maxHeadBytes: 0 }, { maxBodyBytes: 1.5 }, { maxHeaders: -1 }, { maxTargetBytes: '8' }, { requireHost: 'yes' }, { maxHeadByte: 10 }]) {
      expect(() => new RequestParser(bad as never), JSON.stringify(bad)).toThrow(TypeError)
    }
  })
})

describe('the servers/http folder', () => {
  it('is sans-IO: no module imports sockets, files, processes or clusters', () => {
    const dir = join(import.meta.dirname, '../../servers/http')
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(join(dir, file), 'utf8')
      expect(source, file).not.toMatch(/from 'node:(net|fs|fs\/promises|cluster|child_process|dgram|tls|http2|https)'/)
    }
  })
})
