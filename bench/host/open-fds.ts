// Open file descriptors of a process tree, counted from /proc/<pid>/fd (proc(5)): sockets, files,
// pipes, epoll and event fds alike. A leak of any of them shows here before the limit bites.

import { readdirSync } from 'node:fs'
import type { ProcStat } from './process-tree.js'

/** Open fds of one process, or 0 when it is gone (or its fd directory cannot be read). */
export function openFdCount(pid: number): number {
  try {
    return readdirSync(`/proc/${pid}/fd`).length
  } catch {
    return 0
  }
}

/** Open fds summed over the members of a tree (listProcessTree/sampleProcessTree). */
export function treeOpenFds(tree: readonly ProcStat[]): number {
  let fds = 0
  for (const member of tree) fds += openFdCount(member.pid)
  return fds
}
