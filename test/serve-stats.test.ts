// `npm run serve -- --stats-port=P` (servers/stats-endpoint.ts): the server's process tree as JSON,
// for a load driver on another host.
import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { exchange } from '../bench/clients/http-exchange.js'
import { readServerSweeps } from '../bench/driver/server-sweeps.js'
import { serveFails, startServe } from './helpers/serve-process.js'
import type { ServerStats } from '../servers/stats-endpoint.js'

const statsOrigin = (stdout: string): string => /stats on (http:\/\/\S+)/.exec(stdout)![1]!
const read = async (origin: string): Promise<ServerStats> => JSON.parse((await exchange(origin, { method: 'GET', path: '/', headers: {} })).body.toString()) as ServerStats

describe('serve --stats-port', () => {
  it("prints where its stats are before the ready line, and answers the whole tree's CPU and RSS", async () => {
    const server = await startServe(['--model=prefork', '--workers=2', '--stats-port=0'])
    try {
      expect(server.stdout()).toMatch(/^httpmodels prefork stats on http:\/\/127\.0\.0\.1:\d+\nhttpmodels prefork listening on http:\/\/127\.0\.0\.1:\d+\n$/)
      const origin = statsOrigin(server.stdout())
      const first = await read(origin)
      expect(first).toMatchObject({ schema: 'httpmodels-stats/1', server: 'httpmodels', model: 'prefork', pid: server.child.pid })
      // a primary and two workers, each a Node process of tens of MB
      expect(first.rssBytes).toBeGreaterThan(3 * 20 * 2 ** 20)
      expect(first.peakRssBytes).toBeGreaterThanOrEqual(first.rssBytes)
      // work done by the workers shows up in the tree's CPU
      await Promise.all(Array.from({ length: 200 }, () => exchange(server.origin, { method: 'GET', path: '/stocks.html', headers: {} })))
      const second = await read(origin)
      expect(second.cpuSec).toBeGreaterThan(first.cpuSec)
    } finally {
      expect((await server.stop()).code).toBe(0)
    }
  })

  it("serves nonblocking's own timing of its sweeps, each with the clients it visited, and no sweeps for a model that does not poll", async () => {
    const server = await startServe(['--model=nonblocking', '--stats-port=0'])
    const held: net.Socket[] = []
    try {
      const { port } = new URL(server.origin)
      for (let i = 0; i < 5; i++) {
        const socket = net.connect(Number(port), '127.0.0.1')
        socket.on('error', () => {})
        held.push(socket)
      }
      await new Promise((resolve) => setTimeout(resolve, 300))
      const sweeps = await readServerSweeps(statsOrigin(server.stdout()), 5)
      expect(sweeps).not.toBeNull()
      expect(sweeps!.total).toBeGreaterThan(0)
      expect(sweeps!.clients).toBe(5)
      expect(sweeps!.us!.count).toBeGreaterThan(0)
      expect(sweeps!.us!.p50).toBeGreaterThan(0)
      expect(sweeps!.us!.p50).toBeLessThan(50_000)
    } finally {
      for (const socket of held) socket.destroy()
      expect((await server.stop()).code).toBe(0)
    }
    const eventloop = await startServe(['--model=eventloop', '--stats-port=0'])
    try {
      expect((await read(statsOrigin(eventloop.stdout()))).sweeps).toBeUndefined()
      expect(await readServerSweeps(statsOrigin(eventloop.stdout()), 0)).toBeNull()
    } finally {
      expect((await eventloop.stop()).code).toBe(0)
    }
  })

  it('refuses a stats port that is not a port, or the server port itself, in one line with exit code 2', async () => {
    for (const [args, message] of [
      [['--stats-port=web'], /--stats-port must be a non-negative integer, got "web"/],
      [['--stats-port=70000'], /--stats-port must be 0–65535, got 70000/],
      [['--port=8123', '--stats-port=8123'], /--stats-port must differ from --port \(both 8123\)/],
    ] as const) {
      const result = await serveFails(['--model=eventloop', ...args])
      expect(result.code, result.stderr).toBe(2)
      expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(message)])
    }
  })

  it('reports an occupied stats port in one line, leaving nothing running', async () => {
    const blocker = net.createServer()
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r))
    const port = (blocker.address() as net.AddressInfo).port
    try {
      const result = await serveFails(['--model=eventloop', `--stats-port=${port}`])
      expect(result.code).toBe(1)
      expect(result.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(new RegExp(`stats endpoint: port ${port} on 127.0.0.1 is already in use`))])
    } finally {
      blocker.close()
    }
  })
})
