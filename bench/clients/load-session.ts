// A load-worker process kept for many load runs: forked once (compiled JS, no TypeScript loader),
// then sent one spec at a time, each answered with its LoadResult over IPC. Forking a worker per
// run costs ~0.5 s (start Node, import the clients); an interleaved bench run measures each model
// in several short rounds, so it keeps one session and pays that once. The worker measures its own
// CPU around each run (runClientHere), so a long-lived worker reports the same client CPU a fresh
// one would. Runs are sequential: a second run() before the first settles is a bug and throws.

import { type ChildProcess, fork } from 'node:child_process'
import { loadWorkerEntry, validateLoadSpec, chooseDriver, type DriverChoice, type WorkerReply } from './run-load.js'
import type { LoadResult, LoadSpec } from '../types.js'

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
      return await this.#send(spec, driver)
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
    const child = fork(loadWorkerEntry(), [], { execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' })
    this.#stderr = ''
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { this.#stderr = (this.#stderr + chunk).slice(-16 * 1024) })
    child.on('error', () => { /* reported through 'exit' or the pending run */ })
    this.#child = child
    return child
  }

  #send(spec: LoadSpec, driver: DriverChoice): Promise<LoadResult> {
    const child = this.#worker()
    // Every client stops by itself at the deadline plus at most one timeout; allow that and 30 s more.
    const watchdogMs = spec.durationSec * 1000 + spec.timeoutMs + 30_000
    return new Promise<LoadResult>((resolve, reject) => {
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
      const onMessage = (reply: WorkerReply): void => {
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
      child.send({ spec, driver })
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
