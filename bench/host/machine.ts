// The machine and checkout a run measured on, as every results file records them: a busy
// neighbour shows in the load average, an unfinished change in `dirty`.

import { execFileSync } from 'node:child_process'
import { cpus, freemem, hostname, loadavg, totalmem } from 'node:os'
import { repoRoot } from './paths.js'

export interface Machine {
  cpuModel: string
  cores: number
  memoryBytes: number
  freeMemoryBytes: number
  /** 1, 5 and 15 minute load averages when the run started: a busy neighbour shows here. */
  loadAverage: number[]
  platform: string
  arch: string
  hostname: string
}

export function machineInfo(): Machine {
  const list = cpus()
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryBytes: totalmem(),
    freeMemoryBytes: freemem(),
    loadAverage: loadavg().map((n) => Math.round(n * 100) / 100),
    platform: process.platform,
    arch: process.arch,
    hostname: hostname(),
  }
}

/** The checkout's commit and whether its tracked files differ from it; nulls outside a git checkout. */
export function gitInfo(cwd = repoRoot()): { commit: string | null; dirty: boolean | null } {
  const git = (...args: string[]): string | null => {
    try {
      return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    } catch {
      return null
    }
  }
  const commit = git('rev-parse', 'HEAD')
  const status = commit === null ? null : git('status', '--porcelain', '--untracked-files=no')
  return { commit, dirty: status === null ? null : status !== '' }
}
