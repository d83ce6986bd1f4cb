// Crashes under load: while keep-alive clients keep a model busy, a worker dies (prefork: a worker
// process killed with SIGKILL; threads: a request whose handler throws an uncaught error in its
// thread; fork: a connection's child killed with SIGKILL). What may be lost is the requests in
// flight on that worker, nothing else; throughput comes back; the server gets its worker back;
// and after shutdown no process is left. Each scenario runs about three seconds.
//
// The figures (lost requests, the dip and the recovery) are printed with each test; the README
// quotes a run of them under the heavy lock.
import { afterEach, describe, expect, it } from 'vitest'
import { exchange } from '../helpers/raw-http.js'
import { until } from '../helpers/until.js'
import { childPids, startServe, type ServeProcess } from '../helpers/serve-process.js'
import { KeepAliveLoad, recovery, type Recovery } from './keep-alive-load.js'
import { PersistentConnection } from './persistent-connection.js'
import { isAlive } from './process-alive.js'

const CRASH_APP = '--app=./test/fixtures/crash-app.mjs:application'
const WARM_UP_MS = 1000
const AFTER_MS = 1000
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const pidOf = (server: string | undefined): number => Number(/pid (\d+)/.exec(server ?? '')?.[1] ?? NaN)

function report(model: string, figures: Record<string, unknown>, r: Recovery): void {
  const rounded = { ...figures, beforePerSec: Math.round(r.beforePerSec), lowestPerSec: Math.round(r.lowestPerSec), recoveredAfterMs: r.recoveredAfterMs }
  console.info(`crash under load, ${model}: ${JSON.stringify(rounded)}`)
}

let server: ServeProcess | undefined
let load: KeepAliveLoad | undefined
afterEach(async () => {
  await load?.stop()
  await server?.stop('SIGKILL')
  load = undefined
  server = undefined
})

/** Stop the server, and check it exited 0 and left none of the processes it ever had. */
async function stopLeavingNothing(pids: Iterable<number>): Promise<void> {
  const exit = await server!.stop('SIGTERM')
  server = undefined
  expect(exit.code).toBe(0)
  await sleep(200)
  expect([...pids].filter(isAlive)).toEqual([])
}

describe('crashes under a keep-alive load', () => {
  it('prefork: a worker killed with SIGKILL costs only the requests in flight on it; a replacement takes its place', async () => {
    server = await startServe(['--model=prefork', '--workers=2', CRASH_APP])
    const seen = new Set(await childPids(server.child.pid!))
    load = KeepAliveLoad.start(server.port, { connections: 8, path: '/' })
    await sleep(WARM_UP_MS)
    const victim = [...seen][0]!
    const onVictim = Array.from({ length: 8 }, (_, i) => i).filter((i) => pidOf(load!.lastServer(i)) === victim)
    process.kill(victim, 'SIGKILL')
    const killedAt = load.now()
    const workers = await until('two workers again', async () => {
      const pids = await childPids(server!.child.pid!)
      return pids.length === 2 && !pids.includes(victim) ? pids : undefined
    })
    const backAfterMs = Math.round(load.now() - killedAt)
    for (const pid of workers) seen.add(pid)
    await sleep(AFTER_MS)
    await load.stop()
    const r = recovery(load.answers.map((a) => a.atMs), killedAt, load.stoppedAtMs)
    report('prefork', { connections: 8, onKilledWorker: onVictim.length, lost: load.losses.length, workerBackAfterMs: backAfterMs }, r)

    // Lost: at most the one request in flight on each connection the killed worker held, nothing else.
    expect(load.losses.length).toBeGreaterThanOrEqual(1)
    expect(load.losses.length).toBeLessThanOrEqual(onVictim.length)
    expect(load.losses.every((l) => l.why === 'closed' && pidOf(l.lastServer) === victim)).toBe(true)
    expect(load.answers.every((a) => a.status === 200)).toBe(true)
    // Throughput comes back, and the replacement serves its share.
    expect(r.recoveredAfterMs).toBeLessThanOrEqual(2000)
    const replacement = workers.find((pid) => !seen.has(pid) || pid !== [...seen][1])!
    expect(load.answers.some((a) => a.atMs > killedAt && pidOf(a.body) !== victim)).toBe(true)
    expect(workers).not.toContain(victim)
    expect(replacement).toBeDefined()
    await stopLeavingNothing(seen)
  }, 30_000)

  it('threads: a handler that throws an uncaught error loses only its own connection; the pool gets its thread back', async () => {
    const threads = 4
    server = await startServe(['--model=threads', `--workers=${threads}`, CRASH_APP])
    // One thread per connection: the load holds all threads but one, the crash takes the last.
    load = KeepAliveLoad.start(server.port, { connections: threads - 1, path: '/' })
    await sleep(WARM_UP_MS)
    const crashedAt = load.now()
    const crashed = await exchange(server.port, ['GET /crash HTTP/1.1\r\nHost: test\r\n\r\n'])
    // The pool is whole again when a fourth connection is served beside the load's three.
    const fourth = await until('a replacement thread', async () => {
      const connection = await PersistentConnection.open(server!.port)
      const answered = await Promise.race([connection.get('/').then(() => true, () => false), sleep(200).then(() => false)])
      if (answered) return connection
      connection.close()
      return undefined
    })
    const backAfterMs = Math.round(load.now() - crashedAt)
    fourth.close()
    await sleep(AFTER_MS)
    await load.stop()
    const r = recovery(load.answers.map((a) => a.atMs), crashedAt, load.stoppedAtMs)
    report('threads', { connections: threads, lost: load.losses.length + (crashed.responses.length === 0 ? 1 : 0), threadBackAfterMs: backAfterMs }, r)

    expect(crashed.closed).toBe(true)
    expect(crashed.responses).toEqual([]) // the crashing request is the one lost
    expect(load.losses).toEqual([]) // and nothing on the other threads' connections
    expect(r.recoveredAfterMs).toBeLessThanOrEqual(2000)
    // All threads answer at once again: the pool kept its size.
    const connections = await Promise.all(Array.from({ length: threads }, () => PersistentConnection.open(server!.port)))
    const served = await Promise.all(connections.map((c) => c.get('/')))
    expect(new Set(served.map((s) => s.body.toString())).size).toBe(threads)
    for (const c of connections) c.close()
    expect(server.stderr()).toMatch(/thread crashed/)
    await stopLeavingNothing(await childPids(server.child.pid!))
  }, 30_000)

  it('fork: a child killed with SIGKILL costs only its connection\'s request in flight; the reconnect gets a new child', async () => {
    server = await startServe(['--model=fork', CRASH_APP])
    const connections = 4
    load = KeepAliveLoad.start(server.port, { connections, path: '/' })
    // every connection has its child and has been answered
    await until('every connection answered', async () => (Array.from({ length: connections }, (_, i) => load!.lastServer(i)).every(Boolean) ? true : undefined))
    await sleep(WARM_UP_MS)
    const seen = new Set(await childPids(server.child.pid!))
    const victim = pidOf(load.lastServer(0))
    process.kill(victim, 'SIGKILL')
    const killedAt = load.now()
    // (an answer the victim wrote just before it died may still arrive: wait for the loss first)
    await until('a new child for the reconnected connection', async () => {
      const lost = load!.losses.find((l) => l.connection === 0)
      return lost && load!.answers.some((a) => a.connection === 0 && a.atMs > lost.atMs) ? true : undefined
    })
    const backAfterMs = Math.round(load.now() - killedAt)
    const children = await childPids(server.child.pid!)
    for (const pid of children) seen.add(pid)
    await sleep(AFTER_MS)
    await load.stop()
    const r = recovery(load.answers.map((a) => a.atMs), killedAt, load.stoppedAtMs)
    report('fork', { connections, lost: load.losses.length, childBackAfterMs: backAfterMs }, r)

    expect(load.losses.map((l) => [l.connection, l.why, pidOf(l.lastServer)])).toEqual([[0, 'closed', victim]])
    expect(children).not.toContain(victim)
    expect(children).toHaveLength(connections) // one child per live connection again
    expect(r.recoveredAfterMs).toBeLessThanOrEqual(2000)
    await stopLeavingNothing(seen)
  }, 30_000)
})
