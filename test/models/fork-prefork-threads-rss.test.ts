// The multi-process and multi-thread models must not leak: the resident set of the whole server
// (VmRSS of the serve process plus every descendant: prefork workers, fork children; threads live
// inside their process) after 10,000 requests stays within 20% of what it was after 1,000.
//
// Requests run keep-alive over a few persistent connections that stay open across both readings,
// so the same processes and threads are measured twice. For fork that means one child per
// connection doing all of that connection's requests: a fresh process per request would measure
// process start-up, not a leak, and 10,000 forks take minutes here (~0.17 CPU-seconds each).
//
// As in rss-growth.case.ts (which explains both choices): the paths are /hello and the static home
// page, and every process runs with a small heap (NODE_OPTIONS reaches fork children and cluster
// workers through the environment), so V8 growing its heap to its defaults is not mistaken for a
// leak, nor does it hide one. Threads cap their young generation themselves (threads.ts).
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { childPids, startServe } from '../helpers/serve-process.js'
import { PersistentConnection } from './persistent-connection.js'

const PATHS = ['/hello', '/']
const SMALL_HEAP = '--max-semi-space-size=1 --max-old-space-size=64'

// Few processes and threads: each one adds its own baseline (~50–70 MB a process, ~15 MB a
// thread) to the sum, and a larger sum dilutes the growth a leak causes.
const CASES = [
  { model: 'fork', connections: 2, args: ['--max-procs=2'] },
  { model: 'prefork', connections: 8, args: ['--workers=2'] },
  // one thread per connection: as many threads as connections, or the rest would wait
  { model: 'threads', connections: 2, args: ['--workers=2'] },
]

function vmRssKiB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) : 0
  } catch {
    return 0 // ended between listing and reading
  }
}

async function treeRssKiB(root: number): Promise<{ kib: number; processes: number }> {
  const pids = [root]
  for (let i = 0; i < pids.length; i++) pids.push(...(await childPids(pids[i]!)))
  return { kib: pids.reduce((sum, pid) => sum + vmRssKiB(pid), 0), processes: pids.length }
}

/** `count` requests spread over the connections, each connection one request at a time. */
async function load(connections: PersistentConnection[], count: number): Promise<Map<number, number>> {
  const statuses = new Map<number, number>()
  let next = 0
  await Promise.all(
    connections.map(async (connection) => {
      while (next < count) {
        const response = await connection.get(PATHS[next++ % PATHS.length]!)
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
      }
    }),
  )
  return statuses
}

describe.each(CASES)('model $model memory', ({ model, connections: count, args }) => {
  it('keeps the RSS of its process tree after 10,000 requests within 20% of its RSS after 1,000', async () => {
    // idle keep-alive connections must outlive the pauses between the readings
    const server = await startServe([`--model=${model}`, '--keep-alive-timeout-ms=60000', ...args], {
      env: { NODE_OPTIONS: [process.env.NODE_OPTIONS, SMALL_HEAP].filter(Boolean).join(' ') },
    })
    try {
      const connections = await Promise.all(Array.from({ length: count }, () => PersistentConnection.open(server.port)))
      expect([...(await load(connections, 1_000))]).toEqual([[200, 1_000]])
      const after1k = await treeRssKiB(server.child.pid!)
      expect([...(await load(connections, 9_000))]).toEqual([[200, 9_000]])
      const after10k = await treeRssKiB(server.child.pid!)
      for (const connection of connections) connection.close()
      const growth = (after10k.kib / after1k.kib - 1) * 100
      console.info(
        `${model}: tree VmRSS ${after1k.kib} kB (${after1k.processes} processes) after 1,000 requests, ` +
          `${after10k.kib} kB (${after10k.processes}) after 10,000 (${growth.toFixed(1)}%)`,
      )
      expect(after10k.processes).toBe(after1k.processes)
      expect(after10k.kib).toBeLessThanOrEqual(after1k.kib * 1.2)
    } finally {
      expect((await server.stop()).code).toBe(0)
    }
  }, 120_000)
})
