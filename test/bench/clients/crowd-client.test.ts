// The crowd and the probe against small servers in this process, each misbehaving in one way, so
// every way a connection can end is seen to be counted in its own column. Starts servers and
// sockets: run under the heavy lock with the rest of the suite.
import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { Crowd } from '../../../bench/clients/crowd-client.js'
import type { CrowdSpec } from '../../../bench/clients/crowd-spec.js'
import { Probe } from '../../../bench/clients/probe-client.js'
import { sweepReplicaUs } from '../../../bench/clients/sweep-replica.js'

const servers: net.Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve))
})

const HELLO = 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!'

/** A raw server: `onConnection` decides what each accepted socket gets. Returns its origin. */
async function serve(onConnection: (socket: net.Socket, index: number) => void): Promise<string> {
  let index = 0
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    onConnection(socket, index++)
  })
  server.on('close', () => { for (const s of sockets) s.destroy() })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const close = server.close.bind(server)
  server.close = ((cb?: (err?: Error) => void) => { for (const s of sockets) s.destroy(); return close(cb) }) as typeof server.close
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`
}

/** Answers every complete request head on the connection with HELLO, keep-alive. */
const answerHeads = (socket: net.Socket): void => {
  let pending = ''
  socket.on('data', (chunk) => {
    pending += chunk.toString('latin1')
    while (pending.includes('\r\n\r\n')) {
      pending = pending.slice(pending.indexOf('\r\n\r\n') + 4)
      socket.write(HELLO)
    }
  })
}

const spec = (origin: string, over: Partial<CrowdSpec> = {}): CrowdSpec => ({
  origin, behaviour: 'idle', connections: 12, path: '/hello', burstCapMs: 5000, quietMs: 300, headerIntervalMs: 100, readBytesPerSec: 10_240, ...over,
})

describe('a crowd', () => {
  it('takes in an idle crowd that the server answers: every connection in, answered with 200, held open', async () => {
    const crowd = new Crowd(spec(await serve(answerHeads)))
    const burst = await crowd.open()
    expect(burst.endedBy).toBe('all-settled')
    expect(burst.counts).toEqual({ requested: 12, in: 12, connecting: 0, refused: 0, reset: 0, closedWithoutResponse: 0, closedAfterResponse: 0, waiting: 0, open: 12 })
    expect(burst.inMs!.count).toBe(12)
    expect(burst.lastInMs).toBeCloseTo(burst.inMs!.max, 0)
    const report = crowd.close()
    expect(report.statuses).toEqual({ 200: 12 })
    expect(report.bytesRead).toBe(12 * HELLO.length)
  })

  it('counts connections the server closes unanswered, resets, or answers and then closes, each in its own column', async () => {
    const origin = await serve((socket, i) => {
      if (i % 3 === 0) socket.end() // FIN, no byte
      else if (i % 3 === 1) socket.resetAndDestroy() // RST
      else socket.end(HELLO) // answered, then closed (Connection: close, as blocking does)
    })
    const crowd = new Crowd(spec(origin))
    const burst = await crowd.open()
    expect(burst.counts).toMatchObject({ requested: 12, in: 4, closedWithoutResponse: 4, reset: 4, closedAfterResponse: 4, open: 0, waiting: 0 })
    crowd.close()
  })

  it('counts slow readers the server closes unanswered or resets as such, not as answered ones', async () => {
    const origin = await serve((socket, i) => {
      if (i % 3 === 0) socket.end() // FIN, no byte: a paused reader still hears of it ('readable' at EOF)
      else if (i % 3 === 1) socket.resetAndDestroy()
      else socket.end(HELLO)
    })
    const crowd = new Crowd(spec(origin, { behaviour: 'slow-reader' }))
    const burst = await crowd.open()
    // the answered ones stay open until their slow reader has read up to the FIN
    expect(burst.counts).toMatchObject({ requested: 12, in: 4, closedWithoutResponse: 4, reset: 4, open: 4, waiting: 0 })
    crowd.close()
  })

  it('counts a refused connect as refused, and ends the burst once every connect has failed', async () => {
    const origin = await serve(() => {})
    servers.pop()!.close() // nothing listens there any more
    const crowd = new Crowd(spec(origin, { connections: 5 }))
    const burst = await crowd.open()
    expect(burst.counts).toMatchObject({ requested: 5, in: 0, refused: 5, open: 0 })
    expect(burst.endedBy).toBe('all-settled')
    crowd.close()
  })

  it('ends the burst as quiet when the rest wait in a queue of the server that does not move, and counts them as waiting', async () => {
    const origin = await serve((socket, i) => { if (i < 3) answerHeads(socket) }) // holds the others unanswered
    const crowd = new Crowd(spec(origin, { quietMs: 200 }))
    const started = Date.now()
    const burst = await crowd.open()
    expect(burst.endedBy).toBe('quiet')
    expect(burst.counts).toMatchObject({ in: 3, waiting: 9, open: 12 })
    expect(Date.now() - started).toBeLessThan(2000)
    crowd.close()
  })

  it('stops at the cap whatever is still on its way', async () => {
    const origin = await serve(() => {}) // answers nobody, while the burst's quiet rule is out of reach
    const crowd = new Crowd(spec(origin, { connections: 3, quietMs: 10_000, burstCapMs: 300 }))
    expect((await crowd.open()).endedBy).toBe('cap')
    crowd.close()
  })

  it('keeps a slowloris head growing a line at a time, never finishing it, and records when the server answers 408', async () => {
    const heads: string[] = []
    const origin = await serve((socket, i) => {
      heads[i] = ''
      socket.on('data', (chunk) => { heads[i] += chunk.toString('latin1') })
      setTimeout(() => socket.end('HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'), 450)
    })
    const crowd = new Crowd(spec(origin, { behaviour: 'slowloris', connections: 4, headerIntervalMs: 100, quietMs: 100 }))
    const burst = await crowd.open()
    expect(burst.counts).toMatchObject({ in: 4, open: 4 })
    await new Promise((resolve) => setTimeout(resolve, 700))
    const report = crowd.close()
    expect(report.statuses).toEqual({ 408: 4 })
    expect(report.answeredAfterMs!.p50).toBeGreaterThanOrEqual(400)
    expect(report.counts).toMatchObject({ closedAfterResponse: 4, open: 0 })
    expect(report.headerLines).toBeGreaterThanOrEqual(8)
    for (const head of heads) {
      expect(head).toMatch(/^GET \/hello HTTP\/1\.1\r\nHost: 127\.0\.0\.1:\d+\r\nX-Slow-0: 0\r\n/)
      expect(head).not.toContain('\r\n\r\n')
    }
  })

  it('reads a large answer slowly, about its rate, however fast the server could send', async () => {
    const body = Buffer.alloc(512 * 1024, 'x')
    const origin = await serve((socket) => socket.once('data', () => socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`) && socket.write(body)))
    const crowd = new Crowd(spec(origin, { behaviour: 'slow-reader', connections: 2, readBytesPerSec: 20_000 }))
    await crowd.open()
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const report = crowd.close()
    // 20 kB/s for about a second each, in 100 ms ticks: far below the 512 KiB on offer
    expect(report.bytesRead / 2).toBeGreaterThan(10_000)
    expect(report.bytesRead / 2).toBeLessThan(40_000)
    expect(report.completed).toBe(0)
  })

  it('times one nonblocking-style sweep over its own idle sockets, and has none to time without them', async () => {
    const crowd = new Crowd(spec(await serve(answerHeads), { connections: 50 }))
    await crowd.open()
    const us = sweepReplicaUs(crowd.openFds())
    expect(crowd.openFds()).toHaveLength(50)
    expect(us).toBeGreaterThan(0)
    expect(us).toBeLessThan(50 * 1000) // under a millisecond per socket on any machine
    crowd.close()
    expect(sweepReplicaUs([])).toBeNull()
  })
})

describe('the probe', () => {
  it('measures from the intended send time, so a stalled client loop still shows the wait it caused', async () => {
    const probe = new Probe({ origin: await serve(answerHeads), path: '/hello', ratePerSec: 50, timeoutMs: 2000 })
    probe.start('calm')
    await new Promise((resolve) => setTimeout(resolve, 200))
    probe.phase('stalled')
    const until = Date.now() + 300
    while (Date.now() < until) { /* the probe's own loop is blocked: its sends fall behind their schedule */ }
    await new Promise((resolve) => setTimeout(resolve, 100))
    const [calm, stalled] = await probe.stop()
    expect(calm!.phase).toBe('calm')
    expect(calm!.answered).toBe(calm!.sent)
    expect(calm!.sent).toBeGreaterThanOrEqual(8)
    // probes due during the 300 ms stall went out late; their latency counts that lateness
    expect(stalled!.latencyUs.max).toBeGreaterThan(200_000)
    expect(stalled!.sendLateUs.max).toBeGreaterThan(200_000)
    expect(calm!.latencyUs.p50).toBeLessThan(stalled!.latencyUs.max)
  })

  it('gives up on a probe after its timeout, counts it as no answer and records it at the timeout', async () => {
    const probe = new Probe({ origin: await serve(() => {}), path: '/hello', ratePerSec: 20, timeoutMs: 300 })
    probe.start('held')
    await new Promise((resolve) => setTimeout(resolve, 120))
    const [held] = await probe.stop()
    expect(held!.sent).toBeGreaterThan(0)
    expect(held!.noAnswer).toBe(held!.sent)
    expect(held!.answered).toBe(0)
    expect(held!.latencyUs.p50).toBe(300_000)
  })

  it('sends nothing while paused, resolves the pause only once the probes in flight have ended, and goes on after resume', async () => {
    let connections = 0
    let open = 0
    // answers each probe 150 ms late, so a probe is in flight when the pause begins
    const origin = await serve((socket) => {
      connections++
      open++
      socket.on('close', () => open--)
      socket.once('data', () => setTimeout(() => socket.end(HELLO), 150))
    })
    const probe = new Probe({ origin, path: '/hello', ratePerSec: 50, timeoutMs: 2000 })
    probe.start('on')
    await new Promise((resolve) => setTimeout(resolve, 100))
    await probe.pause()
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(open).toBe(0)
    const atPause = connections
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(connections).toBe(atPause)
    probe.resume()
    await new Promise((resolve) => setTimeout(resolve, 100))
    const [on] = await probe.stop()
    expect(connections).toBeGreaterThan(atPause)
    // the probes due during the 200 ms pause (about 10) were skipped, not sent late
    expect(on!.sent).toBe(connections)
    expect(on!.answered).toBe(on!.sent)
    expect(on!.sendLateUs.max).toBeLessThan(100_000)
  })

  it('counts probes the server refuses or resets apart from unanswered ones', async () => {
    const origin = await serve((socket) => socket.resetAndDestroy())
    const probe = new Probe({ origin, path: '/hello', ratePerSec: 50, timeoutMs: 1000 })
    probe.start('full')
    await new Promise((resolve) => setTimeout(resolve, 100))
    const [full] = await probe.stop()
    expect(full!.sent).toBeGreaterThan(0)
    expect(full!.refused + full!.reset + full!.closed).toBe(full!.sent)
    expect(full!.noAnswer).toBe(0)
    expect(full!.answered).toBe(0)
  })
})
