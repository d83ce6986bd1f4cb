// A stand-in for dist/servers/serve.js in the driver's tests: the same CLI contract (flags, the
// "listening on http://HOST:PORT" line, SIGTERM → exit 0) over node:http, answering the scenarios'
// routes. FAKE_SERVE_FAULT makes it misbehave in one named way so the failed-cell path can be tested:
//   wrong-hello   answers /hello with a different body (verification must fail)
//   exit-on-stop  exits with code 3 on SIGTERM (a dirty stop must fail the cell)
//   500-after=N   answers 500 to every request after the first N (errors during the load)
//   close-always  answers Connection: close to everything, like the blocking model
//   lose-writes   answers 200 to follows but keeps at most 4 followed stocks (the write audit must fail)
import { createServer } from 'node:http'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')))
const fault = process.env.FAKE_SERVE_FAULT ?? ''
const root = args.root
const followed = new Set(['000143']) // the fixture follows info id 3
let served = 0

const send = (res, status, type, body) => {
  if (fault === 'close-always') res.setHeader('connection', 'close')
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), server: 'fake-serve' })
  res.end(body)
}

const server = createServer((req, res) => {
  served++
  const limit = /^500-after=(\d+)$/.exec(fault)
  if (limit && served > Number(limit[1])) return send(res, 500, 'text/plain', 'broken on purpose')
  const write = /^\/(add|del)\/(\d{6})\.html$/.exec(req.url)
  if (req.method === 'POST' && write) {
    req.resume()
    // like the stock app: 200 only when a row changed, 409 when already in the asked state
    const changed = write[1] === 'add' ? !followed.has(write[2]) && followed.add(write[2]) : followed.delete(write[2])
    // answer 200 but drop the row once more than 4 stocks are followed (only the audit's burst gets there)
    if (fault === 'lose-writes' && write[1] === 'add' && followed.size > 4) followed.delete(write[2])
    return send(res, changed ? 200 : 409, 'text/html; charset=utf-8', `<p>${write[1]} ${write[2]} ${changed ? 'ok' : 'unchanged'}</p>`)
  }
  if (req.method !== 'GET') return send(res, 405, 'text/plain', 'method not allowed')
  switch (req.url) {
    case '/hello': return send(res, 200, 'text/plain; charset=utf-8', fault === 'wrong-hello' ? 'Hello, Wrong!' : 'Hello, World!')
    case '/': return send(res, 200, 'text/html; charset=utf-8', readFileSync(join(root, 'index.html')))
    case '/large.bin': return send(res, 200, 'application/octet-stream', readFileSync(join(root, 'large.bin')))
    case '/stocks.html': return send(res, 200, 'text/html; charset=utf-8', '<table><tr><td>000034</td></tr></table>')
    case '/center.html': return send(res, 200, 'text/html; charset=utf-8', `<table>${[...followed].map((c) => `<tr><td>${c}</td></tr>`).join('')}</table>`)
    default: return send(res, 404, 'text/plain', 'not found')
  }
})
server.keepAliveTimeout = 5000

process.on('SIGTERM', () => {
  server.close(() => process.exit(fault === 'exit-on-stop' ? 3 : 0))
  server.closeIdleConnections()
})

server.listen(Number(args.port ?? 0), args.host ?? '127.0.0.1', () => {
  const { address, port } = server.address()
  process.stdout.write(`fake ${args.model} listening on http://${address}:${port}\n`)
})
