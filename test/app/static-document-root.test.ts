import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DocumentRoot } from '../../servers/app/document-root.js'

// A temp tree: <tmp>/site is the root; <tmp>/outside.txt lies beside it.
let tmp: string
let site: string
let root: DocumentRoot

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'httpmodels-docroot-'))
  site = path.join(tmp, 'site')
  fs.mkdirSync(path.join(site, 'docs'), { recursive: true })
  fs.mkdirSync(path.join(site, 'empty'))
  fs.mkdirSync(path.join(site, '.git'))
  fs.writeFileSync(path.join(site, 'index.html'), '<h1>home</h1>')
  fs.writeFileSync(path.join(site, 'docs', 'index.html'), '<h1>docs</h1>')
  fs.writeFileSync(path.join(site, 'a b.txt'), 'spaced')
  fs.writeFileSync(path.join(site, '.env'), 'SECRET=1')
  fs.writeFileSync(path.join(site, '.git', 'config'), '[core]')
  fs.writeFileSync(path.join(tmp, 'outside.txt'), 'outside')
  fs.mkdirSync(path.join(tmp, 'outside-dir'))
  fs.writeFileSync(path.join(tmp, 'outside-dir', 'index.html'), 'outside index')
  fs.symlinkSync(path.join(tmp, 'outside.txt'), path.join(site, 'escape.txt'))
  fs.symlinkSync(path.join(tmp, 'outside-dir'), path.join(site, 'escape-dir'))
  fs.symlinkSync(path.join(site, 'index.html'), path.join(site, 'alias.html'))
  fs.symlinkSync(path.join(site, '.env'), path.join(site, 'env.txt'))
  fs.symlinkSync(path.join(site, 'docs'), path.join(site, 'docs-link'))
  fs.symlinkSync(path.join(site, 'nowhere'), path.join(site, 'dangling.txt'))
  fs.symlinkSync('loop-b', path.join(site, 'loop-a'))
  fs.symlinkSync('loop-a', path.join(site, 'loop-b'))
  root = new DocumentRoot(site)
})

afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true })
})

describe('DocumentRoot', () => {
  it("resolves '/' to the root's index.html", () => {
    expect(root.resolve('/')).toMatchObject({ kind: 'file', realPath: path.join(root.realPath, 'index.html') })
  })

  it('resolves a file by its decoded name', () => {
    expect(root.resolve('/a b.txt')).toMatchObject({ kind: 'file', realPath: path.join(root.realPath, 'a b.txt') })
  })

  it("resolves a directory named with a trailing slash to its index.html", () => {
    expect(root.resolve('/docs/')).toMatchObject({ kind: 'file', realPath: path.join(root.realPath, 'docs', 'index.html') })
  })

  it('redirects a directory named without its trailing slash', () => {
    expect(root.resolve('/docs')).toEqual({ kind: 'redirect' })
  })

  it('answers missing for a directory without index.html (no listings)', () => {
    expect(root.resolve('/empty/')).toEqual({ kind: 'missing' })
  })

  it.each(['/nope.html', '/docs/nope/', '/index.html/', '/index.html/more', '/dangling.txt', '/loop-a'])(
    'answers missing for %s',
    (p) => {
      expect(root.resolve(p)).toEqual({ kind: 'missing' })
    },
  )

  it.each(['/..', '/../outside.txt', '/docs/../../outside.txt', '/docs/..', '/..\\outside.txt', '/docs\\..\\..\\x', '/docs/..\\index.html'])(
    "forbids the '..' segment in %s",
    (p) => {
      expect(root.resolve(p)).toMatchObject({ kind: 'forbidden' })
    },
  )

  it("does not mistake names that merely contain dots for '..' segments", () => {
    fs.writeFileSync(path.join(site, 'a..b'), 'x')
    expect(root.resolve('/a..b')).toMatchObject({ kind: 'file' })
    expect(root.resolve('/docs/..foo')).toEqual({ kind: 'missing' }) // a dotfile name, not traversal
  })

  it.each(['/.env', '/.git/config', '/docs/.hidden', '/.git/', '/.secret'])('hides the dotfile path %s as missing', (p) => {
    expect(root.resolve(p)).toEqual({ kind: 'missing' })
  })

  it('normalises a lone dot segment instead of refusing it', () => {
    expect(root.resolve('/./index.html')).toMatchObject({ kind: 'file', realPath: path.join(root.realPath, 'index.html') })
  })

  it('forbids a symlinked file that points outside the root', () => {
    expect(root.resolve('/escape.txt')).toMatchObject({ kind: 'forbidden', why: expect.stringMatching(/outside/) })
  })

  it('forbids a symlinked directory that points outside the root, with or without the slash', () => {
    expect(root.resolve('/escape-dir/')).toMatchObject({ kind: 'forbidden' })
    expect(root.resolve('/escape-dir/index.html')).toMatchObject({ kind: 'forbidden' })
    expect(root.resolve('/escape-dir')).toMatchObject({ kind: 'forbidden' })
  })

  it('follows symlinks that stay inside the root', () => {
    expect(root.resolve('/alias.html')).toMatchObject({ kind: 'file', statPath: path.join(root.realPath, 'alias.html') })
    expect(root.resolve('/docs-link/')).toMatchObject({ kind: 'file', realPath: path.join(root.realPath, 'docs', 'index.html') })
  })

  it('hides a symlink inside the root that leads to a dotfile', () => {
    expect(root.resolve('/env.txt')).toEqual({ kind: 'missing' })
  })

  it('answers missing for a FIFO instead of blocking on it', () => {
    execFileSync('mkfifo', [path.join(site, 'pipe')])
    expect(root.resolve('/pipe')).toEqual({ kind: 'missing' })
  })

  it('throws one clear line when the root does not exist', () => {
    expect(() => new DocumentRoot(path.join(tmp, 'no-such-root'))).toThrow(/static root .*no-such-root.* cannot be used/)
  })

  it('throws when the root is a file', () => {
    expect(() => new DocumentRoot(path.join(tmp, 'outside.txt'))).toThrow(/is not a directory/)
  })
})
