// Progress on stderr while cells run: which cell, i/N, elapsed and an estimate of what is left.
// It only listens to the runner's events (Progress.attach); the runner knows nothing of terminals.
// On a TTY one bar redrawn in place (finished cells that failed are printed above it, loudly);
// otherwise (CI logs, pipes) one plain line per finished cell, so logs stay readable.

import { formatClock, formatRps } from '../report/format.js'
import { starvedLabel } from '../report/fairness-format.js'
import { isStarved, summarizeFairness } from '../report/fairness-summary.js'
import { ceilingLines } from '../report/table.js'
import { describeCell, type Cell } from '../driver/matrix.js'
import type { CellResult } from '../driver/run-cell.js'
import type { BenchEvents } from '../driver/run-bench.js'

export interface ProgressStream {
  write(text: string): unknown
  isTTY?: boolean
  columns?: number
}

const BAR_WIDTH = 24

export class Progress {
  readonly #stream: ProgressStream
  #total: number
  /** Seconds one cell is expected to take before any has finished (matrix.ts arithmetic). */
  readonly #guessSec: number
  readonly #started = Date.now()
  #done = 0
  #timer: NodeJS.Timeout | undefined
  #current: { cell: Cell; index: number } | undefined

  constructor(stream: ProgressStream, total: number, guessSecPerCell: number) {
    this.#stream = stream
    this.#total = total
    this.#guessSec = guessSecPerCell
  }

  /** A progress display for one run: notes first, then a bar or one line per cell, then the total. */
  static attach(events: BenchEvents, stream: ProgressStream): void {
    let progress: Progress | undefined
    events.on('run-start', (plan) => {
      for (const note of plan.notes) stream.write(`note: ${note}\n`)
      stream.write(`${plan.summary}\n`)
      progress = new Progress(stream, plan.cells.length, plan.secondsPerCellGuess)
    })
    events.on('ceilings-start', (plan, seconds) => {
      stream.write(`measuring driver ceilings against the null server, ${seconds} s each: ${plan.map((p) => `${p.driver} ${p.mode} c=${p.connections}`).join(', ')}\n`)
    })
    events.on('ceilings-done', (ceilings) => {
      for (const line of ceilingLines(ceilings).slice(1)) stream.write(`${line}\n`)
    })
    events.on('cell-start', (cell, index, total) => progress?.start(cell, index, total))
    events.on('cell-done', (result) => progress?.done(result))
    events.on('run-done', () => progress?.finish())
  }

  get tty(): boolean {
    return this.#stream.isTTY === true
  }

  /** `total` grows when a group measures an extra round (its rounds were disturbed). */
  start(cell: Cell, index: number, total = this.#total): void {
    this.#current = { cell, index }
    this.#total = total
    if (!this.tty) return
    this.#draw()
    // redraw every second so elapsed time moves during a long cell
    this.#timer ??= setInterval(() => this.#draw(), 1000)
    this.#timer.unref()
  }

  done(result: CellResult): void {
    this.#done++
    const index = this.#current?.index ?? this.#done
    const line = `[${index}/${this.#total}] ${describeCell(result.cell)}: ${outcome(result)}`
    if (this.tty) {
      this.#clear()
      if (!result.ok) this.#stream.write(`\u001b[31;1m${line}\u001b[0m\n`)
      this.#draw()
    } else {
      this.#stream.write(`${line} · ${this.#clock()}\n`)
    }
  }

  finish(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer)
    if (this.tty) this.#clear()
    // a run of open-loop points only (--rate=LIST) has no closed-loop cells to count
    if (this.#total > 0) this.#stream.write(`${this.#done} cells in ${formatClock((Date.now() - this.#started) / 1000)}\n`)
  }

  /** Elapsed and an estimate of what is left: the mean cell so far, or the a-priori guess. */
  #clock(): string {
    const elapsed = (Date.now() - this.#started) / 1000
    const perCell = this.#done > 0 ? elapsed / this.#done : this.#guessSec
    return `${formatClock(elapsed)} elapsed, ~${formatClock(perCell * (this.#total - this.#done))} left`
  }

  #draw(): void {
    if (this.#current === undefined) return
    const filled = Math.round((this.#done / Math.max(1, this.#total)) * BAR_WIDTH)
    const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`
    const text = `${bar} ${this.#current.index}/${this.#total} ${describeCell(this.#current.cell)} · ${this.#clock()}`
    const width = this.#stream.columns ?? 120
    this.#stream.write(`\r\u001b[2K${text.slice(0, width - 1)}`)
  }

  #clear(): void {
    this.#stream.write('\r\u001b[2K')
  }
}

function outcome(result: CellResult): string {
  if (!result.ok) return `FAILED: ${result.failure ?? 'unknown reason'}`
  const rps = `${formatRps(result.load?.requestsPerSec ?? NaN)} req/s`
  // a starved cell's req/s came from the connections it served: never a plain number
  const fairness = summarizeFairness([result])
  return isStarved(fairness) ? `${starvedLabel(fairness)} (${rps} from the ${fairness.served} served)` : rps
}
