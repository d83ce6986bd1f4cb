// The nonblocking model writes with fs.writevSync on a non-blocking fd, which takes only what fits
// in the socket's send buffer (a partial write) or nothing at all (EAGAIN). Whatever is left must be
// kept per client and sent in later sweeps, byte for byte and in order, while other clients go on
// being served. Loopback absorbs a lot here (tcp_rmem max 32 MiB, tcp_wmem max 4 MiB: 30 MiB to a
// paused client went through without a single short write, measured), so the client asks for 200
// pipelined copies of the 300 KiB large.bin (60 MiB) and reads nothing for a while: with that,
// about 1,000 EAGAINs and 57 partial writes were counted.
import { readFileSync } from 'node:fs'
import net from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { get, parseResponses } from '../helpers/raw-http.js'
import { REPO_ROOT, startServe, type ServeProcess } from '../helpers/serve-process.js'

const COPIES = 200
const large = readFileSync(join(REPO_ROOT, 'fixtures/www/large.bin'))

describe('the nonblocking model with a client that reads slowly', () => {
  let server: ServeProcess
  beforeAll(async () => {
    server = await startServe(['--model=nonblocking'])
  })
  afterAll(async () => {
    if (server) expect((await server.stop()).code).toBe(0)
  })

  it('delivers 200 pipelined copies of a 300 KiB file whole and in order, and serves others meanwhile', async () => {
    const socket = net.connect({ port: server.port, host: '127.0.0.1' })
    await new Promise((resolve) => socket.once('connect', resolve))
    socket.pause() // read nothing yet: the server's writes soon find the socket full
    socket.write(`GET /large.bin HTTP/1.1\r\nHost: test\r\n\r\n`.repeat(COPIES))

    await new Promise((r) => setTimeout(r, 300))
    // the loop is not stuck on the full socket: another client is answered at once
    const started = performance.now()
    expect((await get(server.port, '/hello')).body.toString()).toBe('Hello, World!')
    expect(performance.now() - started).toBeLessThan(200)

    const chunks: Buffer[] = []
    const expected = COPIES * large.length
    const bytes = await new Promise<Buffer>((resolve, reject) => {
      let total = 0
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk)
        total += chunk.length
        if (total >= expected) {
          const all = Buffer.concat(chunks)
          if (parseResponses(all).length === COPIES) resolve(all)
        }
      })
      socket.on('error', reject)
      socket.on('close', () => resolve(Buffer.concat(chunks)))
      socket.resume()
    })
    socket.destroy()
    const responses = parseResponses(bytes)
    expect(responses).toHaveLength(COPIES)
    for (const response of responses) {
      expect(response.status).toBe(200)
      expect(response.body.equals(large)).toBe(true)
    }
  })
})
