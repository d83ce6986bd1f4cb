// The top of every report page: when the run started, the file it was rendered from, the machine,
// Node and the commit — so a figure copied out of a report keeps where it came from.

import type { RunResults } from '../driver/run-results.js'

export function runHeader(results: Pick<RunResults, 'startedAt' | 'machine' | 'node' | 'git'>, jsonName: string): string[] {
  const { machine, git } = results
  return [
    `# Benchmark report — ${results.startedAt.slice(0, 19).replace('T', ' ')} UTC`,
    '',
    `Rendered from [\`${jsonName}\`](${jsonName}) (every raw sample is there).`,
    '',
    `- Machine: ${machine.cpuModel}, ${machine.cores} cores, ${(machine.memoryBytes / 2 ** 30).toFixed(1)} GiB, load average ${machine.loadAverage.join(' / ')} at start`,
    `- Node ${results.node}, commit ${git.commit?.slice(0, 10) ?? 'unknown'}${git.dirty === true ? ' (with uncommitted changes)' : ''}`,
  ]
}
