import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { isSameProcessAlive, listProcessTree, readProcStat } from '../../../bench/host/process-tree.js'
import { startServerProcess, type ServerProcess } from '../../../bench/driver/server-process.js'
import { repoRoot } from '../../../bench/host/paths.js'

const fake = fileURLToPath(new URL('../fixtures/fake-server.mjs', import.meta.url))
const start = (...args: string[]) => startServerProcess({ entry: fake, args: ['--port=0', '--host=127.0.0.1', ...args] })

let server: ServerProcess | undefined
afterEach(async () => { await server?.stop(); server = undefined })

async function get(origin: string, path: string): Promise<string> {
  const response = await fetch(origin + path)
  return response.text()
}

describe('startServerProcess', () => {
  it('starts the entry with node and takes the origin from its listening line', async () => {
    server = await start()
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.pid).toBeGreaterThan(0)
    expect(await get(server.origin, '/')).toBe('fake')
  })

  it('fails with the server stderr when it exits before the listening line', async () => {
    await expect(start('--fail')).rejects.toThrow(/exited \(code 3[\s\S]*cannot open the database at mysql:\/\/nowhere/)
  })

  it('fails, and kills the process, when the listening line does not come in time', async () => {
    const error = await startServerProcess({ entry: fake, args: ['--silent'], readyTimeoutMs: 1500 }).catch((e: Error) => e)
    expect(error).toBeInstanceOf(Error)
    const message = (error as Error).message
    expect(message).toMatch(/did not print "listening on http:\/\/HOST:PORT" within 1500 ms/)
    const pid = Number(/\(pid (\d+), killed\)/.exec(message)?.[1])
    expect(pid).toBeGreaterThan(0)
    expect(readProcStat(pid)).toBeNull()
  })

  it('fails with a clear message when the entry does not exist', async () => {
    await expect(startServerProcess({ entry: '/nonexistent/serve.js', args: [] })).rejects.toThrow(/does not exist \(run `npm run build` first\)/)
  })
})

describe('stop()', () => {
  it('sends SIGTERM, returns exit code 0 and the stderr, and the server is gone', async () => {
    server = await start()
    const pid = server.pid
    const exit = await server.stop()
    expect(exit).toMatchObject({ code: 0, signal: null, leftoverPids: [] })
    expect(exit.stderr).toContain('fake-server: starting')
    expect(readProcStat(pid)).toBeNull()
  })

  it('leaves no children: workers that exit with their parent are not leftovers', async () => {
    server = await start('--children=2')
    const workers = JSON.parse(await get(server.origin, '/pids')) as number[]
    expect(workers).toHaveLength(2)
    const members = listProcessTree(server.pid)
    expect(members.map((member) => member.pid)).toEqual(expect.arrayContaining(workers))
    const exit = await server.stop()
    expect(exit.leftoverPids).toEqual([])
    for (const member of members) expect(isSameProcessAlive(member)).toBe(false)
  })

  it('kills children that outlive the server and reports them as leftovers', async () => {
    server = await start('--orphan')
    const [orphanPid] = JSON.parse(await get(server.origin, '/pids')) as number[]
    const orphan = readProcStat(orphanPid!)!
    const exit = await server.stop()
    expect(exit.leftoverPids).toEqual([orphanPid])
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(isSameProcessAlive(orphan)).toBe(false)
  })

  it('falls back to SIGKILL when SIGTERM is ignored', async () => {
    server = await startServerProcess({ entry: fake, args: ['--ignore-term'], stopTimeoutMs: 300 })
    const exit = await server.stop()
    expect(exit.signal).toBe('SIGKILL')
    expect(exit.code).toBeNull()
  })

  it('returns the same exit when called twice', async () => {
    server = await start()
    const [first, second] = await Promise.all([server.stop(), server.stop()])
    expect(second).toBe(first)
  })
})

describe('measure()', () => {
  it('counts CPU burnt in the server, in a child that exited and in a child still alive', async () => {
    server = await start()
    const meter = server.measure()
    await get(server.origin, '/burn?ms=300') // in the server process itself
    await get(server.origin, '/burn-exit?ms=300') // a child that exits: its CPU reaches the server's cutime
    await get(server.origin, '/burn-live?ms=300') // a child still alive when the window ends
    const usage = (await meter.stop())!
    // 0.9 s of busy loops plus two node start-ups; a loaded 2-core machine can steal some of it
    expect(usage.cpuSec).toBeGreaterThan(0.8)
    expect(usage.cpuSec).toBeLessThan(5)
  })

  it('does not count CPU used before the window began', async () => {
    server = await start()
    await get(server.origin, '/burn?ms=500')
    const meter = server.measure()
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect((await meter.stop())!.cpuSec).toBeLessThan(0.2)
  })

  it('reports the peak summed RSS of the server and its children', async () => {
    server = await start('--children=2')
    const alone = (await start()) // a second, childless server for comparison
    try {
      const withChildren = server.measure()
      const single = alone.measure()
      await new Promise((resolve) => setTimeout(resolve, 250))
      const peak = (await withChildren.stop())!.peakRssBytes
      const singlePeak = (await single.stop())!.peakRssBytes
      expect(singlePeak).toBeGreaterThan(10 * 1024 * 1024) // a node process holds tens of MB
      expect(peak).toBeGreaterThan(singlePeak * 2) // three node processes against one
    } finally {
      await alone.stop()
    }
  })

  it('reads /proc stat even when the process title holds spaces and parentheses', async () => {
    server = await start('--title=odd) name (x')
    expect(readFileSync(`/proc/${server.pid}/stat`, 'latin1')).toContain('(odd) name (x)')
    const stat = readProcStat(server.pid)!
    expect(stat.ppid).toBe(process.pid)
    expect(stat.state).toMatch(/^[RSD]$/)
  })
})

const serve = join(repoRoot(), 'dist', 'servers', 'serve.js')

describe('the real serve CLI (npm test builds dist/ first)', () => {
  it('starts --model=node-http, answers /hello, and stops cleanly', async () => {
    server = await startServerProcess({ args: ['--model=node-http', '--port=0', '--host=127.0.0.1', '--db=memory'] })
    const meter = server.measure()
    const response = await fetch(server.origin + '/hello')
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('Hello, World!')
    expect((await meter.stop())!.peakRssBytes).toBeGreaterThan(0)
    const exit = await server.stop()
    expect(exit).toMatchObject({ code: 0, leftoverPids: [] })
  })
})
