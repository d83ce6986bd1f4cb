// The blocking model answers one request per connection: the response says Connection: close,
// and a request pipelined behind the first is neither answered nor passed to the app (a POST
// there must not follow a stock).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exchange, get } from '../helpers/raw-http.js'
import { startServe, type ServeProcess } from '../helpers/serve-process.js'

describe('the blocking model and pipelined requests', () => {
  let server: ServeProcess
  beforeAll(async () => {
    server = await startServe(['--model=blocking'])
  })
  afterAll(async () => {
    if (server) expect((await server.stop()).code).toBe(0)
  })

  it('does not run a POST pipelined behind the first request of a connection', async () => {
    const followed = (await get(server.port, '/center.html')).body.toString()
    const code = [...(await get(server.port, '/stocks.html')).body.toString().matchAll(/\b(\d{6})\b/g)]
      .map((m) => m[1]!)
      .find((c) => !followed.includes(c))!
    const result = await exchange(server.port, [
      `GET /hello HTTP/1.1\r\nHost: test\r\n\r\nPOST /add/${code}.html HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n`,
    ])
    expect(result.responses.map((r) => r.status)).toEqual([200])
    expect(result.responses[0]!.headers.get('connection')).toBe('close')
    expect((await get(server.port, '/center.html')).body.toString()).not.toContain(code)
    // the same POST on its own connection does follow it: the check above could have failed
    const alone = await exchange(server.port, [`POST /add/${code}.html HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`])
    expect(alone.responses[0]?.status).toBe(200)
    expect((await get(server.port, '/center.html')).body.toString()).toContain(code)
  })
})
