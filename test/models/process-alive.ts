// Whether a pid is still a live process (a zombie counts as gone: it has exited). Tests record a
// server's children before stopping it and check them afterwards: once the server has exited, its
// orphans are re-parented and no longer show up as its children.
import { readFileSync } from 'node:fs'

export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z'
  } catch {
    return false
  }
}
