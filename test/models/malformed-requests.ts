// Every class of malformed input from DESIGN.md "Shared HTTP rules", as raw bytes and the status
// it must get (then the connection must close). Shared by the conformance suite of every model.
export interface MalformedCase {
  name: string
  bytes: string
  status: number
}

const H = 'Host: test\r\n'
const big = (n: number): string => 'a'.repeat(n)

export const MALFORMED: MalformedCase[] = [
  { name: 'a bare LF as a line end', bytes: 'GET / HTTP/1.1\nHost: test\n\n', status: 400 },
  { name: 'a bare CR inside a header value', bytes: `GET / HTTP/1.1\r\n${H}X-A: a\rb\r\n\r\n`, status: 400 },
  { name: 'whitespace before the colon', bytes: `GET / HTTP/1.1\r\nHost : test\r\n\r\n`, status: 400 },
  { name: 'whitespace before the first header', bytes: `GET / HTTP/1.1\r\n X-A: a\r\n${H}\r\n`, status: 400 },
  { name: 'an obs-fold continuation line', bytes: `GET / HTTP/1.1\r\n${H}X-A: a\r\n b\r\n\r\n`, status: 400 },
  { name: 'a control character in a header value', bytes: `GET / HTTP/1.1\r\n${H}X-A: a\x01b\r\n\r\n`, status: 400 },
  { name: 'DEL in a header name', bytes: `GET / HTTP/1.1\r\n${H}X\x7fA: a\r\n\r\n`, status: 400 },
  { name: 'a header name that is not a token', bytes: `GET / HTTP/1.1\r\n${H}X(A): a\r\n\r\n`, status: 400 },
  { name: 'both Content-Length and Transfer-Encoding', bytes: `POST / HTTP/1.1\r\n${H}Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, status: 400 },
  { name: 'a Content-Length with a sign', bytes: `POST / HTTP/1.1\r\n${H}Content-Length: +3\r\n\r\nabc`, status: 400 },
  { name: 'a repeated Content-Length', bytes: `POST / HTTP/1.1\r\n${H}Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc`, status: 400 },
  { name: 'Transfer-Encoding where chunked is not final', bytes: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked, gzip\r\n\r\n`, status: 400 },
  { name: 'chunked applied twice', bytes: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked, chunked\r\n\r\n`, status: 400 },
  { name: 'a chunk size with 0x', bytes: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n0x3\r\nabc\r\n0\r\n\r\n`, status: 400 },
  { name: 'a negative chunk size', bytes: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n-3\r\nabc\r\n0\r\n\r\n`, status: 400 },
  { name: 'a chunk size with a leading space', bytes: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n 3\r\nabc\r\n0\r\n\r\n`, status: 400 },
  { name: 'a chunk size that overflows', bytes: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\nabc\r\n0\r\n\r\n`, status: 400 },
  { name: 'a missing Host in HTTP/1.1', bytes: 'GET / HTTP/1.1\r\nX-A: a\r\n\r\n', status: 400 },
  { name: 'a repeated Host', bytes: `GET / HTTP/1.1\r\n${H}${H}\r\n`, status: 400 },
  { name: 'an invalid Host', bytes: 'GET / HTTP/1.1\r\nHost: a b\r\n\r\n', status: 400 },
  { name: 'a method that is not a token', bytes: `G(T / HTTP/1.1\r\n${H}\r\n`, status: 400 },
  { name: 'an HTTP/0.9 request line', bytes: 'GET /\r\n\r\n', status: 400 },
  { name: 'a transfer coding we do not implement', bytes: `POST / HTTP/1.1\r\n${H}Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n`, status: 501 },
  { name: 'an unsupported HTTP version', bytes: `GET / HTTP/2.0\r\n${H}\r\n`, status: 505 },
  { name: 'a request target over 8 KiB', bytes: `GET /${big(9000)} HTTP/1.1\r\n${H}\r\n`, status: 414 },
  { name: 'a head over 16 KiB', bytes: `GET / HTTP/1.1\r\n${H}X-Big: ${big(17_000)}\r\n\r\n`, status: 431 },
  { name: 'more than 100 headers', bytes: `GET / HTTP/1.1\r\n${H}${Array.from({ length: 101 }, (_, i) => `X-${i}: v\r\n`).join('')}\r\n`, status: 431 },
  { name: 'a Content-Length over 1 MiB', bytes: `POST / HTTP/1.1\r\n${H}Content-Length: 2000000\r\n\r\n`, status: 413 },
]
