// Valid requests, each fed whole, byte by byte, and followed by more bytes: the start of a next
// request (kept buffered, then parsed) or, after a request that closes, anything (ignored).
import { describe, expect, it } from 'vitest'
import type { ParserOptions } from '../../servers/http/parser.js'
import { bytes, bytewise, cutAt, feed, whole, type PlainRequest } from './feed.js'

interface ValidCase {
  name: string
  raw: string
  options?: Partial<ParserOptions>
  expected: PlainRequest[]
}

function req(method: string, target: string, headers: Array<[string, string]>, extra: Partial<PlainRequest> = {}): PlainRequest {
  return { method, target, version: '1.1', headers, body: '', keepAlive: true, ...extra }
}

const H: [string, string] = ['host', 'a']
const LIMITS = { maxHeadBytes: 64, maxTargetBytes: 16, maxBodyBytes: 10, maxChunkExtBytes: 8, maxHeaders: 3 }

const CASES: ValidCase[] = [
  { name: 'a minimal GET', raw: 'GET / HTTP/1.1\r\nHost: a\r\n\r\n', expected: [req('GET', '/', [H])] },
  {
    name: 'a typical browser GET',
    raw: 'GET /stocks.html?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: Mozilla/5.0 (X11)\r\nAccept: text/html,*/*;q=0.8\r\nAccept-Encoding: gzip, br\r\nConnection: keep-alive\r\n\r\n',
    expected: [
      req('GET', '/stocks.html?x=1', [
        ['host', '127.0.0.1:8080'],
        ['user-agent', 'Mozilla/5.0 (X11)'],
        ['accept', 'text/html,*/*;q=0.8'],
        ['accept-encoding', 'gzip, br'],
        ['connection', 'keep-alive'],
      ]),
    ],
  },
  {
    name: 'header names in any case, lower-cased, unknown ones too',
    raw: 'GET / HTTP/1.1\r\nHOST: a\r\nX-Custom-Header: 1\r\ncOnTeNt-TyPe: text/plain\r\nx_under: 2\r\n\r\n',
    expected: [req('GET', '/', [['host', 'a'], ['x-custom-header', '1'], ['content-type', 'text/plain'], ['x_under', '2']])],
  },
  {
    name: 'values trimmed of spaces and tabs, inner whitespace and obs-text kept',
    raw: 'GET / HTTP/1.1\r\nHost:a\r\nX-A: \t a \t b \t \r\nX-B:\r\nX-C:   \r\nX-D: caf\xe9 \xff\r\n\r\n',
    expected: [req('GET', '/', [H, ['x-a', 'a \t b'], ['x-b', ''], ['x-c', ''], ['x-d', 'caf\xe9 \xff']])],
  },
  {
    name: 'repeated fields kept apart and in order',
    raw: 'GET / HTTP/1.1\r\nX-A: 1\r\nHost: a\r\nx-a: 2\r\nCookie: a=1\r\nCookie: b=2\r\n\r\n',
    expected: [req('GET', '/', [['x-a', '1'], H, ['x-a', '2'], ['cookie', 'a=1'], ['cookie', 'b=2']])],
  },
  {
    name: 'a Content-Length body',
    raw: 'POST /add/1.html HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello',
    expected: [req('POST', '/add/1.html', [H, ['content-length', '5']], { body: 'hello' })],
  },
  {
    name: 'a Content-Length of zero and one with leading zeros',
    raw: 'POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\nPOST / HTTP/1.1\r\nHost: a\r\nContent-Length: 003\r\n\r\nabc',
    expected: [req('POST', '/', [H, ['content-length', '0']]), req('POST', '/', [H, ['content-length', '003']], { body: 'abc' })],
  },
  {
    name: 'a body that holds CRLFs and bytes that look like a request',
    raw: 'PUT /x HTTP/1.1\r\nHost: a\r\nContent-Length: 21\r\n\r\n\r\nGET / HTTP/1.1\r\n\r\n\x00',
    expected: [req('PUT', '/x', [H, ['content-length', '21']], { body: '\r\nGET / HTTP/1.1\r\n\r\n\x00' })],
  },
  {
    name: 'a chunked body with extensions and trailers',
    raw:
      'POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n' +
      '3;name=value;flag\r\nabc\r\nA;q="quo\\"ted; \\\\";x\r\n0123456789\r\n001\r\nz\r\n0\r\nX-Trailer: t\r\nX-Other: u\r\n\r\n',
    expected: [req('POST', '/c', [H, ['transfer-encoding', 'chunked']], { body: 'abc0123456789z' })],
  },
  {
    name: 'a chunked body whose last chunk has leading zeros, extensions and no trailers',
    raw: 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n2\r\nhi\r\n000;end=1\r\n\r\n',
    expected: [req('POST', '/', [H, ['transfer-encoding', 'Chunked']], { body: 'hi' })],
  },
  {
    name: 'Transfer-Encoding with empty list elements',
    raw: 'POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: , chunked\r\n\r\n0\r\n\r\n',
    expected: [req('POST', '/', [H, ['transfer-encoding', ', chunked']])],
  },
  {
    name: 'HTTP/1.0 without Host, which closes after it',
    raw: 'GET / HTTP/1.0\r\n\r\n',
    expected: [req('GET', '/', [], { version: '1.0', keepAlive: false })],
  },
  {
    name: 'HTTP/1.0 with Connection: keep-alive, which stays open',
    raw: 'GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n',
    expected: [req('GET', '/', [['connection', 'Keep-Alive']], { version: '1.0' })],
  },
  {
    name: 'HTTP/1.0 keep-alive among other connection options',
    raw: 'GET / HTTP/1.0\r\nConnection: Upgrade ,\tkeep-alive\r\n\r\n',
    expected: [req('GET', '/', [['connection', 'Upgrade ,\tkeep-alive']], { version: '1.0' })],
  },
  {
    name: 'HTTP/1.0 with a chunked body, which closes after it',
    raw: 'POST / HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n',
    expected: [req('POST', '/', [['connection', 'keep-alive'], ['transfer-encoding', 'chunked']], { version: '1.0', body: 'x', keepAlive: false })],
  },
  {
    name: 'Connection: close',
    raw: 'GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n',
    expected: [req('GET', '/', [H, ['connection', 'close']], { keepAlive: false })],
  },
  {
    name: 'keep-alive and close together, where close wins (autocannon sends both)',
    raw: 'GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\nConnection: CLOSE\r\n\r\n',
    expected: [req('GET', '/', [H, ['connection', 'keep-alive'], ['connection', 'CLOSE']], { keepAlive: false })],
  },
  {
    name: 'close inside a connection-option list',
    raw: 'GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, close\r\n\r\n',
    expected: [req('GET', '/', [H, ['connection', 'keep-alive, close']], { keepAlive: false })],
  },
  {
    name: 'HTTP/1.2, read as HTTP/1.1 (RFC 9110 §2.5)',
    raw: 'GET / HTTP/1.2\r\nHost: a\r\n\r\n',
    expected: [req('GET', '/', [H])],
  },
  {
    name: 'empty lines before the request line, skipped',
    raw: '\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n',
    expected: [req('GET', '/', [H])],
  },
  {
    name: 'the asterisk, absolute and authority target forms; CONNECT closes after it',
    // What follows a CONNECT head is a tunnel's bytes, not HTTP (llhttp stops there too).
    raw: 'OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\nGET http://a/b?c HTTP/1.1\r\nHost: a\r\n\r\nCONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n',
    expected: [req('OPTIONS', '*', [H]), req('GET', 'http://a/b?c', [H]), req('CONNECT', 'a:443', [['host', 'a:443']], { keepAlive: false })],
  },
  {
    name: 'a target with visible ASCII that RFC 3986 would escape',
    raw: 'GET /a|b{c}"d"^`\\ HTTP/1.1\r\nHost: a\r\n\r\n',
    expected: [req('GET', '/a|b{c}"d"^`\\', [H])],
  },
  {
    name: 'any token as a method, case kept',
    raw: 'M-SEARCH * HTTP/1.1\r\nHost: a\r\n\r\nget / HTTP/1.1\r\nHost: a\r\n\r\nPATCH / HTTP/1.1\r\nHost: a\r\n\r\nDELETE / HTTP/1.1\r\nHost: a\r\n\r\nHEAD / HTTP/1.1\r\nHost: a\r\n\r\n',
    expected: [req('M-SEARCH', '*', [H]), req('get', '/', [H]), req('PATCH', '/', [H]), req('DELETE', '/', [H]), req('HEAD', '/', [H])],
  },
  {
    name: 'Host values: empty, IPv6 literal with port, percent-encoded, empty port',
    raw: 'GET / HTTP/1.1\r\nHost:\r\n\r\nGET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\nGET / HTTP/1.1\r\nHost: ex%41mple.com\r\n\r\nGET / HTTP/1.1\r\nHost: a:\r\n\r\n',
    expected: [req('GET', '/', [['host', '']]), req('GET', '/', [['host', '[::1]:8080']]), req('GET', '/', [['host', 'ex%41mple.com']]), req('GET', '/', [['host', 'a:']])],
  },
  {
    name: 'HTTP/1.1 without Host when requireHost is off',
    raw: 'GET / HTTP/1.1\r\n\r\n',
    options: { requireHost: false },
    expected: [req('GET', '/', [])],
  },
  {
    name: 'three pipelined requests of every framing',
    raw: 'GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nokPOST /3 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n',
    expected: [
      req('GET', '/1', [H]),
      req('POST', '/2', [H, ['content-length', '2']], { body: 'ok' }),
      req('POST', '/3', [H, ['transfer-encoding', 'chunked']], { body: 'ok' }),
    ],
  },
  {
    name: 'a head, target, header count, body and chunk extensions each exactly at their limit',
    // Head: 64 bytes exactly; target: 16; headers: 3; body: 10 in two chunks; extensions: 8.
    raw: 'GET /aaaaaaaaaaaaaaa HTTP/1.1\r\nHost: a\r\nX: 1\r\nX-Pad: 1234567\r\n\r\nPOST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;abc\r\n12345\r\n5;efg\r\n67890\r\n0\r\n\r\n',
    options: LIMITS,
    expected: [
      req('GET', '/aaaaaaaaaaaaaaa', [H, ['x', '1'], ['x-pad', '1234567']]),
      req('POST', '/', [H, ['transfer-encoding', 'chunked']], { body: '1234567890' }),
    ],
  },
]

const NEXT = 'GET /next HTTP/1.1\r\nHost: next\r\n\r\n'
const NEXT_START = 'GET /next HTTP/1.1\r\nHo'

describe('valid requests', () => {
  it('include a case at every limit (the limits case fits exactly)', () => {
    const raw = CASES.find((c) => c.options === LIMITS)!.raw
    expect(raw.indexOf('\r\n\r\n') + 4).toBe(LIMITS.maxHeadBytes)
  })

  for (const c of CASES) {
    describe(c.name, () => {
      const input = bytes(c.raw)
      const last = c.expected[c.expected.length - 1]!

      it('parses to the expected requests when fed whole', () => {
        expect(feed(whole(input), c.options)).toEqual({ requests: c.expected, buffered: 0 })
      })

      it('parses to the same requests when fed byte by byte', () => {
        expect(feed(bytewise(input), c.options)).toEqual({ requests: c.expected, buffered: 0 })
      })

      it('parses to the same requests when cut at every single offset', () => {
        for (let cut = 1; cut < input.length; cut++) {
          expect(feed(cutAt(input, [cut]), c.options), `cut at ${cut}`).toEqual({ requests: c.expected, buffered: 0 })
        }
      })

      if (last.keepAlive) {
        it('keeps the start of a following request buffered, then parses that request', () => {
          const start = feed(whole(bytes(c.raw + NEXT_START)), c.options)
          expect(start).toEqual({ requests: c.expected, buffered: NEXT_START.length })
          const next = { method: 'GET', target: '/next', version: '1.1', headers: [['host', 'next']], body: '', keepAlive: true }
          expect(feed(bytewise(bytes(c.raw + NEXT)), c.options)).toEqual({ requests: [...c.expected, next], buffered: 0 })
        })
      } else {
        it('ignores everything after the request that closes the connection', () => {
          for (const after of [NEXT, NEXT_START, '\x00garbage\r\n\r\n']) {
            expect(feed(whole(bytes(c.raw + after)), c.options)).toEqual({ requests: c.expected, buffered: 0 })
            expect(feed(bytewise(bytes(c.raw + after)), c.options)).toEqual({ requests: c.expected, buffered: 0 })
          }
        })
      }
    })
  }
})
