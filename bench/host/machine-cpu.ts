// The whole machine's CPU time, from the first line of /proc/stat: how busy every core was between
// two readings, whoever used them (a server's forked children, the kernel's network work, another
// process). Linux only; elsewhere readMachineCpu() returns null and callers go on without it.
import { readFileSync } from 'node:fs'

export interface MachineCpu {
  /** Jiffies spent not idle (user, nice, system, irq, softirq, steal), summed over every core. */
  busy: number
  /** All jiffies, idle and iowait included, summed over every core. */
  total: number
}

/** The aggregate `cpu` line of /proc/stat; throws on text that has none. */
export function parseProcStatCpu(text: string): MachineCpu {
  const line = text.split('\n').find((l) => l.startsWith('cpu '))
  if (line === undefined) throw new Error('no aggregate "cpu" line in /proc/stat')
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number)
  const busy = user + nice + system + irq + softirq + steal
  return { busy, total: busy + idle + iowait }
}

export function readMachineCpu(): MachineCpu | null {
  try {
    return parseProcStatCpu(readFileSync('/proc/stat', 'utf8'))
  } catch {
    return null
  }
}

/** Cores busy between two readings (0 … the number of cores). */
export function busyCores(before: MachineCpu, after: MachineCpu, cores: number): number {
  const total = after.total - before.total
  return total > 0 ? ((after.busy - before.busy) / total) * cores : 0
}
