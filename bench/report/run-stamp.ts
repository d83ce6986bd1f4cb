// Where and how a fault or soak run was made, as its JSON records it and its report
// says it: the command, the date, the commit (and uncommitted changes), the machine and Node.

import { gitInfo, machineInfo, type Machine } from '../host/machine.js'

export interface RunStamp {
  command: string
  date: string
  commit: string | null
  dirty: boolean | null
  machine: Machine
  node: string
}

/** The stamp of a run starting now. */
export function runStamp(command: string): RunStamp {
  const git = gitInfo()
  return { command, date: new Date().toISOString(), commit: git.commit, dirty: git.dirty, machine: machineInfo(), node: process.version }
}

/** One Markdown line: `command` — date, commit, machine, Node, load average. */
export function stampLine(h: RunStamp): string {
  return `\`${h.command}\` — ${h.date}, commit ${h.commit ?? 'unknown'}${h.dirty ? ' (uncommitted changes)' : ''}, ` +
    `${h.machine.cores} × ${h.machine.cpuModel}, Node ${h.node}, load average at the start ${h.machine.loadAverage.map((l) => l.toFixed(2)).join(' ')}.`
}
