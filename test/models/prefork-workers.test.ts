// What only the prefork model does: N worker processes behind one port, connections spread
// round-robin, a dead worker replaced while the others keep answering, all of them gone after stop.
import { describe, expect, it } from 'vitest'
import { exchange, get } from '../helpers/raw-http.js'
import { until } from '../helpers/until.js'
import { childPids, startServe } from '../helpers/serve-process.js'
import { PersistentConnection } from './persistent-connection.js'
import { isAlive } from './process-alive.js'

const CRASH_APP = '--app=./test/fixtures/crash-app.mjs:application'
const pidOf = (body: Buffer): number => Number(/pid (\d+)/.exec(body.toString())![1])

describe('model prefork', () => {
  it('runs --workers processes and spreads new connections over all of them', async () => {
    const server = await startServe(['--model=prefork', '--workers=3', CRASH_APP])
    try {
      const workers = await childPids(server.child.pid!)
      expect(workers).toHaveLength(3)
      const answered = new Set<number>()
      for (let i = 0; i < 9; i++) answered.add(pidOf((await get(server.port, '/')).body))
      expect([...answered].sort()).toEqual([...workers].sort())
    } finally {
      expect((await server.stop()).code).toBe(0)
    }
  })

  it('replaces a worker killed with SIGKILL and keeps answering meanwhile', async () => {
    const server = await startServe(['--model=prefork', '--workers=2', CRASH_APP])
    try {
      const before = await childPids(server.child.pid!)
      expect(before).toHaveLength(2)
      process.kill(before[0]!, 'SIGKILL')
      // Once the primary has reaped it (a connection handed over in the instant before is lost
      // with the worker, see prefork.ts), the survivor answers everything while the replacement
      // starts.
      await until('the primary to reap the killed worker', async () =>
        (await childPids(server.child.pid!)).includes(before[0]!) ? undefined : true,
      )
      for (let i = 0; i < 10; i++) expect((await get(server.port, '/hello')).status).toBe(200)
      const after = await until('a replacement worker', async () => {
        const pids = await childPids(server.child.pid!)
        return pids.length === 2 && !pids.includes(before[0]!) ? pids : undefined
      })
      expect(after).toContain(before[1])
      const replacement = after.find((pid) => pid !== before[1])!
      // and the replacement takes its share of new connections
      await until('a response from the replacement', async () =>
        pidOf((await get(server.port, '/')).body) === replacement ? true : undefined,
      )
      expect(server.stderr()).toMatch(/starting a replacement/)
    } finally {
      expect((await server.stop()).code).toBe(0)
    }
  })

  it('loses only the crashing worker\'s connections when a request crashes it, and stops promptly after', async () => {
    const server = await startServe(['--model=prefork', '--workers=2', CRASH_APP])
    try {
      const crashed = await exchange(server.port, ['GET /crash HTTP/1.1\r\nHost: test\r\n\r\n'])
      expect(crashed.closed).toBe(true)
      expect(crashed.responses).toEqual([])
      for (let i = 0; i < 10; i++) expect((await get(server.port, '/hello')).status).toBe(200)
      await until('two workers again', async () => ((await childPids(server.child.pid!)).length === 2 ? true : undefined))
      // stopping now, while the replacement may still be loading, must not wait for a deadline
      const started = Date.now()
      expect((await server.stop()).code).toBe(0)
      expect(Date.now() - started).toBeLessThan(3_000)
    } finally {
      await server.stop()
    }
  })

  it('stops on SIGTERM with idle keep-alive connections open: exits 0 and leaves no worker', async () => {
    const server = await startServe(['--model=prefork', '--workers=2'])
    const connections = await Promise.all([1, 2, 3].map(() => PersistentConnection.open(server.port)))
    for (const connection of connections) expect((await connection.get('/hello')).status).toBe(200)
    const workers = await childPids(server.child.pid!)
    expect(workers).toHaveLength(2)
    const started = Date.now()
    expect((await server.stop('SIGTERM')).code).toBe(0)
    expect(Date.now() - started).toBeLessThan(3_000)
    await Promise.all(connections.map((c) => c.closed))
    expect(workers.filter(isAlive)).toEqual([])
  })
})
