// A built checkout of another git ref, for `bench:compare --base=<ref>`: a detached
// `git worktree` in the OS temp directory, its dependencies, and its `dist/` build.
//
// Dependencies: when the base's package-lock.json is byte-identical to this checkout's, its
// node_modules would be the same bytes, so we symlink ours (instant); otherwise `npm ci` installs
// exactly what the base's lockfile says (slow, but the only honest way to run the base as it was).
//
// Removal is synchronous so it can run from a SIGINT handler or a finally block alike.

import { spawnSync } from 'node:child_process'
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface BaseCheckout {
  /** The worktree directory. */
  dir: string
  /** The full commit hash the ref resolved to. */
  commit: string
  /** How node_modules got there. */
  dependencies: 'symlinked (lockfiles identical)' | 'npm ci (lockfiles differ)'
  /** dist/servers/serve.js of the base build. */
  serveEntry: string
  /** Delete the worktree (idempotent, synchronous). */
  remove(): void
}

export interface PrepareOptions {
  /** This checkout's root (where .git, package-lock.json and node_modules are). */
  repoRoot: string
  /** Progress lines ("building base…"); default: none. */
  log?: (line: string) => void
  /** Called with the remover as soon as the temp directory exists, before the slow steps, so a
   * SIGINT handler can clean up a checkout that is still being prepared. */
  onCreated?: (remove: () => void) => void
}

function run(command: string, args: string[], cwd: string): { ok: boolean; out: string } {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  const out = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim()
  return { ok: result.status === 0 && result.error === undefined, out: result.error ? String(result.error) : out }
}

function lastLine(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '')
  return lines[lines.length - 1] ?? '(no output)'
}

/** Resolve `ref` to a commit hash; throws a one-line error for an unknown ref. */
export function resolveCommit(repoRoot: string, ref: string): string {
  const resolved = run('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], repoRoot)
  if (!resolved.ok || resolved.out === '') throw new Error(`--base: "${ref}" is not a commit in ${repoRoot}`)
  return resolved.out
}

function sameFile(a: string, b: string): boolean {
  if (!existsSync(a) || !existsSync(b)) return false
  return readFileSync(a).equals(readFileSync(b))
}

/** Check out, install and build `ref`. On any failure the worktree is removed before throwing. */
export function prepareBaseCheckout(ref: string, options: PrepareOptions): BaseCheckout {
  const { repoRoot } = options
  const log = options.log ?? (() => {})
  const commit = resolveCommit(repoRoot, ref)
  const dir = mkdtempSync(join(tmpdir(), 'httpmodels-base-'))
  let removed = false
  const remove = (): void => {
    if (removed) return
    removed = true
    // Unlink our node_modules symlink first: nothing below may ever walk into this checkout's files.
    const modules = join(dir, 'node_modules')
    try {
      if (lstatSync(modules).isSymbolicLink()) unlinkSync(modules)
    } catch {
      // not there: nothing to unlink
    }
    run('git', ['worktree', 'remove', '--force', dir], repoRoot)
    rmSync(dir, { recursive: true, force: true })
    run('git', ['worktree', 'prune'], repoRoot)
  }
  options.onCreated?.(remove)
  try {
    log(`base ${ref} = ${commit.slice(0, 12)}: git worktree in ${dir}`)
    const added = run('git', ['worktree', 'add', '--detach', dir, commit], repoRoot)
    if (!added.ok) throw new Error(`git worktree add failed: ${lastLine(added.out)}`)

    let dependencies: BaseCheckout['dependencies']
    if (sameFile(join(repoRoot, 'package-lock.json'), join(dir, 'package-lock.json')) && existsSync(join(repoRoot, 'node_modules'))) {
      symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir')
      dependencies = 'symlinked (lockfiles identical)'
    } else {
      log('base: package-lock.json differs, running npm ci (this takes a while)')
      const installed = run('npm', ['ci', '--no-audit', '--no-fund'], dir)
      if (!installed.ok) throw new Error(`npm ci in the base checkout failed: ${lastLine(installed.out)}`)
      dependencies = 'npm ci (lockfiles differ)'
    }
    log(`base: dependencies ${dependencies}; building`)

    // tsc emits even when it reports type errors (DESIGN.md, contract 1), so judge the build by
    // whether the serve entry exists, not by tsc's exit code.
    const tsc = join(dir, 'node_modules', 'typescript', 'bin', 'tsc')
    const built = run(process.execPath, [tsc, '-p', 'tsconfig.json'], dir)
    const serveEntry = join(dir, 'dist', 'servers', 'serve.js')
    if (!existsSync(serveEntry)) {
      throw new Error(`base ${ref} has no dist/servers/serve.js after building (tsc: ${lastLine(built.out)})`)
    }
    if (!built.ok) log(`base: tsc reported type errors but emitted (${lastLine(built.out)})`)
    return { dir, commit, dependencies, serveEntry, remove }
  } catch (error) {
    remove()
    throw error
  }
}
