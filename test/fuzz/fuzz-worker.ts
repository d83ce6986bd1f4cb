// The fuzz loop in a worker thread, so the main thread can watch it: before each case the worker
// writes the case number into shared memory, and a case that stays there too long is a hang the
// main thread can see and end (a synchronous loop cannot be interrupted from inside).
import { parentPort, workerData } from 'node:worker_threads'
import { runFuzz } from './run-fuzz.js'

export interface WorkerInput {
  seed: number
  first: number
  cases: number
  /** Int32Array view: [0] = the case being run. */
  progress: SharedArrayBuffer
}

const input = workerData as WorkerInput
const progress = new Int32Array(input.progress)
// Test-only: spin forever on this case number, so the test can prove the watchdog sees a hang.
const hangAt = Number(process.env.HTTPMODELS_FUZZ_HANG_AT ?? -1)
const report = runFuzz(input.seed, input.first, input.cases, (index) => {
  Atomics.store(progress, 0, index)
  if (index === hangAt) for (;;);
})
parentPort!.postMessage(report)
