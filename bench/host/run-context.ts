// Where and on what a gate measurement ran: the machine, Node, and the git commit (with a flag for
// uncommitted changes), recorded in every compare/check JSON and in results/baseline.json. A
// baseline from another machine is still usable because the gate stores ratios, but the record
// says so (DESIGN.md: "Never compare against absolute numbers from another machine").

import { spawnSync } from 'node:child_process'
import { cpus, hostname, totalmem } from 'node:os'

export interface RunContext {
  machine: { cpuModel: string; cores: number; memoryBytes: number; hostname: string; platform: string }
  node: string
  commit: string
  /** True when the working tree had uncommitted changes to tracked files. */
  dirty: boolean
}

function git(root: string, ...args: string[]): string | undefined {
  const r = spawnSync('git', args, { cwd: root, encoding: 'utf8' })
  return r.status === 0 ? r.stdout.trim() : undefined
}

export function runContext(root: string): RunContext {
  const cpu = cpus()
  return {
    machine: {
      cpuModel: cpu[0]?.model.trim() ?? 'unknown',
      cores: cpu.length,
      memoryBytes: totalmem(),
      hostname: hostname(),
      platform: `${process.platform}-${process.arch}`,
    },
    node: process.version,
    commit: git(root, 'rev-parse', 'HEAD') ?? 'unknown',
    dirty: (git(root, 'status', '--porcelain', '--untracked-files=no') ?? '') !== '',
  }
}
