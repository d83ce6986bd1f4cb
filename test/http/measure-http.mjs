// Costs of the HTTP layer's hot path, in ns per operation (not a test: run it by hand).
//   npm run build && node test/http/measure-http.mjs
// Plain loops over the compiled code (vitest bench adds its own overhead and GC noise on top of
// sub-microsecond work). Each case is run in several rounds; the minimum is the least disturbed
// by the other processes on a shared machine, the median shows the spread. node:http's parser
// (llhttp, through the deprecated process.binding) is measured beside ours for scale: its cost
// here excludes building IncomingMessage, which node:http does on top.
import { RequestParser } from '../../dist/servers/http/parser.js'
import { errorResponse, serializeResponse } from '../../dist/servers/http/response.js'

const GET = 'GET /stocks.html HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: curl/8.5.0 (x86_64-pc-linux-gnu)\r\nAccept: */*\r\nAccept-Encoding: gzip\r\nConnection: keep-alive\r\n\r\n'
const one = Buffer.from(GET, 'latin1')
const ten = Buffer.from(GET.repeat(10), 'latin1')
const post = Buffer.from('POST /add/000007.html HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 11\r\n\r\nhello=world', 'latin1')
const chunked = Buffer.from('POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n', 'latin1')
const halves = [one.subarray(0, 70), one.subarray(70)]

let sink = 0
function measure(name, iterations, fn) {
  for (let i = 0; i < iterations; i++) fn() // warm up: let the JIT settle
  const rounds = []
  for (let r = 0; r < 9; r++) {
    const start = process.hrtime.bigint()
    for (let i = 0; i < iterations; i++) fn()
    rounds.push(Number(process.hrtime.bigint() - start) / iterations)
  }
  rounds.sort((a, b) => a - b)
  console.log(`${name.padEnd(52)} min ${rounds[0].toFixed(0).padStart(6)} ns   median ${rounds[4].toFixed(0).padStart(6)} ns`)
}

console.log(`one GET: ${one.length} bytes; node ${process.version}`)
const parser = new RequestParser()
measure('parse one GET, one chunk', 300_000, () => { sink += parser.push(one).length })
measure('parse ten pipelined GETs, one chunk (per chunk)', 30_000, () => { sink += parser.push(ten).length })
measure('parse a POST with an 11-byte body', 300_000, () => { sink += parser.push(post).length })
measure('parse a chunked POST (two chunks)', 300_000, () => { sink += parser.push(chunked).length })
measure('parse one GET split in two chunks', 300_000, () => { parser.push(halves[0]); sink += parser.push(halves[1]).length })
measure('new parser + one GET (connection per request)', 300_000, () => { sink += new RequestParser().push(one).length })

const { HTTPParser } = process.binding('http_parser')
const llhttp = new HTTPParser()
llhttp.initialize(HTTPParser.REQUEST, {})
for (const key of ['kOnHeaders', 'kOnHeadersComplete', 'kOnBody', 'kOnMessageComplete', 'kOnExecute']) llhttp[HTTPParser[key]] = () => { sink++ }
measure('llhttp (node:http) one GET', 300_000, () => { llhttp.execute(one) })
measure('llhttp (node:http) ten pipelined GETs (per chunk)', 30_000, () => { llhttp.execute(ten) })

const hello = { status: 200, reason: 'OK', headers: [['Content-Type', 'text/plain; charset=utf-8']], body: Buffer.from('Hello, World!') }
const page = { status: 200, reason: 'OK', headers: [['Content-Type', 'text/html; charset=utf-8'], ['ETag', '"0123456789abcdef"'], ['Last-Modified', 'Sun, 22 Nov 2026 04:40:00 GMT']], body: Buffer.alloc(4000, 97) }
const options = { head: false, keepAlive: true }
measure('serialize Hello, World!', 300_000, () => { sink += serializeResponse(hello, options).length })
measure('serialize a 4000-byte page with 3 headers', 300_000, () => { sink += serializeResponse(page, options).length })
measure('serialize an error response', 300_000, () => { sink += serializeResponse(errorResponse(404), options).length })
if (sink === 0) console.log('(nothing measured)')
