// A stand-in for dist/servers/serve.js in the gate's own tests: node:http answering the `hello`
// scenario, with the real test-only slowdown knob in its request path, whatever --model says.
import http from 'node:http'
import { slowdown } from '../../../dist/servers/app/slowdown.js'

const body = Buffer.from('Hello, World!')
const server = http.createServer((req, res) => {
  slowdown?.()
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': body.length, Server: 'stub', Date: new Date().toUTCString() })
  res.end(body)
})
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`stub listening on http://127.0.0.1:${server.address().port}\n`)
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
