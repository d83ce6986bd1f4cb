// The soak's bookkeeping: every `everyMs` it reads the server's process tree (RSS and open fds,
// workers and children included) and records the sample with the time since the start and the
// scenario running then. Reading /proc is synchronous and takes a few ms, so the timer drifts a
// little; each sample carries its own time, which the slopes use.

import { sampleProcessTree, treeRssBytes } from '../host/process-tree.js'
import { treeOpenFds } from '../host/open-fds.js'

export interface SoakSample {
  /** Seconds since the sampler started. */
  atSec: number
  rssBytes: number
  openFds: number
  /** Processes in the tree (1 for single-process models). */
  processes: number
  /** The scenario whose load was running, or 'idle' between slices. */
  scenario: string
}

export class SoakSampler {
  readonly samples: SoakSample[] = []
  readonly #pid: number
  readonly #started = performance.now()
  #scenario = 'idle'
  #timer: NodeJS.Timeout | undefined

  constructor(pid: number, everyMs: number) {
    if (!(everyMs >= 10)) throw new Error(`sample interval must be at least 10 ms, got ${everyMs}`)
    this.#pid = pid
    this.sample()
    this.#timer = setInterval(() => this.sample(), everyMs)
  }

  /** Seconds since the start. */
  now(): number {
    return (performance.now() - this.#started) / 1000
  }

  /** Label the samples from now on. */
  running(scenario: string): void {
    this.#scenario = scenario
  }

  /** Take one sample now (the timer calls this); a tree that is gone is recorded as 0 processes. */
  sample(): SoakSample {
    const tree = sampleProcessTree(this.#pid)
    const sample = { atSec: this.now(), rssBytes: treeRssBytes(tree), openFds: treeOpenFds(tree), processes: tree.length, scenario: this.#scenario }
    this.samples.push(sample)
    return sample
  }

  /** Take a last sample and stop. */
  stop(): SoakSample[] {
    if (this.#timer !== undefined) {
      clearInterval(this.#timer)
      this.#timer = undefined
      this.sample()
    }
    return this.samples
  }
}
