// What a load went through during a database outage, from its logged exchanges: per phase (steady,
// latency added, connections cut, after the restore) how many requests were answered, answered
// 503, answered anything else, or lost, and the longest wait; requests that hung to the timeout;
// and how long after the restore the pool was serving again. Pure: numbers in, numbers out.

export const OUTAGE_PHASES = ['steady', 'latency', 'cut', 'after'] as const
export type OutagePhase = (typeof OUTAGE_PHASES)[number]

export interface OutageExchange {
  sentAtMs: number
  doneAtMs: number
  /** An HTTP status, or why no answer came. */
  status: number | 'closed' | 'timeout' | 'refused'
}

export interface OutageMarks {
  /** Each phase starts at its mark (steady at 0) and ends at the next (after: at endMs). */
  latencyAtMs: number
  cutAtMs: number
  restoredAtMs: number
  endMs: number
}

export interface PhaseFigures {
  /** Requests sent in the phase. */
  sent: number
  /** Answered below 500 (200, and 409 for a write already in the asked state). */
  answered: number
  answered503: number
  /** Answered with any other status ≥ 500. */
  answeredOther5xx: number
  /** No answer: connection closed or reset, timeout, refused. */
  lost: number
  /** The longest time from send to answer (or loss), ms. */
  longestMs: number
}

export interface OutageFigures {
  phases: Record<OutagePhase, PhaseFigures>
  /** Requests with no answer within the request timeout: hangs. */
  timeouts: number
  /** Answers below 500 per second in the steady phase (median of binMs bins). */
  steadyPerSec: number
  /** From the restore to the first answer below 500 of a request sent after it, ms. */
  firstAnswerAfterRestoreMs: number | undefined
  /** From the restore to the end of the first bin back at ≥ 80% of steadyPerSec, ms. */
  recoveredAfterMs: number | undefined
  /** When the first 503 was answered, ms since the start (undefined: none): a 503 before the cut
   * would be a database failure the proxy did not cause. */
  first503AtMs: number | undefined
  /** From the restore to the last 503 answer to a request sent after it, ms (undefined: none). */
  last503AfterRestoreMs: number | undefined
}

export function phaseOf(atMs: number, marks: OutageMarks): OutagePhase {
  if (atMs < marks.latencyAtMs) return 'steady'
  if (atMs < marks.cutAtMs) return 'latency'
  if (atMs < marks.restoredAtMs) return 'cut'
  return 'after'
}

const isAnswered = (s: OutageExchange['status']): s is number => typeof s === 'number'

export function outageFigures(exchanges: readonly OutageExchange[], marks: OutageMarks, binMs = 100): OutageFigures {
  const phases = Object.fromEntries(
    OUTAGE_PHASES.map((p) => [p, { sent: 0, answered: 0, answered503: 0, answeredOther5xx: 0, lost: 0, longestMs: 0 }]),
  ) as Record<OutagePhase, PhaseFigures>
  let timeouts = 0
  for (const e of exchanges) {
    const figures = phases[phaseOf(e.sentAtMs, marks)]
    figures.sent++
    figures.longestMs = Math.max(figures.longestMs, e.doneAtMs - e.sentAtMs)
    if (!isAnswered(e.status)) {
      figures.lost++
      if (e.status === 'timeout') timeouts++
    } else if (e.status === 503) figures.answered503++
    else if (e.status >= 500) figures.answeredOther5xx++
    else figures.answered++
  }
  const good = exchanges.filter((e) => isAnswered(e.status) && e.status < 500).map((e) => e.doneAtMs)
  const rate = (from: number): number => (good.filter((t) => t >= from && t < from + binMs).length * 1000) / binMs
  const steadyBins: number[] = []
  for (let from = 0; from + binMs <= marks.latencyAtMs; from += binMs) steadyBins.push(rate(from))
  steadyBins.sort((a, b) => a - b)
  const steadyPerSec = steadyBins[Math.floor(steadyBins.length / 2)] ?? 0

  let recoveredAfterMs: number | undefined
  for (let from = marks.restoredAtMs; from + binMs <= marks.endMs; from += binMs) {
    if (rate(from) >= 0.8 * steadyPerSec && steadyPerSec > 0) {
      recoveredAfterMs = Math.round(from + binMs - marks.restoredAtMs)
      break
    }
  }
  const answered503 = exchanges.filter((e) => e.status === 503).map((e) => e.doneAtMs)
  const afterRestore = exchanges.filter((e) => e.sentAtMs >= marks.restoredAtMs)
  const firstOk = afterRestore.filter((e) => isAnswered(e.status) && e.status < 500).map((e) => e.doneAtMs)
  const late503 = afterRestore.filter((e) => e.status === 503).map((e) => e.doneAtMs)
  return {
    phases,
    timeouts,
    steadyPerSec,
    firstAnswerAfterRestoreMs: firstOk.length > 0 ? Math.round(Math.min(...firstOk) - marks.restoredAtMs) : undefined,
    recoveredAfterMs,
    first503AtMs: answered503.length > 0 ? Math.min(...answered503) : undefined,
    last503AfterRestoreMs: late503.length > 0 ? Math.round(Math.max(...late503) - marks.restoredAtMs) : undefined,
  }
}
