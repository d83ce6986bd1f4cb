// Starts one server under test in its own process through the serve CLI (DESIGN.md contract 3),
// waits for its `listening on http://HOST:PORT` line, measures its process tree, and stops it
// leaving nothing behind.
//
// stop(): SIGTERM (the CLI finishes in-flight requests and exits 0), SIGKILL after stopTimeoutMs.
// The server's own children (prefork workers, fork-per-connection children) must exit on their
// own once it is gone; any still alive after a short grace are killed and reported in leftoverPids,
// because a leftover worker would steal CPU from the next cell.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { pinnedCommand } from '../host/cpu-pinning.js'
import { repoRoot } from '../host/paths.js'
import { isSameProcessAlive, listProcessTree, measureProcessTree, type ProcStat } from '../host/process-tree.js'
import type { ServerUsage } from '../types.js'

export type { UsageMeter } from '../host/process-tree.js'

export interface ServerProcessOptions {
  args: string[]
  /** Default: <this checkout>/dist/servers/serve.js; the CI gate passes another checkout's. */
  entry?: string
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** Default 15 s: node start-up plus a MySQL pool's first connection. */
  readyTimeoutMs?: number
  /** How long SIGTERM may take before SIGKILL. Default 10 s. */
  stopTimeoutMs?: number
  /** Bind the server (and its children) to this CPU (cpu-pinning.ts). Default: unbound. */
  cpu?: number
}

export interface ServerExit {
  code: number | null
  signal: string | null
  /** The last 64 KiB the server wrote to stderr. */
  stderr: string
  /** Descendants still alive after the server exited (and a grace period), which stop() then killed. */
  leftoverPids: number[]
}

/** CPU and memory of a server over a window: from measure() to stop(). Asynchronous because a
 * server on another host is read over HTTP (target-server.ts); undefined when it cannot be read at
 * all (a target without a stats endpoint), which the tables show as —. */
export interface ServerMeter {
  stop(): Promise<ServerUsage | undefined>
}

/** What a measurement needs of a server, whether the bench started it or not (a --target). */
export interface ServerUnderTest {
  /** http://HOST:PORT */
  readonly origin: string
  measure(): ServerMeter
  /** Stop it (a server the bench started) or let it go (a target, which stays running). */
  stop(): Promise<ServerExit>
}

export interface ServerProcess extends ServerUnderTest {
  readonly pid: number
  /** The server's stats endpoint, when it was started with --stats-port (its `stats on` line). */
  readonly statsOrigin?: string
}

/** The server as a local process, for measurements that read its /proc directly (a crowd's open
 * files and RSS); throws for a server the bench did not start. */
export function localProcess(server: ServerUnderTest): ServerProcess {
  if (!('pid' in server) || typeof server.pid !== 'number') throw new Error(`${server.origin} is not a server this bench started: this measurement reads its process directly`)
  return server as ServerProcess
}

const READY_LINE = /listening on (http:\/\/\S+)/
/** Printed just before the ready line by a server started with --stats-port (servers/serve.ts). */
const STATS_LINE = /stats on (http:\/\/\S+)/
const TAIL_BYTES = 64 * 1024
/** After the server exits, its children get this long to notice (cluster workers see the IPC channel close). */
const CHILD_GRACE_MS = 2_000
const POLL_MS = 50

/** Servers started by this process, killed if it exits without stopping them (a crashed driver must not leave servers running). */
const running = new Set<ChildProcess>()
let exitHookInstalled = false
function killAllOnExit(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.once('exit', () => {
    for (const child of running) child.kill('SIGKILL')
  })
}

export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const entry = options.entry ?? join(repoRoot(), 'dist', 'servers', 'serve.js')
  if (!existsSync(entry)) throw new Error(`server entry ${entry} does not exist (run \`npm run build\` first)`)
  const readyTimeoutMs = options.readyTimeoutMs ?? 15_000
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000

  const command = options.cpu === undefined
    ? { file: process.execPath, args: [entry, ...options.args] }
    : pinnedCommand(options.cpu, process.execPath, [entry, ...options.args])
  const child = spawn(command.file, command.args, {
    cwd: options.cwd ?? repoRoot(),
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  killAllOnExit()
  running.add(child)
  let stderr = ''
  let stdout = ''
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr = (stderr + chunk).slice(-TAIL_BYTES) })
  // stdout keeps being read after the ready line: a full pipe would block the server.
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => { stdout = (stdout + chunk).slice(-TAIL_BYTES) })
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.once('exit', (code, signal) => { running.delete(child); resolve({ code, signal }) })
  })
  const describe = `node ${entry} ${options.args.join(' ')}`

  let origin: string
  try {
    origin = await new Promise<string>((resolve, reject) => {
      const onData = (): void => {
        const match = READY_LINE.exec(stdout)
        if (match === null) return
        child.stdout!.off('data', onData)
        const url = new URL(match[1]!)
        resolve(`${url.protocol}//${url.host}`)
      }
      child.stdout!.on('data', onData)
      child.once('error', (error) => reject(new Error(`could not start ${describe}: ${error.message}`)))
      void exited.then(({ code, signal }) => {
        reject(new Error(`server exited (code ${code}, signal ${signal}) before printing "listening on http://HOST:PORT": ${describe}\nstderr: ${stderr.trim() || '(empty)'}`))
      })
      setTimeout(() => {
        reject(new Error(`server did not print "listening on http://HOST:PORT" within ${readyTimeoutMs} ms: ${describe}\nstderr: ${stderr.trim() || '(empty)'}`))
      }, readyTimeoutMs).unref()
    })
  } catch (error) {
    const tree = listProcessTree(child.pid ?? -1)
    child.kill('SIGKILL')
    await exited
    killSurvivors(tree.slice(1))
    if (error instanceof Error && child.pid !== undefined) error.message += `\n(pid ${child.pid}, killed)`
    throw error
  }

  const pid = child.pid!
  const stats = STATS_LINE.exec(stdout)?.[1]
  let stopping: Promise<ServerExit> | undefined
  return {
    origin,
    pid,
    ...(stats !== undefined ? { statsOrigin: new URL(stats).origin } : {}),
    measure: () => {
      const meter = measureProcessTree(pid)
      return { stop: async () => meter.stop() }
    },
    stop: () => (stopping ??= stopTree(child, exited, stopTimeoutMs, () => stderr)),
  }
}

async function stopTree(
  child: ChildProcess,
  exited: Promise<{ code: number | null; signal: string | null }>,
  stopTimeoutMs: number,
  stderr: () => string,
): Promise<ServerExit> {
  // Remember every descendant seen while the server is alive: once it exits they are re-parented
  // and can no longer be found through it.
  const seen = new Map<number, ProcStat>()
  const remember = (): void => {
    for (const member of listProcessTree(child.pid!).slice(1)) seen.set(member.pid, member)
  }
  let status: { code: number | null; signal: string | null } | undefined
  void exited.then((value) => { status = value })
  if (child.exitCode === null && child.signalCode === null) {
    remember()
    child.kill('SIGTERM')
    const deadline = Date.now() + stopTimeoutMs
    while (status === undefined && Date.now() < deadline) {
      remember()
      await sleep(POLL_MS)
    }
    if (status === undefined) child.kill('SIGKILL')
  }
  const { code, signal } = await exited

  const graceEnd = Date.now() + CHILD_GRACE_MS
  let alive = [...seen.values()].filter(isSameProcessAlive)
  while (alive.length > 0 && Date.now() < graceEnd) {
    await sleep(POLL_MS)
    alive = alive.filter(isSameProcessAlive)
  }
  return { code, signal, stderr: stderr(), leftoverPids: killSurvivors(alive) }
}

/** SIGKILL each process that is still the same live process; returns the pids killed. */
function killSurvivors(members: ProcStat[]): number[] {
  const killed: number[] = []
  for (const member of members) {
    if (!isSameProcessAlive(member)) continue
    try {
      process.kill(member.pid, 'SIGKILL')
      killed.push(member.pid)
    } catch {
      // exited in between
    }
  }
  return killed
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
