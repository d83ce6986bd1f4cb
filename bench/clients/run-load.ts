// What a load run needs on both sides of the worker boundary: the spec's validation, the client
// choice, the run itself inside the worker (runClientHere, metering the worker's own CPU), and
// where the compiled worker is. load-session.ts forks dist/bench/clients/load-worker.js (compiled
// JS, no TypeScript loader at start-up), which runs the chosen client and reports its LoadResult
// over IPC: a separate process keeps the load generator's CPU apart from the orchestrator's and
// the server's, so clientCpuSec can flag a client-bound cell.
//
// Which client runs is registry.ts's rule (chooseClient); the result's `driver` says which ran.
// Failures under load (refused, reset, timed out, malformed) are counted in the result; only
// misuse (a bad spec, wrk asked for but missing, no build) and a crashed worker throw.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadTarget } from './load-target.js'
import type { DriverChoice, DriverName } from './load-client.js'
import { chooseClient } from './registry.js'
import { readProcStat, procUnits } from '../host/process-tree.js'
import { repoRoot } from '../host/paths.js'
import type { LoadResult, LoadSpec, OpenLoopResult } from '../types.js'

export type { DriverChoice, DriverName } from './load-client.js'

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/ // RFC 9110 §5.6.2
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/ // RFC 9110 §5.5, no CR/LF/NUL
/** Each connection holds one fd; the common default soft RLIMIT_NOFILE is 1024 per process. */
const MAX_CONNECTIONS = 1000
/** TechEmpower pipelines 16 deep; anything past 1024 is a typo. */
const MAX_PIPELINING = 1024
/** Load is always bounded in time (team brief); ten minutes covers any cell. */
const MAX_DURATION_SEC = 600

/** Checks a spec from anywhere (including JSON off the wire); throws one clear error on the first problem. */
export function validateLoadSpec(value: unknown): LoadSpec {
  const spec = value as LoadSpec
  const fail = (why: string): never => { throw new Error(`bad load spec: ${why}`) }
  if (typeof value !== 'object' || value === null) fail('not an object')
  if (typeof spec.origin !== 'string') fail('origin must be a string')
  loadTarget(spec.origin)
  if (typeof spec.method !== 'string' || !TOKEN.test(spec.method)) fail(`method ${JSON.stringify(spec.method)} is not an HTTP token`)
  if (typeof spec.path !== 'string' || !/^\/[\x21-\x7e]*$/.test(spec.path)) fail(`path ${JSON.stringify(spec.path)} must start with / and hold only visible ASCII`)
  if (typeof spec.headers !== 'object' || spec.headers === null) fail('headers must be an object')
  for (const [name, headerValue] of Object.entries(spec.headers)) {
    if (!TOKEN.test(name)) fail(`header name ${JSON.stringify(name)} is not a token`)
    if (typeof headerValue !== 'string' || !FIELD_VALUE.test(headerValue)) fail(`header ${name} has a value that is not a valid field value`)
  }
  if (spec.body !== undefined && typeof spec.body !== 'string') fail('body must be a string when given')
  const integer = (name: keyof LoadSpec, max: number): void => {
    const n = spec[name]
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > max) fail(`${name} must be an integer from 1 to ${max} (got ${String(n)})`)
  }
  integer('connections', MAX_CONNECTIONS)
  integer('pipelining', MAX_PIPELINING)
  if (typeof spec.durationSec !== 'number' || !(spec.durationSec > 0 && spec.durationSec <= MAX_DURATION_SEC)) fail(`durationSec must be > 0 and ≤ ${MAX_DURATION_SEC}`)
  if (typeof spec.timeoutMs !== 'number' || !(spec.timeoutMs > 0 && spec.timeoutMs <= MAX_DURATION_SEC * 1000)) fail('timeoutMs must be > 0 and ≤ 600000')
  if (spec.mode !== 'keepalive' && spec.mode !== 'close') fail(`mode must be 'keepalive' or 'close' (got ${JSON.stringify(spec.mode)})`)
  if (spec.mode === 'close' && spec.pipelining !== 1) fail('close mode sends one request per connection: pipelining must be 1')
  const connection = Object.entries(spec.headers).find(([name]) => name.toLowerCase() === 'connection')?.[1]
  if (spec.mode === 'keepalive' && connection !== undefined && /close/i.test(connection)) fail("a Connection: close header needs mode 'close'")
  return spec
}

/** The name of the client that will run `spec` when `driver` is asked for (registry.ts's rule). */
export function chooseDriver(spec: LoadSpec, driver: DriverChoice): DriverName {
  return chooseClient(spec, driver).name
}

/**
 * Runs the client in this process and measures this process's CPU over the run (its own, plus
 * any child it waited for: wrk). Meaningful only in a process that does nothing else: runLoad's worker.
 */
export async function runClientHere(spec: LoadSpec, driver: DriverChoice): Promise<LoadResult> {
  validateLoadSpec(spec)
  const client = chooseClient(spec, driver)
  const cpuBefore = process.cpuUsage()
  const childTicksBefore = readProcStat(process.pid)?.childCpuTicks ?? 0
  const result = await client.run(spec)
  const own = process.cpuUsage(cpuBefore)
  const childTicks = (readProcStat(process.pid)?.childCpuTicks ?? 0) - childTicksBefore
  result.clientCpuSec = (own.user + own.system) / 1e6 + childTicks / procUnits().clockTicksPerSec
  return result
}

export type WorkerReply = { ok: true; result: LoadResult } | { ok: false; error: string }
export type OpenLoopReply = { ok: true; result: OpenLoopResult } | { ok: false; error: string }

/** The compiled worker: beside this file when running from dist/, else <checkout>/dist/bench/clients/ (source under vitest). */
export function loadWorkerEntry(): string {
  const here = fileURLToPath(import.meta.url)
  const entry = here.endsWith('.js') ? join(dirname(here), 'load-worker.js') : join(repoRoot(), 'dist', 'bench', 'clients', 'load-worker.js')
  if (!existsSync(entry)) throw new Error(`load worker ${entry} is missing: run \`npm run build\` first`)
  return entry
}
