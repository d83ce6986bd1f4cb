// What only the threads model does: a pooled thread owns a whole connection and reads its fd with
// timed non-blocking reads, so a busy pool makes new connections wait, an idle keep-alive
// connection is closed on time and frees its thread, large responses survive a slow reader, a
// crashing task costs only its connection, and shutdown does not wait on idle connections.
import { readFileSync } from 'node:fs'
import net from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { exchange, get, parseResponses } from '../helpers/raw-http.js'
import { REPO_ROOT, startServe } from '../helpers/serve-process.js'
import { PersistentConnection } from './persistent-connection.js'

const CRASH_APP = '--app=./test/fixtures/crash-app.mjs:application'
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const threadOf = (body: Buffer): number => Number(/thread (\d+)/.exec(body.toString())![1])

describe('model threads', () => {
  it('loses only the crashing connection when a task crashes its thread, and the pool stays whole', async () => {
    const server = await startServe(['--model=threads', '--workers=2', CRASH_APP])
    try {
      const bystander = await PersistentConnection.open(server.port)
      const thread = threadOf((await bystander.get('/')).body)
      const crashed = await exchange(server.port, ['GET /crash HTTP/1.1\r\nHost: test\r\n\r\n'])
      expect(crashed.closed).toBe(true)
      expect(crashed.responses).toEqual([])
      expect(threadOf((await bystander.get('/')).body)).toBe(thread)
      // two threads again: a second connection is served while the bystander still holds one
      const second = await PersistentConnection.open(server.port)
      const replacement = threadOf((await second.get('/')).body)
      expect(replacement).not.toBe(thread)
      // (both threads are held now; free them for the connections below)
      bystander.close()
      second.close()
      for (let i = 0; i < 20; i++) expect((await get(server.port, '/hello')).status).toBe(200)
      expect(server.stderr()).toMatch(/a connection was lost/)
    } finally {
      expect((await server.stop()).code).toBe(0)
    }
  })

  it('survives a thread that crashes while it holds no connection, and replaces it', async () => {
    const server = await startServe(['--model=threads', '--workers=1', CRASH_APP])
    try {
      const before = threadOf((await get(server.port, '/crash-later')).body)
      await sleep(400) // the thread is idle in the pool when its timer throws
      const after = threadOf((await get(server.port, '/')).body)
      expect(after).not.toBe(before)
      expect(server.stderr()).toMatch(/an idle thread crashed/)
    } finally {
      expect((await server.stop()).code).toBe(0)
    }
  })

  it('makes a connection wait while every thread holds one (slow clients exhaust the pool)', async () => {
    const server = await startServe(['--model=threads', '--workers=1'])
    try {
      const holder = await PersistentConnection.open(server.port)
      expect((await holder.get('/hello')).status).toBe(200)
      let answered = false
      const waiting = get(server.port, '/hello').then((r) => ((answered = true), r))
      await sleep(400)
      expect(answered).toBe(false)
      holder.close()
      expect((await waiting).status).toBe(200)
    } finally {
      expect((await server.stop()).code).toBe(0)
    }
  })

  it('closes an idle keep-alive connection after --keep-alive-timeout-ms and frees its thread', async () => {
    const server = await startServe(['--model=threads', '--workers=1', '--keep-alive-timeout-ms=300'])
    try {
      const idle = await PersistentConnection.open(server.port)
      expect((await idle.get('/hello')).status).toBe(200)
      const started = Date.now()
      await idle.closed
      const waited = Date.now() - started
      expect(waited).toBeGreaterThanOrEqual(250)
      expect(waited).toBeLessThan(1_000)
      expect((await get(server.port, '/hello')).status).toBe(200)
    } finally {
      expect((await server.stop()).code).toBe(0)
    }
  })

  it('answers 408 from inside a thread when a started head stalls', async () => {
    const server = await startServe(['--model=threads', '--workers=1', '--headers-timeout-ms=300'])
    try {
      const started = Date.now()
      const result = await exchange(server.port, ['GET /hello HTTP/1.1\r\nHost: te'], { timeoutMs: 3000 })
      expect(result.responses[0]?.status).toBe(408)
      expect(result.closed).toBe(true)
      expect(Date.now() - started).toBeLessThan(1_000)
    } finally {
      expect((await server.stop()).code).toBe(0)
    }
  })

  it('writes a large file whole to a client that does not read for a while', async () => {
    const server = await startServe(['--model=threads', '--workers=1'])
    try {
      const expected = readFileSync(join(REPO_ROOT, 'fixtures/www/large.bin'))
      const bytes = await new Promise<Buffer>((resolve, reject) => {
        const socket = net.connect({ port: server.port, host: '127.0.0.1' })
        const chunks: Buffer[] = []
        socket.on('error', reject)
        socket.on('data', (chunk: Buffer) => chunks.push(chunk))
        socket.on('close', () => resolve(Buffer.concat(chunks)))
        socket.write('GET /large.bin HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n')
        socket.pause() // the kernel buffers fill up and the thread's writes meet EAGAIN
        setTimeout(() => socket.resume(), 500)
      })
      const [response] = parseResponses(bytes)
      expect(response?.status).toBe(200)
      expect(response!.body.equals(expected)).toBe(true)
    } finally {
      expect((await server.stop()).code).toBe(0)
    }
  })

  it('stops on SIGTERM at once although idle keep-alive connections hold every thread', async () => {
    const server = await startServe(['--model=threads', '--workers=2'])
    const connections = await Promise.all([1, 2].map(() => PersistentConnection.open(server.port)))
    for (const connection of connections) expect((await connection.get('/hello')).status).toBe(200)
    const started = Date.now()
    expect((await server.stop('SIGTERM')).code).toBe(0)
    expect(Date.now() - started).toBeLessThan(2_000)
    await Promise.all(connections.map((c) => c.closed))
  })
})
