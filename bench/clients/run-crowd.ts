// The driver's side of a crowd or probe process (crowd-worker.ts): start it, call its commands with
// a deadline each, end it. Like run-load.ts it forks the compiled worker (no TypeScript loader at
// start-up); a worker that misses a deadline is killed and the call fails with one line.
import { type ChildProcess, fork } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CrowdBurst, CrowdCounts, CrowdReport, CrowdSpec } from './crowd-spec.js'
import type { ProbePhaseReport, ProbeSpec } from './probe-client.js'
import type { OpenFileLimit } from '../host/open-files.js'
import { repoRoot } from '../host/paths.js'

/** Workers alive in this process, killed if it exits first (a crashed driver must not leave 10,000 sockets open). */
const alive = new Set<ChildProcess>()
let exitHook = false

/** How long a plain command may take; the long ones say their own deadline. */
const COMMAND_MS = 10_000

export class CrowdWorker {
  readonly #child: ChildProcess
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  #nextId = 1
  #stderr = ''
  #exited = false

  private constructor(child: ChildProcess) {
    this.#child = child
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { this.#stderr = (this.#stderr + chunk).slice(-8 * 1024) })
    child.on('message', (reply: { id: number; ok: boolean; value?: unknown; error?: string }) => {
      const waiting = this.#pending.get(reply.id)
      this.#pending.delete(reply.id)
      if (reply.ok) waiting?.resolve(reply.value)
      else waiting?.reject(new Error(reply.error))
    })
    child.on('exit', (code, signal) => {
      this.#exited = true
      alive.delete(child)
      for (const waiting of this.#pending.values()) waiting.reject(new Error(`crowd worker exited (code ${code}, signal ${signal})${this.#stderr.trim() === '' ? '' : `: ${this.#stderr.trim()}`}`))
      this.#pending.clear()
    })
  }

  static start(): CrowdWorker {
    const child = fork(crowdWorkerEntry(), [], { execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' })
    alive.add(child)
    if (!exitHook) {
      exitHook = true
      process.once('exit', () => { for (const c of alive) c.kill('SIGKILL') })
    }
    return new CrowdWorker(child)
  }

  get pid(): number { return this.#child.pid ?? -1 }

  /** The worker's own open-file limit (it inherits the driver's). */
  limits(): Promise<OpenFileLimit | null> { return this.#call('limits', undefined, COMMAND_MS) }
  /** Open the crowd; resolves when its burst phase ends (at the latest at spec.burstCapMs). */
  open(spec: CrowdSpec): Promise<CrowdBurst> { return this.#call('open', spec, spec.burstCapMs + COMMAND_MS) }
  counts(): Promise<CrowdCounts> { return this.#call('counts', undefined, COMMAND_MS) }
  sweep(): Promise<number | null> { return this.#call('sweep', undefined, COMMAND_MS) }
  close(): Promise<CrowdReport> { return this.#call('close', undefined, COMMAND_MS) }
  probe(spec: ProbeSpec, phase: string): Promise<true> { return this.#call('probe', { spec, phase }, COMMAND_MS) }
  phase(name: string): Promise<true> { return this.#call('phase', name, COMMAND_MS) }
  /** Send no probe until resumeProbe(); resolves when those in flight have ended (each within its timeout). */
  pauseProbe(timeoutMs: number): Promise<true> { return this.#call('pause', undefined, timeoutMs + COMMAND_MS) }
  resumeProbe(): Promise<true> { return this.#call('resume', undefined, COMMAND_MS) }
  /** Stop probing; in-flight probes end within their timeout. */
  stopProbe(timeoutMs: number): Promise<ProbePhaseReport[]> { return this.#call('stop', undefined, timeoutMs + COMMAND_MS) }

  /** End the worker (its sockets close with it). */
  end(): void {
    if (!this.#exited) this.#child.kill('SIGKILL')
  }

  #call<T>(cmd: string, arg: unknown, deadlineMs: number): Promise<T> {
    if (this.#exited) return Promise.reject(new Error(`crowd worker has exited: ${this.#stderr.trim()}`))
    const id = this.#nextId++
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id)
        this.end()
        reject(new Error(`crowd worker did not answer ${cmd} within ${deadlineMs} ms (killed)`))
      }, deadlineMs)
      this.#pending.set(id, {
        resolve: (value) => { clearTimeout(timer); resolve(value as T) },
        reject: (error) => { clearTimeout(timer); reject(error) },
      })
      this.#child.send({ id, cmd, arg })
    })
  }
}

/** The compiled worker: beside this file in dist/, else <checkout>/dist/bench/clients/ (source under vitest). */
export function crowdWorkerEntry(): string {
  const here = fileURLToPath(import.meta.url)
  const entry = here.endsWith('.js') ? join(dirname(here), 'crowd-worker.js') : join(repoRoot(), 'dist', 'bench', 'clients', 'crowd-worker.js')
  if (!existsSync(entry)) throw new Error(`crowd worker ${entry} is missing: run \`npm run build\` first`)
  return entry
}
