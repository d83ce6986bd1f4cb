import { execFileSync } from 'node:child_process'
import { existsSync, lstatSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { prepareBaseCheckout, resolveCommit } from '../../../bench/compare/worktree.js'

const repoRoot = resolve(import.meta.dirname, '../../..')
const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim()

describe('the base checkout for bench:compare', () => {
  const scratch: string[] = []
  afterAll(() => {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true })
  })

  it('refuses an unknown ref with a one-line error naming it', () => {
    expect(() => resolveCommit(repoRoot, 'no-such-ref-xyz')).toThrow(/"no-such-ref-xyz" is not a commit/)
  })

  it('checks out HEAD in a temp worktree, links node_modules, builds serve.js, and removes it all again', () => {
    const lines: string[] = []
    const base = prepareBaseCheckout('HEAD', { repoRoot, log: (l) => lines.push(l) })
    try {
      expect(base.commit).toBe(git(repoRoot, 'rev-parse', 'HEAD'))
      expect(base.dir.startsWith(tmpdir())).toBe(true)
      expect(base.dependencies).toBe('symlinked (lockfiles identical)')
      expect(lstatSync(join(base.dir, 'node_modules')).isSymbolicLink()).toBe(true)
      expect(existsSync(base.serveEntry)).toBe(true)
      expect(git(repoRoot, 'worktree', 'list')).toContain(base.dir)
    } finally {
      base.remove()
    }
    expect(existsSync(base.dir)).toBe(false)
    expect(git(repoRoot, 'worktree', 'list')).not.toContain(base.dir)
    // our own dependencies survived the removal of the link to them
    expect(existsSync(join(repoRoot, 'node_modules', 'typescript', 'package.json'))).toBe(true)
    base.remove() // idempotent
  }, 180_000)

  it('fails clearly and leaves no worktree behind when the base does not build a server', () => {
    const repo = mkdtempSync(join(tmpdir(), 'httpmodels-gate-repo-'))
    scratch.push(repo)
    git(repo, 'init', '-q')
    copyFileSync(join(repoRoot, 'package-lock.json'), join(repo, 'package-lock.json'))
    writeFileSync(join(repo, 'README.md'), 'no servers here\n')
    symlinkSync(join(repoRoot, 'node_modules'), join(repo, 'node_modules'), 'dir')
    writeFileSync(join(repo, '.gitignore'), 'node_modules\n')
    git(repo, 'add', 'package-lock.json', 'README.md', '.gitignore')
    git(repo, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'empty')
    expect(() => prepareBaseCheckout('HEAD', { repoRoot: repo })).toThrow(/has no dist\/servers\/serve\.js/)
    expect(git(repo, 'worktree', 'list').split('\n')).toHaveLength(1)
  }, 60_000)
})
