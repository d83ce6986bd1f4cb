// The valid requests the fuzzer starts from: each is accepted by our parser and by llhttp alike
// (test/fuzz/fuzz.test.ts checks that), and together they cover every way a body is framed
// (none, Content-Length, chunked with extensions and trailers), both versions, pipelining,
// keep-alive and close, and the request-target forms.

const H = 'Host: example.test\r\n'

export const SEEDS: readonly string[] = [
  `GET / HTTP/1.1\r\n${H}\r\n`,
  `GET /stocks.html?page=2&sort=code HTTP/1.1\r\n${H}User-Agent: curl/7.88.1\r\nAccept: */*\r\nCookie: a=1; b=2\r\n\r\n`,
  `HEAD /index.html HTTP/1.1\r\n${H}Accept-Encoding: gzip, br\r\n\r\n`,
  `POST /add/000001.html HTTP/1.1\r\n${H}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 11\r\n\r\nname=value&`,
  `POST /upload HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n`,
  `POST /upload HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n0\r\nX-Checksum: 42\r\n\r\n`,
  `PUT /data HTTP/1.1\r\n${H}Content-Length: 0\r\n\r\n`,
  `PUT /hello HTTP/1.1\r\n${H}Expect: 100-continue\r\nContent-Length: 4\r\n\r\nbody`,
  `GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n`,
  `GET /hello HTTP/1.0\r\n\r\n`,
  `GET /hello HTTP/1.1\r\n${H}Connection: close\r\n\r\n`,
  `OPTIONS * HTTP/1.1\r\n${H}\r\n`,
  `GET http://example.test/mine/abc.html HTTP/1.1\r\n${H}\r\n`,
  `DELETE /del/000001.html HTTP/1.1\r\n${H}Content-Length: 3\r\n\r\nabc`,
  // pipelines: where one request ends decides where the next begins
  `GET /a HTTP/1.1\r\n${H}\r\nPOST /b HTTP/1.1\r\n${H}Content-Length: 5\r\n\r\nhelloGET /c HTTP/1.1\r\n${H}\r\n`,
  `POST /a HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET /b HTTP/1.1\r\n${H}\r\n`,
  `POST /a HTTP/1.1\r\n${H}Content-Length: 2\r\n\r\nokPOST /b HTTP/1.1\r\n${H}Transfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n`,
  `GET /a HTTP/1.1\r\n${H}\r\n\r\nGET /b HTTP/1.1\r\n${H}Connection: close\r\n\r\nGET /c HTTP/1.1\r\n${H}\r\n`,
]
