// Static file contents and validators kept in memory, keyed by URL path, correct when files change.
//
// Rules:
// - Every lookup stats the file (the honest baseline: one stat per request) through the path the
//   URL names, symlinks unresolved, so a retargeted link is noticed too. The entry is used only
//   when device, inode, size, mtime and ctime all match what was read. ctime counts because tools
//   that restore mtimes (`cp -p`, `rsync -t`, `touch -r`) cannot restore it; git compares it too.
// - Racy files (git's "racy clean" problem, Documentation/technical/racy-git.txt): timestamps tick
//   coarsely (a kernel tick on ext4/xfs/tmpfs, whole seconds on ext3 and HFS+, two on FAT), so a
//   rewrite of the same size within one tick of our read keeps every stat field. A file whose
//   ctime is within RACY_WINDOW_MS of when we read it is therefore re-read on every request until
//   it has been quiet that long; only then does the stat check alone vouch for the cached bytes.
// - The ETag is strong: the size and a SHA-1 of the bytes (as Express's `etag` package does for
//   bodies in memory), computed whenever the bytes are read. A stat-based tag (nginx: mtime-size,
//   Apache: inode-size-mtime) would repeat across the racy rewrite above and earn a client a
//   false 304; a content hash cannot. Last-Modified is the mtime, never later than our clock
//   (RFC 9110 §8.8.2.1).
// - Limits: a file over MAX_CACHED_FILE_BYTES is read again per request (its validators are
//   still kept): caching it would multiply memory by every worker process for little gain, since
//   copying a large body costs more than reading it. Entries and total bytes are capped so a
//   client requesting endless spellings of one file ('//a', '///a', ...) cannot grow memory;
//   the oldest entry goes first (Map order).
// Reads are synchronous: every model does the same work per request, and a cached hit touches
// the disk only for the stat.
import { createHash } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import mime from 'mime-types'
import { deepFreeze } from '../http/frozen-fields.js'
import type { HeaderList } from './gateway.js'

/** Apache mod_cache_disk's default CacheMaxFileSize (1,000,000 bytes). */
export const MAX_CACHED_FILE_BYTES = 1_000_000
/** Ours: the whole fixture site fits dozens of times, and N prefork workers stay far from RAM. */
export const MAX_CACHED_BYTES = 64 * 1024 * 1024
/** nginx's documented `open_file_cache max=1000`. */
export const MAX_ENTRIES = 1000
/** FAT's two-second mtime resolution bounds every filesystem's tick; see "racy files" above. */
export const RACY_WINDOW_MS = 2000

const O_READ = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK // a FIFO must not block the open

export interface CachedFile {
  readonly statPath: string
  readonly realPath: string
  readonly dev: number
  readonly ino: number
  readonly size: number
  readonly mtimeMs: number
  readonly ctimeMs: number
  /** The stat check alone vouches for this version (not racy). */
  readonly stable: boolean
  readonly etag: string
  readonly lastModifiedMs: number
  /** Content-Type, ETag, Last-Modified: shared by every 200, deeply frozen. */
  readonly headers200: HeaderList
  /** ETag and Last-Modified: what a 304 repeats (RFC 9110 §15.4.5). */
  readonly headers304: HeaderList
  /** The bytes, or undefined when over MAX_CACHED_FILE_BYTES (read per request). */
  readonly body: Uint8Array | undefined
}

export interface LoadedFile {
  file: CachedFile
  body: Uint8Array
}

function sameVersion(stats: fs.Stats, file: CachedFile): boolean {
  return stats.ino === file.ino && stats.dev === file.dev && stats.size === file.size &&
    stats.mtimeMs === file.mtimeMs && stats.ctimeMs === file.ctimeMs
}

function readAll(fd: number, size: number): Buffer {
  const buffer = Buffer.allocUnsafe(size)
  let filled = 0
  while (filled < size) {
    const n = fs.readSync(fd, buffer, filled, size - filled, filled)
    if (n === 0) break // shrank since fstat: the next stat sees the new size and reloads
    filled += n
  }
  return filled === size ? buffer : buffer.subarray(0, filled)
}

function contentType(realPath: string): string {
  return mime.contentType(path.extname(realPath)) || 'application/octet-stream'
}

export interface FileCacheOptions {
  /** How long after a change a file stays racy (re-read per request); RACY_WINDOW_MS by default. */
  racyWindowMs?: number
}

export class FileCache {
  readonly #entries = new Map<string, CachedFile>()
  readonly #racyWindowMs: number
  #bytes = 0

  constructor(options: FileCacheOptions = {}) {
    this.#racyWindowMs = options.racyWindowMs ?? RACY_WINDOW_MS
  }

  /** The cached version of `key` if the file on disk is still exactly that version. */
  lookup(key: string): CachedFile | undefined {
    const file = this.#entries.get(key)
    if (file === undefined) return undefined
    if (file.stable) {
      let stats: fs.Stats | undefined
      try {
        stats = fs.statSync(file.statPath, { throwIfNoEntry: false })
      } catch {
        stats = undefined // ENOTDIR, ELOOP, EACCES: the caller resolves again and says why
      }
      if (stats !== undefined && sameVersion(stats, file)) return file
    }
    this.#delete(key, file)
    return undefined
  }

  /**
   * Read the file at `realPath` (resolved and checked by DocumentRoot) and remember it under
   * `key`. With `known`, bytes of that same version are read without hashing them again.
   * Undefined when the file vanished or stopped being a regular file since it was resolved.
   */
  load(key: string, statPath: string, realPath: string, known?: CachedFile): LoadedFile | undefined {
    const readAt = Date.now()
    let fd: number
    try {
      fd = fs.openSync(realPath, O_READ)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENXIO') return this.#forget(key)
      throw error
    }
    try {
      const stats = fs.fstatSync(fd)
      if (!stats.isFile()) return this.#forget(key)
      const body = readAll(fd, stats.size)
      if (known !== undefined && known.stable && sameVersion(stats, known) && body.length === known.size) {
        return { file: known, body }
      }
      const file = this.#describe(statPath, realPath, stats, body, readAt)
      this.#store(key, file)
      return { file, body }
    } finally {
      fs.closeSync(fd)
    }
  }

  #describe(statPath: string, realPath: string, stats: fs.Stats, body: Buffer, readAt: number): CachedFile {
    const hash = createHash('sha1').update(body).digest('base64').slice(0, 27)
    const etag = `"${body.length.toString(16)}-${hash}"`
    const lastModifiedMs = Math.min(stats.mtimeMs, readAt)
    const lastModified = new Date(lastModifiedMs).toUTCString()
    return {
      statPath,
      realPath,
      dev: stats.dev,
      ino: stats.ino,
      size: stats.size,
      mtimeMs: stats.mtimeMs,
      ctimeMs: stats.ctimeMs,
      stable: stats.ctimeMs < readAt - this.#racyWindowMs && body.length === stats.size,
      etag,
      lastModifiedMs,
      headers200: deepFreeze([['Content-Type', contentType(realPath)], ['ETag', etag], ['Last-Modified', lastModified]]),
      headers304: deepFreeze([['ETag', etag], ['Last-Modified', lastModified]]),
      body: body.length <= MAX_CACHED_FILE_BYTES ? body : undefined,
    }
  }

  #store(key: string, file: CachedFile): void {
    const previous = this.#entries.get(key)
    if (previous !== undefined) this.#delete(key, previous)
    this.#entries.set(key, file)
    this.#bytes += file.body?.length ?? 0
    for (const [oldKey, old] of this.#entries) {
      if (this.#bytes <= MAX_CACHED_BYTES && this.#entries.size <= MAX_ENTRIES) break
      this.#delete(oldKey, old)
    }
  }

  #delete(key: string, file: CachedFile): void {
    if (this.#entries.get(key) !== file) return
    this.#entries.delete(key)
    this.#bytes -= file.body?.length ?? 0
  }

  #forget(key: string): undefined {
    const file = this.#entries.get(key)
    if (file !== undefined) this.#delete(key, file)
    return undefined
  }

  /** Entries and cached bytes, for tests and diagnostics. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.#entries.size, bytes: this.#bytes }
  }
}
