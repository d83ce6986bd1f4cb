// A wake-up at a sub-millisecond time without burning a core: Node's timers fire on whole
// milliseconds (libuv's loop clock is in ms) and commonly a millisecond or more late, and polling
// the event loop until a due time (setImmediate) keeps a core busy, which on a shared 2-core machine
// gets the poller descheduled for whole time slices (measured here: lateness p99 of 10 ms at
// 5,000/s with polling, against 2 ms with plain timers). So a worker thread sleeps in Atomics.wait,
// whose timeout is a float in ms and is kept by the kernel's high-resolution timers (to the
// thread's timer slack, 50 µs by default), spins the last SPIN_US, and wakes the event loop with a
// message (libuv's async handle: an eventfd write). The thread is started from source text, so it
// runs the same from dist/ and under vitest.
import { performance } from 'node:perf_hooks'
import { Worker } from 'node:worker_threads'

/** The thread sleeps until this long before the due time, then spins (µs): about the timer slack. */
export const SPIN_US = 60

// The thread's program (CommonJS: an eval'd worker). Slot 0 of `control` is a generation: the
// owner bumps it with each new due time (absolute ms, performance.timeOrigin + now(), in `due`),
// and sets it to -1 to stop the thread.
const TICKER = `
const { parentPort, workerData } = require('node:worker_threads')
const { performance } = require('node:perf_hooks')
const control = new Int32Array(workerData.buffer, 0, 1)
const due = new Float64Array(workerData.buffer, 8, 1)
const spinMs = workerData.spinUs / 1000
const now = () => performance.timeOrigin + performance.now()
for (;;) {
  const generation = Atomics.load(control, 0)
  if (generation < 0) break
  const wait = due[0] - now()
  if (wait > spinMs) { Atomics.wait(control, 0, generation, wait - spinMs); continue }
  while (now() < due[0] && Atomics.load(control, 0) === generation) { /* the last few µs */ }
  if (Atomics.load(control, 0) !== generation) continue
  parentPort.postMessage(0)
  Atomics.wait(control, 0, generation)
}
`

export class PreciseWake {
  readonly #worker: Worker
  readonly #control: Int32Array
  readonly #due: Float64Array
  readonly #origin = performance.timeOrigin
  #armed = false

  /** `onWake` runs on this thread's event loop at (or just after) each time given to wakeAt(). */
  constructor(onWake: () => void, spinUs = SPIN_US) {
    const buffer = new SharedArrayBuffer(16)
    this.#control = new Int32Array(buffer, 0, 1)
    this.#due = new Float64Array(buffer, 8, 1)
    this.#due[0] = Number.POSITIVE_INFINITY
    this.#worker = new Worker(TICKER, { eval: true, workerData: { buffer, spinUs } })
    this.#worker.on('message', () => {
      this.#armed = false
      onWake()
    })
    this.#worker.unref()
  }

  /** Wake at `at` (performance.now() ms of this thread); replaces any earlier wake not yet delivered. */
  wakeAt(at: number): void {
    this.#due[0] = this.#origin + at
    this.#armed = true
    Atomics.add(this.#control, 0, 1)
    Atomics.notify(this.#control, 0)
  }

  get armed(): boolean {
    return this.#armed
  }

  /** Stop the thread (it exits at its next look at the generation). */
  async close(): Promise<void> {
    Atomics.store(this.#control, 0, -1)
    Atomics.notify(this.#control, 0)
    await this.#worker.terminate()
  }
}
