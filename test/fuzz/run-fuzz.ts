// One fuzz case, and a range of them tallied by kind. Pure computation, no I/O: the CLI runs it in
// a worker thread under a watchdog (fuzz-in-worker.ts), the tests can call it directly.
import { classify, type Verdict } from './classify.js'
import { makeCase } from './mutations.js'
import type { Outcome } from './outcome.js'
import { parseLlhttp } from './parse-llhttp.js'
import { parseOurs } from './parse-ours.js'
import { Random } from './random.js'

export interface CaseResult {
  index: number
  /** The mutations applied, in order. */
  steps: string[]
  /** The bytes, latin1. */
  bytes: string
  ours: Outcome
  llhttp: Outcome
  verdict: Verdict
}

export interface KindCount {
  kind: string
  failure: boolean
  count: number
  /** The first case of this kind (the run's lowest case number). */
  example: CaseResult
}

export interface FuzzReport {
  seed: number
  /** Case numbers first ..< first + cases. */
  first: number
  cases: number
  elapsedMs: number
  failures: number
  kinds: KindCount[]
  /** The case that took longest (both parsers, the split and the probe), µs. */
  slowest: { index: number; us: number }
}

const splitFailure: Verdict = { kind: 'FAIL split: our verdict depends on how the bytes were cut', failure: true }

/** Case `index` of the run seeded with `seed`: its bytes and the mutations that made them. */
export function describeCase(seed: number, index: number): { bytes: string; steps: string[] } {
  return makeCase(Random.forCase(seed, index))
}

export function runCase(seed: number, index: number): CaseResult {
  const { bytes, steps } = describeCase(seed, index)
  // Where to cut the bytes: from a stream of its own, so the case itself does not depend on it.
  const random = Random.forCase(seed ^ 0x5bd1e995, index)
  const input = Buffer.from(bytes, 'latin1')
  const ours = parseOurs(input)
  const llhttp = parseLlhttp(input)
  // The same bytes cut in up to three places must get the same verdict (parser.ts's contract).
  const cuts = [...new Set([random.int(input.length + 1), random.int(input.length + 1), random.int(input.length + 1)])].sort((a, b) => a - b)
  const split = parseOurs(input, cuts.slice(0, 1 + random.int(3)))
  const verdict =
    ours.end.kind !== 'crashed' && JSON.stringify(split) !== JSON.stringify(ours)
      ? splitFailure
      : classify(ours, llhttp, () => parseOurs(Buffer.concat([input, Buffer.from('\r\n\r\n')])))
  return { index, steps, bytes, ours, llhttp, verdict }
}

export class Tally {
  readonly #kinds = new Map<string, KindCount>()
  failures = 0

  add(result: CaseResult): void {
    const { kind, failure } = result.verdict
    const entry = this.#kinds.get(kind)
    if (entry) entry.count++
    else this.#kinds.set(kind, { kind, failure, count: 1, example: result })
    if (failure) this.failures++
  }

  kinds(): KindCount[] {
    return sortKinds([...this.#kinds.values()])
  }
}

/** Failures first, then the most frequent. */
export function sortKinds(kinds: KindCount[]): KindCount[] {
  return kinds.sort((a, b) => Number(b.failure) - Number(a.failure) || b.count - a.count || a.kind.localeCompare(b.kind))
}

/** Run cases first ..< first + cases; `onCase(index)` is called before each (the watchdog's tick). */
export function runFuzz(seed: number, first: number, cases: number, onCase?: (index: number) => void): FuzzReport {
  const tally = new Tally()
  const started = performance.now()
  let slowest = { index: first, us: 0 }
  for (let index = first; index < first + cases; index++) {
    onCase?.(index)
    const t0 = performance.now()
    tally.add(runCase(seed, index))
    const us = (performance.now() - t0) * 1000
    if (us > slowest.us) slowest = { index, us: Math.round(us) }
  }
  return { seed, first, cases, elapsedMs: Math.round(performance.now() - started), failures: tally.failures, kinds: tally.kinds(), slowest }
}
