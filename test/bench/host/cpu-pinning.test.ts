import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseCheckArgs } from '../../../bench/cli/check-args.js'
import { pinnedCommand, planPinning } from '../../../bench/host/cpu-pinning.js'
import { startServerProcess } from '../../../bench/driver/server-process.js'

const fake = resolve(import.meta.dirname, '../fixtures/fake-server.mjs')

/** The CPUs `pid` may run on, as taskset prints them ("1", "0,1", "0-1"). */
function affinityOf(pid: number): string {
  const r = spawnSync('taskset', ['-c', '-p', String(pid)], { encoding: 'utf8' })
  expect(r.status).toBe(0)
  return /: (\S+)\s*$/.exec(r.stdout)![1]!
}

const plan = planPinning()
/** Why this machine cannot pin, or undefined. In CI (this 2-core Linux VM, util-linux installed)
 * it must be able to: the test then runs and fails rather than skip. */
const cannotPin = 'unavailable' in plan && process.env.CI !== 'true' ? plan.unavailable : undefined

describe('pinning the gate\'s load client and servers to separate CPUs', () => {
  it('puts the client on CPU 0 and the servers on CPU 1 on a Linux machine with 2 CPUs and taskset', () => {
    expect(planPinning(2, 'linux', () => true)).toEqual({ client: 0, server: 1 })
    expect(planPinning(8, 'linux', () => true)).toEqual({ client: 0, server: 1 })
  })

  it.each([
    [1, 'linux', true, /needs 2 CPUs \(this process may use 1\)/],
    [4, 'darwin', true, /needs Linux \(this is darwin\)/],
    [4, 'linux', false, /needs `taskset` \(util-linux\), which is not on PATH/],
  ] as const)('says why it cannot pin with %i CPU(s) on %s (taskset: %s)', (cpus, platform, taskset, why) => {
    const plan = planPinning(cpus, platform, () => taskset)
    expect('unavailable' in plan && plan.unavailable).toMatch(why)
  })

  it('runs a pinned command through taskset, which execs it', () => {
    expect(pinnedCommand(1, '/usr/bin/node', ['serve.js', '--port=0'])).toEqual({ file: 'taskset', args: ['-c', '1', '/usr/bin/node', 'serve.js', '--port=0'] })
  })

  it('pins at --update only when asked (--pin), and the baseline records it for every check', () => {
    const pinned = parseCheckArgs(['--update', '--pin'], '/b')
    const free = parseCheckArgs(['--update'], '/b')
    expect(pinned !== 'help' && pinned.config.pin).toBe(true)
    expect(free !== 'help' && free.config.pin).toBe(false)
    expect(() => parseCheckArgs(['--pin'], '/b')).toThrow(/--pin only applies with --update/)
  })

  it.skipIf(cannotPin !== undefined)(`binds every thread of the checking process, and what it starts later (wrk), to the client's CPU${cannotPin !== undefined ? ` (skipped: ${cannotPin})` : ''}`, () => {
    const pinning = resolve(import.meta.dirname, '../../../dist/bench/host/cpu-pinning.js') // npm test builds dist/ first
    const script = `
      const { pinThisProcess } = await import(${JSON.stringify(pinning)})
      const { spawnSync } = await import('node:child_process')
      pinThisProcess(1)
      const own = spawnSync('taskset', ['-a', '-c', '-p', String(process.pid)], { encoding: 'utf8' }).stdout
      const child = spawnSync('sh', ['-c', 'taskset -c -p $$'], { encoding: 'utf8' }).stdout
      console.log(JSON.stringify({ own, child }))`
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
    expect(r.status).toBe(0)
    const { own, child } = JSON.parse(r.stdout) as { own: string; child: string }
    const threads = own.trim().split('\n')
    expect(threads.length).toBeGreaterThan(1) // node's own threads (V8 platform, libuv) are there too
    for (const line of threads) expect(line).toMatch(/: 1$/)
    expect(child.trim()).toMatch(/: 1$/)
  })

  it.skipIf(cannotPin !== undefined)(`starts a server that may run on the given CPU only (its pid is the server's, not a wrapper's)${cannotPin !== undefined ? ` (skipped: ${cannotPin})` : ''}`, async () => {
    const server = await startServerProcess({ entry: fake, args: ['--port=0', '--host=127.0.0.1'], cpu: 1 })
    try {
      expect(affinityOf(server.pid)).toBe('1')
      const res = await fetch(`${server.origin}/hello`)
      expect(res.status).toBe(200)
    } finally {
      await server.stop()
    }
  })
})
