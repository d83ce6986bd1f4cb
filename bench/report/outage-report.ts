// The database-outage runs as Markdown: one table row per model × scenario with what the load went
// through in each phase, the recovery, and the write audit; the command, machine and commit above.

import type { OutageRun } from '../driver/run-outage.js'
import { stampLine, type RunStamp } from './run-stamp.js'

export interface OutageResults extends RunStamp {
  kind: 'database-outage'
  runs: OutageRun[]
}

const ms = (n: number | undefined): string => (n === undefined ? '–' : `${Math.round(n)} ms`)

function audit(run: OutageRun): string {
  const a = run.audit
  if (a === undefined) return '–'
  const verdict = a.ok ? 'exact' : `**FAILED**: ${a.problems.join('; ')}`
  const maybe = a.inDoubtApplied + a.inDoubtNotApplied
  return `${verdict}: ${a.writes2xx} 2xx, all in the table; ${a.writes5xx} 5xx: ${a.writes5xx - maybe} said nothing was written, ${a.fivexxApplied} of them in the table` +
    `${maybe > 0 ? `; ${maybe} said "may have been applied", ${a.inDoubtApplied} of them were` : ''}` +
    `${a.writesLost > 0 ? `; ${a.writesLost} lost (${a.lostApplied} landed)` : ''}`
}

export function renderOutageReport(results: OutageResults): string {
  const first = results.runs[0]
  const phases = first === undefined ? '' :
    `${first.phasesMs.steady / 1000} s steady, ${first.phasesMs.latency / 1000} s with ${first.phasesMs.addedLatency} ms added each way, ` +
    `${first.phasesMs.cut / 1000} s cut (every connection dropped, new ones refused), ${first.phasesMs.after / 1000} s after the restore; ` +
    `${first.connections} keep-alive connections; a request unanswered in ${first.requestTimeoutMs} ms is a hang`
  const rows = results.runs.map((r) => {
    const f = r.figures
    const p = f.phases
    const answered = (x: typeof p.steady) => `${x.answered} / ${x.answered503}${x.answeredOther5xx > 0 ? ` / **${x.answeredOther5xx} other 5xx**` : ''}`
    const lost = p.steady.lost + p.latency.lost + p.cut.lost + p.after.lost
    const longest = Math.max(p.steady.longestMs, p.latency.longestMs, p.cut.longestMs, p.after.longestMs)
    const survived = r.serverSurvived && r.exit.code === 0 && r.exit.leftoverPids.length === 0 ? 'yes' : `**no** (exit ${r.exit.code}, leftover ${r.exit.leftoverPids.length})`
    return `| ${r.model} | ${r.scenario} | ${Math.round(f.steadyPerSec)} | ${answered(p.latency)} | ${answered(p.cut)} | ${lost} (${f.timeouts} hung) | ${ms(longest)} (cut: ${ms(p.cut.longestMs)}) | ${ms(f.firstAnswerAfterRestoreMs)} / ${ms(f.recoveredAfterMs)} | ${answered(p.after)} | ${survived} | ${audit(r)} |`
  })
  return [
    '# A database that goes away under load',
    '',
    stampLine(results),
    '',
    `Phases: ${phases}. Requests are counted in the phase they were sent in; "answered / 503" counts answers below 500 (200, and 409 for a write already in the asked state) and 503s. ` +
      'The load is a closed loop, so every connection always has a request in flight: the 503s of the latency phase are the requests in flight when the cut came, ' +
      'and the answers of the cut phase those in flight when the database came back. The write audit follows every write of every connection (bench/driver/write-ledger.ts).',
    '',
    '| model | scenario | steady answers/s | latency: answered / 503 | cut: answered / 503 | lost | longest answer | after restore: first answer / throughput back | after: answered / 503 | server lived, stopped clean | write audit |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|',
    ...rows,
    '',
  ].join('\n')
}
