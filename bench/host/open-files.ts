// How many connections this machine lets one process hold: the open-file limit (RLIMIT_NOFILE)
// of a process, read from /proc/<pid>/limits (proc(5)), and the loopback ephemeral port range
// that every client connection to one server takes a port from.
//
// Node has no setrlimit(), but it raises its own soft RLIMIT_NOFILE to the hard limit at start-up
// (src/node.cc, PlatformInit; measured here: a shell's `ulimit -Sn 1024` became 4000 = the hard
// limit inside node). Where that did not happen, prlimit(1) (util-linux) sets another process's
// limit through prlimit(2), which an unprivileged user may do to its own processes, so the driver
// raises its own and every process it starts afterwards (servers, crowd clients) inherits it.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

export interface OpenFileLimit {
  soft: number
  hard: number
}

/** The "Max open files" line of a /proc/<pid>/limits text; 'unlimited' reads as Infinity. */
export function parseOpenFileLimit(limitsText: string): OpenFileLimit | null {
  const line = limitsText.split('\n').find((l) => l.startsWith('Max open files'))
  if (line === undefined) return null
  const [soft, hard] = line.slice('Max open files'.length).trim().split(/\s+/)
  const value = (s: string | undefined): number => (s === 'unlimited' ? Infinity : Number(s))
  const limit = { soft: value(soft), hard: value(hard) }
  return Number.isNaN(limit.soft) || Number.isNaN(limit.hard) ? null : limit
}

/** A process's open-file limit, or null when it is gone (or /proc does not say). */
export function openFileLimit(pid: number | 'self' = 'self'): OpenFileLimit | null {
  try {
    return parseOpenFileLimit(readFileSync(`/proc/${pid}/limits`, 'latin1'))
  } catch {
    return null
  }
}

export interface RaisedLimit extends OpenFileLimit {
  /** What this process may open now and how it got there, in one sentence for the run's notes. */
  note: string
}

let raised: RaisedLimit | undefined

/**
 * Raise this process's soft open-file limit to its hard limit (once; later calls return the same
 * answer). Children started afterwards inherit the raised limit.
 */
export function raiseOwnOpenFileLimit(): RaisedLimit {
  if (raised !== undefined) return raised
  const before = openFileLimit()
  if (before === null) {
    raised = { soft: Infinity, hard: Infinity, note: 'open files: /proc/self/limits is not readable here, so the limit is not known' }
    return raised
  }
  if (before.soft >= before.hard) {
    raised = { ...before, note: `open files: ${fmt(before.soft)} per process, the hard limit (Node raises its soft limit to the hard one at start-up; the servers and clients inherit it)` }
    return raised
  }
  try {
    execFileSync('prlimit', [`--pid=${process.pid}`, `--nofile=${before.hard}:${before.hard}`], { stdio: 'ignore' })
  } catch (error) {
    raised = { ...before, note: `open files: ${fmt(before.soft)} per process; raising it to the hard limit ${fmt(before.hard)} with prlimit failed (${(error as Error).message.split('\n')[0]})` }
    return raised
  }
  const after = openFileLimit() ?? before
  raised = { ...after, note: `open files: raised this driver's soft limit from ${fmt(before.soft)} to ${fmt(after.soft)} (the hard limit) with prlimit; the servers and clients it starts inherit it` }
  return raised
}

/** How many local ports connections to one server address can use: /proc/sys/net/ipv4/ip_local_port_range. */
export function ephemeralPortCount(): number {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'latin1').trim().split(/\s+/).map(Number)
    if (low !== undefined && high !== undefined && high >= low) return high - low + 1
  } catch {
    // not Linux, or not readable: Linux's default range 32768–60999
  }
  return 28_232
}

const fmt = (n: number): string => (Number.isFinite(n) ? n.toLocaleString('en-US') : 'unlimited')
