// fixtures/www is what the `static` and `static-large` bench scenarios serve: check it stays fit.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const www = fileURLToPath(new URL('../../fixtures/www/', import.meta.url))
const read = (name: string): Buffer => fs.readFileSync(path.join(www, name))

describe('fixtures/www', () => {
  const index = read('index.html').toString('utf8')

  it('has a home page small enough to measure file serving rather than bandwidth (a few KB)', () => {
    expect(index.length).toBeGreaterThan(500)
    expect(index.length).toBeLessThan(8 * 1024)
  })

  it.each(['/stocks.html', '/center.html', '/mine/you.html', '/hello', '/style.css', '/logo.svg', '/favicon.ico', '/large.bin'])(
    'links the home page to %s',
    (href) => {
      expect(index).toContain(`href="${href}"`)
    },
  )

  it('links only to static assets that exist', () => {
    for (const asset of ['style.css', 'logo.svg', 'favicon.ico', 'large.bin']) {
      expect(fs.statSync(path.join(www, asset)).isFile()).toBe(true)
    }
  })

  it('has a large.bin of at least 256 KB made of 16-byte records that each name their own offset', () => {
    const large = read('large.bin')
    expect(large.length).toBeGreaterThanOrEqual(256 * 1024)
    expect(large.length % 16).toBe(0)
    for (let offset = 0; offset < large.length; offset += 16) {
      const record = large.toString('latin1', offset, offset + 16)
      if (record !== `${offset.toString(16).padStart(15, '0')}\n`) {
        throw new Error(`large.bin record at ${offset} reads ${JSON.stringify(record)}`)
      }
    }
  })

  it('keeps large.bin under the in-memory cache cap, so static-large measures the send, not the disk', async () => {
    const { MAX_CACHED_FILE_BYTES } = await import('../../servers/app/file-cache.js')
    expect(read('large.bin').length).toBeLessThanOrEqual(MAX_CACHED_FILE_BYTES)
  })

  it('has a dotfile for the "dotfiles are never served" tests', () => {
    expect(read('.secret').length).toBeGreaterThan(0)
  })

  it('has a favicon that is a real ICO file', () => {
    const ico = read('favicon.ico')
    expect([...ico.subarray(0, 4)]).toEqual([0, 0, 1, 0]) // ICONDIR: reserved 0, type 1 (icon)
  })
})
