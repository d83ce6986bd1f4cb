// Start `node dist/servers/serve.js` the way users and the bench do, for tests that need a real
// server process: wait for the ready line, keep stderr, stop with a signal and report the exit.
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const SERVE_ENTRY = fileURLToPath(new URL('../../dist/servers/serve.js', import.meta.url))
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface ServeProcess {
  port: number
  origin: string
  child: ChildProcess
  stderr(): string
  stdout(): string
  /** SIGTERM (default) and wait for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

export function startServe(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [SERVE_ENTRY, '--port=0', '--host=127.0.0.1', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stderr!.on('data', (d) => (err += d))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`serve ${args.join(' ')} did not print its ready line in time; stderr: ${err}`))
    }, options.timeoutMs ?? 15_000)
    child.stdout!.on('data', (d) => {
      out += d
      const match = /listening on (http:\/\/[^\s]+:(\d+))/.exec(out)
      if (match) {
        clearTimeout(timer)
        resolve({
          port: Number(match[2]),
          origin: match[1]!,
          child,
          stderr: () => err,
          stdout: () => out,
          stop: (signal = 'SIGTERM') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal)
            return exited
          },
        })
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`serve ${args.join(' ')} exited with ${code} before it was ready; stderr: ${err.trim()}`))
    })
  })
}

/** Run serve expecting it to fail at start: returns its exit code, stdout and stderr. */
export function serveFails(args: string[], timeoutMs = 15_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [SERVE_ENTRY, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

/** Pids whose parent is `pid` (from /proc), for checking that no child outlives its server. */
export async function childPids(pid: number): Promise<number[]> {
  const { readdir, readFile } = await import('node:fs/promises')
  const pids: number[] = []
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === pid) pids.push(Number(name))
    } catch {
      // the process ended while we looked
    }
  }
  return pids
}
