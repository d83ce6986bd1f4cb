// Run a fuzz range in worker threads under a watchdog. A case still running after hangMs is a
// hang: the worker is ended, the case recorded as FAIL hang, the cases before it in that piece run
// again in a new worker (they are deterministic, and the ended worker's tally is lost with it),
// and the run goes on after it. A worker that dies (an error thrown outside the per-case
// handling) is a crash, recorded the same way. The reports of the pieces are merged into one.
import { Worker } from 'node:worker_threads'
import type { WorkerInput } from './fuzz-worker.js'
import { describeCase, sortKinds, type CaseResult, type FuzzReport, type KindCount } from './run-fuzz.js'

// Our parser is linear in its input and a case is under 200 bytes: a typical case takes ~70 µs,
// the slowest seen ~50 ms (a GC pause). Two seconds is a stuck loop, not a slow case.
export const HANG_MS = 2000
const WATCH_EVERY_MS = 100

type Piece = { report: FuzzReport } | { stuckAt: number; why: 'hang' | 'crash'; detail: string }

function runPiece(seed: number, first: number, cases: number, hangMs: number): Promise<Piece> {
  const progress = new SharedArrayBuffer(4)
  const view = new Int32Array(progress)
  Atomics.store(view, 0, first)
  const input: WorkerInput = { seed, first, cases, progress }
  const worker = new Worker(new URL('./fuzz-worker.js', import.meta.url), { workerData: input })
  return new Promise((resolve) => {
    let last = first
    let since = performance.now()
    let settled = false
    const settle = (piece: Piece): void => {
      if (settled) return
      settled = true
      clearInterval(watch)
      void worker.terminate()
      resolve(piece)
    }
    const watch = setInterval(() => {
      const now = Atomics.load(view, 0)
      if (now !== last) {
        last = now
        since = performance.now()
      } else if (performance.now() - since > hangMs) {
        settle({ stuckAt: now, why: 'hang', detail: `no progress for ${hangMs} ms` })
      }
    }, WATCH_EVERY_MS)
    worker.once('message', (report: FuzzReport) => settle({ report }))
    worker.once('error', (error) => settle({ stuckAt: Atomics.load(view, 0), why: 'crash', detail: String(error?.stack ?? error) }))
    worker.once('exit', (code) => settle({ stuckAt: Atomics.load(view, 0), why: 'crash', detail: `worker exited with ${code}` }))
  })
}

export async function fuzzInWorkers(seed: number, cases: number, options: { first?: number; hangMs?: number } = {}): Promise<FuzzReport> {
  const first = options.first ?? 0
  const hangMs = options.hangMs ?? HANG_MS
  const started = performance.now()
  const kinds = new Map<string, KindCount>()
  let failures = 0
  let slowest = { index: first, us: 0 }
  const ranges: Array<[from: number, to: number]> = [[first, first + cases]]
  while (ranges.length > 0) {
    const [from, to] = ranges.shift()!
    if (from >= to) continue
    const piece = await runPiece(seed, from, to - from, hangMs)
    if ('report' in piece) {
      for (const k of piece.report.kinds) {
        const entry = kinds.get(k.kind)
        if (entry) {
          entry.count += k.count
          if (k.example.index < entry.example.index) entry.example = k.example
        } else kinds.set(k.kind, { ...k })
      }
      failures += piece.report.failures
      if (piece.report.slowest.us > slowest.us) slowest = piece.report.slowest
      continue
    }
    // Record the stuck case (its bytes regenerated from seed and number) and go on after it.
    const kind = piece.why === 'hang' ? `FAIL hang: a case ran for over ${hangMs} ms` : 'FAIL crash: the fuzz worker died'
    const example: CaseResult = {
      index: piece.stuckAt,
      ...describeCase(seed, piece.stuckAt),
      ours: { requests: [], end: { kind: 'crashed', reason: piece.detail } },
      llhttp: { requests: [], end: { kind: 'idle' } },
      verdict: { kind, failure: true },
    }
    const entry = kinds.get(kind)
    if (entry) entry.count++
    else kinds.set(kind, { kind, failure: true, count: 1, example })
    failures++
    ranges.push([from, piece.stuckAt], [piece.stuckAt + 1, to])
  }
  return { seed, first, cases, elapsedMs: Math.round(performance.now() - started), failures, kinds: sortKinds([...kinds.values()]), slowest }
}
