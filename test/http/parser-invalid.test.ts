// Invalid requests: every rule of DESIGN.md "Shared HTTP rules" with its exact status. Each case
// is fed whole, byte by byte, cut at every offset, and followed by a valid request: the verdict
// (status and message) must not depend on how the bytes arrived or on what came after them.
import { describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS, type ParserOptions } from '../../servers/http/parser.js'
import { bytes, bytewise, cutAt, feed, whole } from './feed.js'

interface InvalidCase {
  name: string
  raw: string
  status: number
  options?: Partial<ParserOptions>
}

const H = 'Host: a\r\n'
const GET = (headers: string): string => `GET / HTTP/1.1\r\n${headers}\r\n`
const POST = (headers: string, body: string): string => `POST / HTTP/1.1\r\n${H}${headers}\r\n${body}`
const CHUNKED = (body: string): string => POST('Transfer-Encoding: chunked\r\n', body)
const SMALL = { maxHeadBytes: 64, maxTargetBytes: 16, maxBodyBytes: 10, maxChunkExtBytes: 8, maxHeaders: 3 }
const KiB = 1024

const CASES: InvalidCase[] = [
  // Line ends.
  { name: 'a bare LF ending the request line', raw: 'GET / HTTP/1.1\nHost: a\r\n\r\n', status: 400 },
  { name: 'a bare LF ending a header line', raw: GET('Host: a\n'), status: 400 },
  { name: 'bare LFs ending every line', raw: 'GET / HTTP/1.1\nHost: a\n\n', status: 400 },
  { name: 'a bare LF ending the head', raw: 'GET / HTTP/1.1\r\nHost: a\r\n\n', status: 400 },
  { name: 'a bare LF where a request line should start', raw: '\nGET / HTTP/1.1\r\nHost: a\r\n\r\n', status: 400 },
  { name: 'a bare CR inside a header value', raw: GET(`${H}X-A: a\rb\r\n`), status: 400 },
  { name: 'a bare CR inside a header name', raw: GET(`${H}X\rA: b\r\n`), status: 400 },
  { name: 'a bare CR inside the request line', raw: `GET /\r HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: 'a bare CR ending the request line', raw: `GET / HTTP/1.1\r${H}\r\n`, status: 400 },
  { name: 'a CR CR LF line end', raw: GET(`${H}X-A: b\r\r\n`), status: 400 },
  // Field lines.
  { name: 'whitespace before the colon', raw: GET('Host : a\r\n'), status: 400 },
  { name: 'a tab before the colon', raw: GET(`${H}X-A\t: b\r\n`), status: 400 },
  { name: 'whitespace before the first header', raw: `GET / HTTP/1.1\r\n X-A: a\r\n${H}\r\n`, status: 400 },
  { name: 'an obs-fold continuation line', raw: GET(`${H}X-A: a\r\n b\r\n`), status: 400 },
  { name: 'an obs-fold continuation with a tab', raw: GET(`${H}X-A: a\r\n\tb\r\n`), status: 400 },
  { name: 'a control character in a header value', raw: GET(`${H}X-A: a\x01b\r\n`), status: 400 },
  { name: 'NUL in a header value', raw: GET(`${H}X-A: a\x00b\r\n`), status: 400 },
  { name: 'DEL in a header value', raw: GET(`${H}X-A: a\x7fb\r\n`), status: 400 },
  { name: 'DEL in a header name', raw: GET(`${H}X\x7fA: a\r\n`), status: 400 },
  { name: 'a header name that is not a token', raw: GET(`${H}X(A): a\r\n`), status: 400 },
  { name: 'a header name with obs-text', raw: GET(`${H}X\xe9: a\r\n`), status: 400 },
  { name: 'a header line without a name', raw: GET(`${H}: a\r\n`), status: 400 },
  { name: 'a header line without a colon', raw: GET(`${H}X-A\r\n`), status: 400 },
  // Content-Length and Transfer-Encoding.
  { name: 'both Content-Length and Transfer-Encoding', raw: POST('Content-Length: 3\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n'), status: 400 },
  { name: 'Transfer-Encoding before Content-Length', raw: POST('Transfer-Encoding: chunked\r\nContent-Length: 3\r\n', '0\r\n\r\n'), status: 400 },
  { name: 'a Content-Length with a plus sign', raw: POST('Content-Length: +3\r\n', 'abc'), status: 400 },
  { name: 'a negative Content-Length', raw: POST('Content-Length: -3\r\n', 'abc'), status: 400 },
  { name: 'a hexadecimal Content-Length', raw: POST('Content-Length: 0x3\r\n', 'abc'), status: 400 },
  { name: 'a Content-Length with trailing letters', raw: POST('Content-Length: 3a\r\n', 'abc'), status: 400 },
  { name: 'an empty Content-Length', raw: POST('Content-Length: \r\n', 'abc'), status: 400 },
  { name: 'a Content-Length list of equal values', raw: POST('Content-Length: 3, 3\r\n', 'abc'), status: 400 },
  { name: 'a Content-Length repeated with equal values', raw: POST('Content-Length: 3\r\nContent-Length: 3\r\n', 'abc'), status: 400 },
  { name: 'a Content-Length repeated with different values', raw: POST('Content-Length: 3\r\nContent-Length: 4\r\n', 'abcd'), status: 400 },
  { name: 'Transfer-Encoding where chunked is not final', raw: POST('Transfer-Encoding: chunked, gzip\r\n', '0\r\n\r\n'), status: 400 },
  { name: 'Transfer-Encoding without chunked', raw: POST('Transfer-Encoding: gzip\r\n', 'abc'), status: 400 },
  { name: 'chunked applied twice in one line', raw: POST('Transfer-Encoding: chunked, chunked\r\n', '0\r\n\r\n'), status: 400 },
  { name: 'chunked applied twice over two lines', raw: POST('Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n'), status: 400 },
  { name: 'chunked with parameters', raw: POST('Transfer-Encoding: chunked;q=1\r\n', '0\r\n\r\n'), status: 400 },
  { name: 'a transfer coding that is not a token', raw: POST('Transfer-Encoding: g(zip), chunked\r\n', '0\r\n\r\n'), status: 400 },
  { name: 'an empty Transfer-Encoding', raw: POST('Transfer-Encoding: \r\n', ''), status: 400 },
  { name: 'an empty list element after chunked', raw: POST('Transfer-Encoding: chunked,\r\n', '0\r\n\r\n'), status: 400 },
  { name: 'an empty Transfer-Encoding line after a chunked one', raw: POST('Transfer-Encoding: chunked\r\nTransfer-Encoding: \r\n', '0\r\n\r\n'), status: 400 },
  { name: 'a tab after a Content-Length (llhttp refuses it)', raw: POST('Content-Length: 3\t\r\n', 'abc'), status: 400 },
  { name: 'a tab before a Content-Length', raw: POST('Content-Length:\t3\r\n', 'abc'), status: 400 },
  { name: 'a tab after chunked (llhttp refuses it)', raw: POST('Transfer-Encoding: chunked\t\r\n', '0\r\n\r\n'), status: 400 },
  { name: 'a tab inside a Transfer-Encoding list', raw: POST('Transfer-Encoding: gzip,\tchunked\r\n', '0\r\n\r\n'), status: 400 },
  { name: 'a transfer coding we do not implement (gzip)', raw: POST('Transfer-Encoding: gzip, chunked\r\n', '0\r\n\r\n'), status: 501 },
  { name: 'a transfer coding we do not implement (deflate, over two lines)', raw: POST('Transfer-Encoding: deflate\r\nTransfer-Encoding: chunked\r\n', '0\r\n\r\n'), status: 501 },
  // Chunked bodies.
  { name: 'a chunk size with 0x', raw: CHUNKED('0x3\r\nabc\r\n0\r\n\r\n'), status: 400 },
  { name: 'a negative chunk size', raw: CHUNKED('-3\r\nabc\r\n0\r\n\r\n'), status: 400 },
  { name: 'a chunk size with a plus sign', raw: CHUNKED('+3\r\nabc\r\n0\r\n\r\n'), status: 400 },
  { name: 'a chunk size with a leading space', raw: CHUNKED(' 3\r\nabc\r\n0\r\n\r\n'), status: 400 },
  { name: 'a chunk size with a trailing space', raw: CHUNKED('3 \r\nabc\r\n0\r\n\r\n'), status: 400 },
  { name: 'an empty chunk-size line', raw: CHUNKED('\r\nabc\r\n0\r\n\r\n'), status: 400 },
  { name: 'a chunk size that is not hex', raw: CHUNKED('g\r\nabc\r\n0\r\n\r\n'), status: 400 },
  { name: 'a chunk size that overflows', raw: CHUNKED('ffffffffffffffffffff\r\nabc\r\n0\r\n\r\n'), status: 400 },
  { name: 'a chunk size of 17 digits, even as leading zeros', raw: CHUNKED('00000000000000003\r\nabc\r\n0\r\n\r\n'), status: 400 },
  { name: 'a chunk-size line ended by a bare LF', raw: CHUNKED('3\nabc\r\n0\r\n\r\n'), status: 400 },
  { name: 'chunk data longer than its size', raw: CHUNKED('3\r\nabcd\r\n0\r\n\r\n'), status: 400 },
  { name: 'chunk data followed by a bare LF', raw: CHUNKED('3\r\nabc\n0\r\n\r\n'), status: 400 },
  { name: 'a chunk extension without a name', raw: CHUNKED('3;\r\nabc\r\n0\r\n\r\n'), status: 400 },
  { name: 'a chunk extension with an empty value', raw: CHUNKED('3;a=\r\nabc\r\n0\r\n\r\n'), status: 400 },
  { name: 'a chunk extension with a space inside the name', raw: CHUNKED('3;a b\r\nabc\r\n0\r\n\r\n'), status: 400 },
  { name: 'a chunk extension with an unterminated quoted value', raw: CHUNKED('3;a="b\r\nabc\r\n0\r\n\r\n'), status: 400 },
  { name: 'a chunk extension with a control character in a quoted value', raw: CHUNKED('3;a="\x01"\r\nabc\r\n0\r\n\r\n'), status: 400 },
  { name: 'a trailer line that is not a field', raw: CHUNKED('0\r\nnot a field\r\n\r\n'), status: 400 },
  { name: 'a Content-Length in the trailers', raw: CHUNKED('0\r\ncontent-length: 0\r\n\r\n'), status: 400 },
  { name: 'a Transfer-Encoding in the trailers', raw: CHUNKED('0\r\nTransfer-Encoding: chunked\r\n\r\n'), status: 400 },
  { name: 'whitespace after a chunk size (llhttp refuses it)', raw: CHUNKED('3 \r\nabc\r\n0\r\n\r\n'), status: 400 },
  { name: 'whitespace between a chunk size and its extension', raw: CHUNKED('3\t;a=b\r\nabc\r\n0\r\n\r\n'), status: 400 },
  { name: 'whitespace after the semicolon of a chunk extension', raw: CHUNKED('3; a\r\nabc\r\n0\r\n\r\n'), status: 400 },
  { name: 'whitespace around the equals sign of a chunk extension', raw: CHUNKED('3;a = b\r\nabc\r\n0\r\n\r\n'), status: 400 },
  { name: 'an obs-fold in the trailers', raw: CHUNKED('0\r\nX-A: a\r\n b\r\n\r\n'), status: 400 },
  // Host.
  { name: 'a missing Host in HTTP/1.1', raw: 'GET / HTTP/1.1\r\nX-A: a\r\n\r\n', status: 400 },
  { name: 'a repeated Host with equal values', raw: GET(`${H}${H}`), status: 400 },
  { name: 'a repeated Host in HTTP/1.0', raw: `GET / HTTP/1.0\r\n${H}Host: b\r\n\r\n`, status: 400 },
  { name: 'a Host with a space', raw: GET('Host: a b\r\n'), status: 400 },
  { name: 'a Host with userinfo', raw: GET('Host: user@a\r\n'), status: 400 },
  { name: 'a Host with a port that is not a number', raw: GET('Host: a:http\r\n'), status: 400 },
  { name: 'a Host with an unclosed IPv6 literal', raw: GET('Host: [::1\r\n'), status: 400 },
  { name: 'a Host with a bad percent-escape', raw: GET('Host: a%zz\r\n'), status: 400 },
  { name: 'an invalid Host in HTTP/1.0', raw: 'GET / HTTP/1.0\r\nHost: a/b\r\n\r\n', status: 400 },
  { name: 'a repeated Host even when Host is not required', raw: GET(`${H}${H}`), status: 400, options: { requireHost: false } },
  // The request line.
  { name: 'a method that is not a token', raw: `G(T / HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: 'PRI, the HTTP/2 preface, as a method of HTTP/1.1', raw: `PRI / HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: 'the HTTP/2 connection preface itself (its version first)', raw: 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', status: 505 },
  { name: 'a CONNECT with a Content-Length body', raw: `CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\nContent-Length: 3\r\n\r\nabc`, status: 400 },
  { name: 'a CONNECT with a chunked body', raw: `CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, status: 400 },
  { name: 'a method with obs-text', raw: `G\xc9T / HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: 'a request line starting with a space', raw: ` / HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: 'an HTTP/0.9 request line', raw: 'GET /\r\n\r\n', status: 400 },
  { name: 'a request line with a method only', raw: 'GET\r\n\r\n', status: 400 },
  { name: 'two spaces between method and target', raw: `GET  / HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: 'a tab between method and target', raw: `GET\t/ HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: 'a space inside the target', raw: `GET /a b HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: 'a trailing space after the version', raw: `GET / HTTP/1.1 \r\n${H}\r\n`, status: 400 },
  { name: 'a lower-case protocol name', raw: `GET / http/1.1\r\n${H}\r\n`, status: 400 },
  { name: 'a two-digit minor version', raw: `GET / HTTP/1.10\r\n${H}\r\n`, status: 400 },
  { name: 'a version without a minor number', raw: `GET / HTTP/1\r\n${H}\r\n`, status: 400 },
  { name: 'a version with a letter', raw: `GET / HTTP/1.x\r\n${H}\r\n`, status: 400 },
  { name: 'a control character in the target', raw: `GET /a\x01 HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: 'a byte over 0x7F in the target', raw: `GET /caf\xe9 HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: 'an unsupported HTTP version (2.0)', raw: `GET / HTTP/2.0\r\n${H}\r\n`, status: 505 },
  { name: 'an unsupported HTTP version (0.9, spelled out)', raw: `GET / HTTP/0.9\r\n${H}\r\n`, status: 505 },
  { name: 'an unsupported HTTP version (3.0)', raw: `GET / HTTP/3.0\r\n${H}\r\n`, status: 505 },
  // Limits, small (SMALL: head 64, target 16, body 10, chunk extensions 8, headers 3).
  { name: 'a target one byte over the limit', raw: `GET /${'a'.repeat(16)} HTTP/1.1\r\n${H}\r\n`, status: 414, options: SMALL },
  { name: 'a request line over the head limit because of its target', raw: `GET /${'a'.repeat(80)} HTTP/1.1\r\n${H}\r\n`, status: 414, options: SMALL },
  { name: 'a request line over the head limit because of its method', raw: `${'A'.repeat(80)} / HTTP/1.1\r\n${H}\r\n`, status: 431, options: SMALL },
  { name: 'a head one byte over the limit', raw: `GET /${'a'.repeat(15)} HTTP/1.1\r\n${H}X: 1\r\nX-Pad: 12345678\r\n\r\n`, status: 431, options: SMALL },
  { name: 'a head whose last line never ends', raw: `GET / HTTP/1.1\r\n${H}X-Pad: ${'b'.repeat(80)}`, status: 431, options: SMALL },
  { name: 'a head over the limit with a bad byte on its last line', raw: `GET / HTTP/1.1\r\n${H}X-Pad: \x01${'b'.repeat(80)}\r\n\r\n`, status: 431, options: SMALL },
  { name: 'one header more than the limit', raw: GET(`${H}A: 1\r\nB: 2\r\nC: 3\r\n`), status: 431, options: SMALL },
  { name: 'a Content-Length one over the body limit', raw: POST('Content-Length: 11\r\n', ''), status: 413, options: SMALL },
  { name: 'a Content-Length far over the body limit, before any body byte', raw: POST('Content-Length: 99999999999999999999\r\n', ''), status: 413, options: { maxBodyBytes: 10 } },
  { name: 'one chunk over the body limit', raw: CHUNKED('b\r\n'), status: 413, options: SMALL },
  { name: 'chunks adding up to one over the body limit', raw: CHUNKED('5\r\n12345\r\n6\r\n'), status: 413, options: SMALL },
  { name: 'chunk extensions over the limit in one chunk', raw: CHUNKED('1;abcdefgh\r\nx\r\n0\r\n\r\n'), status: 413, options: SMALL },
  { name: 'chunk extensions over the limit summed over chunks', raw: CHUNKED('1;abcd\r\nx\r\n1;efgh\r\ny\r\n0\r\n\r\n'), status: 413, options: SMALL },
  { name: 'a chunk-size line that never ends', raw: CHUNKED(`1${';a'.repeat(40)}`), status: 413, options: SMALL },
  { name: 'a trailer section over the head limit', raw: CHUNKED(`0\r\nX-T: ${'t'.repeat(70)}\r\n\r\n`), status: 431, options: SMALL },
  { name: 'one trailer more than the header limit', raw: CHUNKED('0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n'), status: 431, options: SMALL },
  // Limits, defaults (DESIGN.md: head 16 KiB, target 8 KiB, body 1 MiB, chunk extensions 16 KiB, 100 headers).
  { name: 'a request target over 8 KiB', raw: `GET /${'a'.repeat(8 * KiB)} HTTP/1.1\r\n${H}\r\n`, status: 414 },
  { name: 'a head over 16 KiB', raw: GET(`${H}X-Big: ${'a'.repeat(17_000)}\r\n`), status: 431 },
  { name: 'more than 100 headers', raw: GET(H + Array.from({ length: 100 }, (_, i) => `X-${i}: v\r\n`).join('')), status: 431 },
  { name: 'a Content-Length over 1 MiB', raw: POST(`Content-Length: ${KiB * KiB + 1}\r\n`, ''), status: 413 },
  { name: 'chunk extensions over 16 KiB', raw: CHUNKED(`1;a=${'b'.repeat(16 * KiB)}\r\nx\r\n0\r\n\r\n`), status: 413 },
]

const AFTER = `GET /after HTTP/1.1\r\n${H}\r\n`
const BIG = 20_000 // byte by byte and every-offset cuts on the largest cases would take long: sample them

describe('invalid requests', () => {
  it('use the DESIGN.md default limits', () => {
    expect(DEFAULT_LIMITS).toMatchObject({ maxHeadBytes: 16 * KiB, maxTargetBytes: 8 * KiB, maxBodyBytes: KiB * KiB, maxChunkExtBytes: 16 * KiB, maxHeaders: 100 })
  })

  for (const c of CASES) {
    describe(c.name, () => {
      const input = bytes(c.raw)
      const verdict = feed(whole(input), c.options)

      it(`is refused with ${c.status} when fed whole`, () => {
        expect(verdict.error?.status).toBe(c.status)
        expect(verdict.requests).toEqual([])
        expect(verdict.error?.message).not.toContain('unreachable')
      })

      it('gets the same verdict when fed byte by byte', () => {
        expect(feed(bytewise(input), c.options)).toEqual(verdict)
      })

      it('gets the same verdict wherever the bytes are cut', () => {
        const step = input.length > BIG ? 997 : 1
        for (let cut = 1; cut < input.length; cut += step) {
          expect(feed(cutAt(input, [cut]), c.options), `cut at ${cut}`).toEqual(verdict)
        }
      })

      it('gets the same verdict when a valid request follows it', () => {
        expect(feed(whole(bytes(c.raw + AFTER)), c.options)).toEqual(verdict)
        expect(feed(cutAt(bytes(c.raw + AFTER), [input.length]), c.options)).toEqual(verdict)
      })
    })
  }
})
