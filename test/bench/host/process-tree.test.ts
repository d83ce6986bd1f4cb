import { spawn, type ChildProcess } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { listProcessTree, procUnits, readProcStat, sampleProcessTree, treeCpuTicks, treeRssBytes } from '../../../bench/host/process-tree.js'

let children: ChildProcess[] = []
afterEach(() => {
  // the grandchildren too: a killed shell would leave its sleeps behind
  for (const child of children) {
    for (const member of listProcessTree(child.pid!).reverse()) {
      try { process.kill(member.pid, 'SIGKILL') } catch { /* already gone */ }
    }
  }
  children = []
})

const settle = () => new Promise((resolve) => setTimeout(resolve, 200))

describe('process tree from /proc', () => {
  it('finds children and grandchildren, by full scan and by children files alike', async () => {
    // sh → (sleep, sleep): a child with two grandchildren
    const shell = spawn('sh', ['-c', 'sleep 5 & sleep 5; wait'])
    const direct = spawn('sleep', ['5'])
    children.push(shell, direct)
    await settle()
    const full = listProcessTree(process.pid).map((member) => member.pid).sort()
    const sampled = sampleProcessTree(process.pid).map((member) => member.pid).sort()
    expect(full).toEqual(sampled)
    expect(full).toEqual(expect.arrayContaining([process.pid, shell.pid!, direct.pid!]))
    const grandchildren = listProcessTree(process.pid).filter((member) => member.ppid === shell.pid)
    expect(grandchildren).toHaveLength(2)
  })

  it('returns an empty tree for a pid that does not exist', () => {
    expect(listProcessTree(2 ** 22 + 1)).toEqual([])
    expect(sampleProcessTree(2 ** 22 + 1)).toEqual([])
    expect(readProcStat(2 ** 22 + 1)).toBeNull()
  })

  it('moves an exited child’s CPU into its parent’s cutime, so the tree total does not drop', async () => {
    const before = treeCpuTicks(listProcessTree(process.pid))
    // a child that burns ~0.3 s of CPU and exits; node reaps it
    const child = spawn(process.execPath, ['-e', 'const s = process.cpuUsage(); while (process.cpuUsage(s).user < 300000) {}'])
    await new Promise((resolve) => child.on('exit', resolve))
    const after = listProcessTree(process.pid)
    expect(after.map((member) => member.pid)).not.toContain(child.pid)
    expect(readProcStat(process.pid)!.childCpuTicks).toBeGreaterThanOrEqual(25)
    expect(treeCpuTicks(after) - before).toBeGreaterThanOrEqual(25) // ≥ 0.25 s at 100 ticks/s
  })

  it('sums the resident memory of the tree in bytes', () => {
    const rss = treeRssBytes(listProcessTree(process.pid))
    expect(rss).toBeGreaterThan(10 * 1024 * 1024)
    expect(rss % procUnits().pageSize).toBe(0)
  })

  it('asks the system for clock ticks and page size once: 100 and 4096 on Linux x86-64', () => {
    expect(procUnits()).toEqual({ clockTicksPerSec: 100, pageSize: 4096 })
    expect(procUnits()).toBe(procUnits())
  })
})
