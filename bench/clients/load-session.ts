// A load-worker process kept for many load runs: forked once (compiled JS, no TypeScript loader),
// then sent one spec at a time, each answered with its LoadResult over IPC. Forking a worker per
// run costs ~0.5 s (start Node, import the clients); an interleaved bench run measures each model
// in several short rounds, so it keeps one session and pays that once. The worker measures its own
// CPU around each run (runClientHere), so a long-lived worker reports the same client CPU a fresh
// one would. Runs are sequential: a second run() before the first settles is a bug and throws.

import { type ChildProcess, fork } from 'node:child_process'
import { validateOpenLoopSpec } from './open-loop-client.js'
import { loadWorkerEntry, validateLoadSpec, chooseDriver, type DriverChoice } from './run-load.js'
import type { LoadResult, LoadSpec, OpenLoopResult, OpenLoopSpec } from '../types.js'

/** The load worker's heap starts with room for an old generation of 256 MiB. By default V8 sets its
 * first old-space limit near the few MiB a fresh process holds, and the open-loop client in close
 * mode (a socket per request) then ran a mark-compact every ~300 ms, 1–3 ms each plus incremental
 * steps: its lateness p99 was 4.4–7.7 ms from 500 to 2,000/s. With this flag, 0.19–0.23 ms
 * (2026-12-06, against the null server, 3 s per rate, SCHED_FIFO). A limit, not an allocation. */
export const LOAD_WORKER_V8_FLAGS = ['--initial-old-space-size=256', '--single-threaded-gc']

export class LoadSession {
  #child: ChildProcess | undefined
  #stderr = ''
  #busy = false

  async run(spec: LoadSpec, driver: DriverChoice): Promise<LoadResult> {
    validateLoadSpec(spec)
    chooseDriver(spec, driver)
    if (this.#busy) throw new Error('LoadSession runs one load at a time')
    this.#busy = true
    try {
      // every client stops by itself at the deadline plus at most one timeout
      return await this.#send<LoadResult>({ spec, driver }, spec.durationSec * 1000 + spec.timeoutMs)
    } finally {
      this.#busy = false
    }
  }

  /**
   * One open-loop run (clients/open-loop-client.ts) in the worker: the client's schedule keeps to
   * its own event loop, away from the driver's, and clientCpuSec is the worker's CPU over the run.
   */
  async runOpenLoop(spec: OpenLoopSpec): Promise<OpenLoopResult> {
    validateOpenLoopSpec(spec)
    if (this.#busy) throw new Error('LoadSession runs one load at a time')
    this.#busy = true
    try {
      return await this.#send<OpenLoopResult>({ openLoop: spec }, (spec.warmupSec + spec.durationSec) * 1000 + spec.timeoutMs)
    } finally {
      this.#busy = false
    }
  }

  /** Let the worker exit (it leaves when its IPC channel closes). */
  close(): void {
    const child = this.#child
    this.#child = undefined
    if (child?.connected === true) child.disconnect()
  }

  #worker(): ChildProcess {
    if (this.#child !== undefined && this.#child.connected && this.#child.exitCode === null) return this.#child
    const child = fork(loadWorkerEntry(), [], { execArgv: LOAD_WORKER_V8_FLAGS, stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' })
    this.#stderr = ''
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { this.#stderr = (this.#stderr + chunk).slice(-16 * 1024) })
    child.on('error', () => { /* reported through 'exit' or the pending run */ })
    this.#child = child
    return child
  }

  /** Send one run to the worker; `runMs` is how long it may take by its spec (30 s more are allowed). */
  #send<R>(message: object, runMs: number): Promise<R> {
    const child = this.#worker()
    const watchdogMs = runMs + 30_000
    return new Promise<R>((resolve, reject) => {
      const done = (): void => {
        clearTimeout(watchdog)
        child.off('message', onMessage)
        child.off('exit', onExit)
      }
      const watchdog = setTimeout(() => {
        done()
        child.kill('SIGKILL')
        this.#child = undefined
        reject(new Error(`load worker did not finish within ${watchdogMs} ms (killed)\n${this.#stderr}`))
      }, watchdogMs)
      const onMessage = (reply: { ok: true; result: R } | { ok: false; error: string }): void => {
        done()
        if (reply.ok) resolve(reply.result)
        else reject(new Error(reply.error))
      }
      const onExit = (code: number | null, signal: string | null): void => {
        done()
        this.#child = undefined
        reject(new Error(`load worker exited (code ${code}, signal ${signal}) without a result\n${this.#stderr.trim()}`))
      }
      child.on('message', onMessage)
      child.on('exit', onExit)
      child.send(message)
    })
  }
}

/** One load run in a fresh worker process (a LoadSession of one run). */
export async function runLoad(spec: LoadSpec, driver: DriverChoice): Promise<LoadResult> {
  const session = new LoadSession()
  try {
    return await session.run(spec, driver)
  } finally {
    session.close()
  }
}

/** One open-loop run in a fresh worker process (a LoadSession of one run). */
export async function runOpenLoopInWorker(spec: OpenLoopSpec): Promise<OpenLoopResult> {
  const session = new LoadSession()
  try {
    return await session.runOpenLoop(spec)
  } finally {
    session.close()
  }
}
