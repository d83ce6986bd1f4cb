// CPU and memory of a process tree, read from Linux /proc (proc(5)).
// The tree is a pid plus all its descendants, found by scanning every /proc/<pid>/stat for
// its parent pid: prefork workers, fork-per-connection children and their children all count.
// Threads live inside their process, so worker threads are counted with it.
//
// CPU ticks of the tree = Σ over members of utime+stime+cutime+cstime. cutime/cstime hold
// the CPU of children that exited and were waited for (the fork model's per-connection children
// land in the server's), and a child's own cutime moves to its parent when it is reaped, so
// nothing is counted twice. A delta between two readings is the tree's CPU over that window.
// RSS = Σ resident pages (statm field 2) × page size: shared pages are counted once per process,
// the usual (pessimistic) figure.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import type { ServerUsage } from '../types.js'

export interface ProcStat {
  pid: number
  ppid: number
  /** R, S, D, Z (zombie), ... */
  state: string
  /** utime+stime+cutime+cstime, in clock ticks. */
  cpuTicks: number
  /** cutime+cstime alone: exited children that were waited for. */
  childCpuTicks: number
  /** Start time after boot in clock ticks: with the pid, identifies one process even if the pid is reused. */
  startTicks: number
}

let units: { clockTicksPerSec: number; pageSize: number } | undefined

/**
 * USER_HZ and the page size, asked once per process from getconf (never per sample). On Linux
 * x86-64 and arm64 they are 100 and 4096 (confirmed here with `getconf CLK_TCK` / `getconf PAGESIZE`),
 * which are the fallbacks if getconf is missing.
 */
export function procUnits(): { clockTicksPerSec: number; pageSize: number } {
  if (units === undefined) {
    const ask = (name: string, fallback: number): number => {
      try {
        const value = Number(execFileSync('getconf', [name], { encoding: 'utf8' }).trim())
        return Number.isInteger(value) && value > 0 ? value : fallback
      } catch {
        return fallback
      }
    }
    units = { clockTicksPerSec: ask('CLK_TCK', 100), pageSize: ask('PAGESIZE', 4096) }
  }
  return units
}

/** /proc/<pid>/stat, or null when the process is gone. The comm field may hold spaces and ')', so fields are counted from the last ')'. */
export function readProcStat(pid: number): ProcStat | null {
  let text: string
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'latin1')
  } catch {
    return null
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
  // fields[0] is field 3 (state) of proc(5); utime is field 14 → fields[11]
  const number = (field: number): number => Number(fields[field - 3])
  return {
    pid,
    ppid: number(4),
    state: fields[0]!,
    cpuTicks: number(14) + number(15) + number(16) + number(17),
    childCpuTicks: number(16) + number(17),
    startTicks: number(22),
  }
}

/**
 * The root and all its descendants. Zombies (exited, not yet waited for) stay in: their CPU is
 * still in their own stat until the parent reaps them into its cutime; their RSS is 0.
 */
export function listProcessTree(rootPid: number): ProcStat[] {
  const root = readProcStat(rootPid)
  if (root === null) return []
  const children = new Map<number, ProcStat[]>()
  for (const name of readdirSync('/proc')) {
    const first = name.charCodeAt(0)
    if (first < 0x30 || first > 0x39) continue
    const stat = readProcStat(Number(name))
    if (stat === null) continue
    const siblings = children.get(stat.ppid)
    if (siblings === undefined) children.set(stat.ppid, [stat])
    else siblings.push(stat)
  }
  const tree = [root]
  for (let i = 0; i < tree.length; i++) {
    for (const child of children.get(tree[i]!.pid) ?? []) tree.push(child)
  }
  return tree
}

let childrenFilesWork: boolean | undefined

/**
 * The same tree found through /proc/<pid>/task/<tid>/children (Linux ≥ 3.5, CONFIG_PROC_CHILDREN):
 * a few reads per member instead of one per process on the machine (~5 ms per full scan here).
 * proc(5) calls that file reliable only while children are not being created or exiting, so it
 * serves the frequent RSS samples; CPU start and end readings use the full scan. Falls back to
 * the full scan where the file does not exist.
 */
export function sampleProcessTree(rootPid: number): ProcStat[] {
  if (childrenFilesWork === false) return listProcessTree(rootPid)
  const root = readProcStat(rootPid)
  if (root === null) return []
  const tree = [root]
  for (let i = 0; i < tree.length; i++) {
    const pid = tree[i]!.pid
    let tasks: string[]
    try {
      tasks = readdirSync(`/proc/${pid}/task`)
    } catch {
      continue // exited meanwhile
    }
    for (const tid of tasks) {
      let text: string
      try {
        text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1')
        childrenFilesWork = true
      } catch {
        if (childrenFilesWork === undefined && existsSync(`/proc/${pid}/task/${tid}`)) {
          childrenFilesWork = false
          return listProcessTree(rootPid)
        }
        continue
      }
      for (const child of text.split(' ')) {
        if (child.trim() === '') continue
        const stat = readProcStat(Number(child))
        if (stat !== null) tree.push(stat)
      }
    }
  }
  return tree
}

/** Total CPU clock ticks of the tree so far (see the top of the file for what is included). */
export function treeCpuTicks(tree: ProcStat[]): number {
  let ticks = 0
  for (const member of tree) ticks += member.cpuTicks
  return ticks
}

/** Summed resident set size of the tree in bytes. */
export function treeRssBytes(tree: ProcStat[]): number {
  const { pageSize } = procUnits()
  let pages = 0
  for (const member of tree) {
    try {
      pages += Number(readFileSync(`/proc/${member.pid}/statm`, 'latin1').split(' ')[1])
    } catch {
      // exited between the scan and this read: it holds no memory any more
    }
  }
  return pages * pageSize
}

/** True while this exact process (pid and start time) is alive and not a zombie. */
export function isSameProcessAlive(member: Pick<ProcStat, 'pid' | 'startTicks'>): boolean {
  const now = readProcStat(member.pid)
  return now !== null && now.state !== 'Z' && now.startTicks === member.startTicks
}

export interface UsageMeter {
  /** Ends the window: CPU since measure() began, and the highest summed RSS seen in between. */
  stop(): ServerUsage
}

/** RSS is sampled this often; a spike shorter than this can be missed (one /proc scan costs well under 1 ms here). */
export const RSS_SAMPLE_MS = 100

/** Starts measuring the tree under rootPid now. */
export function measureProcessTree(rootPid: number): UsageMeter {
  const { clockTicksPerSec } = procUnits()
  const first = listProcessTree(rootPid)
  const startTicks = treeCpuTicks(first)
  let peakRssBytes = treeRssBytes(first)
  let last = first
  const sample = (): void => {
    const tree = sampleProcessTree(rootPid)
    if (tree.length > 0) last = tree
    peakRssBytes = Math.max(peakRssBytes, treeRssBytes(tree))
  }
  const timer = setInterval(sample, RSS_SAMPLE_MS)
  timer.unref()
  let result: ServerUsage | undefined
  return {
    stop(): ServerUsage {
      if (result === undefined) {
        clearInterval(timer)
        sample()
        // The full scan again for CPU; if the root has already exited (stop the meter before the
        // server), the last sample is the best reading left.
        const end = listProcessTree(rootPid)
        const endTicks = treeCpuTicks(end.length > 0 ? end : last)
        result = { cpuSec: Math.max(0, endTicks - startTicks) / clockTicksPerSec, peakRssBytes }
      }
      return result
    },
  }
}
