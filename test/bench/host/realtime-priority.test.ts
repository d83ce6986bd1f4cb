import { spawn, spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { CLIENT_RT_PRIORITY, raiseToRealtime } from '../../../bench/host/realtime-priority.js'

/** The scheduling policy of every thread of `pid`, as `chrt -a -p` prints it (main thread first). */
function policiesOf(pid: number): string[] {
  const r = spawnSync('chrt', ['-a', '-p', String(pid)], { encoding: 'utf8' })
  expect(r.status).toBe(0)
  return r.stdout.split('\n').filter((l) => l.includes('scheduling policy')).map((l) => l.replace(/^.*: /, '').trim())
}

/** Root on Linux with util-linux's chrt (this VM, and CI on it) can grant realtime; elsewhere the test says why it skips. */
const probe = spawnSync('chrt', ['-p', String(process.pid)], { encoding: 'utf8' })
const canGrant = process.platform === 'linux' && probe.status === 0 && process.getuid?.() === 0
const cannot = canGrant || process.env.CI === 'true' ? undefined : 'realtime scheduling needs root (or CAP_SYS_NICE) and chrt'

describe('the open-loop client\'s realtime scheduling', () => {
  it.skipIf(cannot !== undefined)('puts a process\'s main thread under SCHED_FIFO, and the threads it starts afterwards, then gives the ordinary policy back', async () => {
    // a node process standing in for the load worker: it starts a worker thread (the client's wake
    // thread) when told to on stdin
    const script = "const { Worker } = require('node:worker_threads'); console.log('ready'); process.stdin.once('data', () => { new Worker('setInterval(() => {}, 1000)', { eval: true }).on('online', () => console.log('started')) })"
    const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'ignore'] })
    try {
      // raised once node has started (its V8 helper threads exist by then), as the load worker is
      // raised only when a run begins: raised before they exist, they would inherit the policy
      await new Promise((resolve) => child.stdout!.once('data', resolve))
      const before = policiesOf(child.pid!)
      const grant = raiseToRealtime(child.pid!)
      expect(grant.realtime).toBe(true)
      expect(grant.scheduling).toBe(`SCHED_FIFO ${CLIENT_RT_PRIORITY}`)
      // only the main thread: V8's helper threads stay ordinary (a realtime thread waiting on them would be an inversion)
      expect(policiesOf(child.pid!).filter((p) => p === 'SCHED_FIFO')).toHaveLength(1)
      const started = new Promise((resolve) => child.stdout!.once('data', resolve))
      child.stdin!.write('go\n')
      await started
      const after = policiesOf(child.pid!)
      expect(after.length).toBeGreaterThan(before.length)
      expect(after.filter((p) => p === 'SCHED_FIFO').length).toBeGreaterThan(1)
      grant.restore()
      expect(policiesOf(child.pid!)[0]).toBe('SCHED_OTHER')
    } finally {
      child.kill('SIGKILL')
    }
  })

  it('runs at its ordinary priority, saying why, when chrt refuses', () => {
    const grant = raiseToRealtime(123, 'linux', () => ({ ok: false, why: 'chrt: failed to set pid 123\'s policy: Operation not permitted' }))
    expect(grant.realtime).toBe(false)
    expect(grant.scheduling).toBe('normal (chrt: failed to set pid 123\'s policy: Operation not permitted)')
    expect(() => grant.restore()).not.toThrow()
  })

  it('does not try outside Linux', () => {
    let called = false
    const grant = raiseToRealtime(123, 'darwin', () => { called = true; return { ok: true, why: '' } })
    expect(called).toBe(false)
    expect(grant.scheduling).toMatch(/^normal \(.*this is darwin\)$/)
  })

  it('asks chrt for SCHED_FIFO on the main thread, then SCHED_OTHER on restore', () => {
    const calls: string[][] = []
    const grant = raiseToRealtime(42, 'linux', (args) => { calls.push(args); return { ok: true, why: '' } })
    grant.restore()
    expect(calls).toEqual([['-f', '-p', String(CLIENT_RT_PRIORITY), '42'], ['-o', '-p', '0', '42']])
  })

  it('says so loudly when the ordinary policy cannot be given back', () => {
    let n = 0
    const grant = raiseToRealtime(42, 'linux', () => (n++ === 0 ? { ok: true, why: '' } : { ok: false, why: 'No such process' }))
    expect(() => grant.restore()).toThrow(/could not give process 42 its ordinary scheduling back: No such process/)
  })
})
