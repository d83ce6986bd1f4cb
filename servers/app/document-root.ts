// Map a decoded URL path to a file under the document root, refusing everything else.
//
// Rules, in order (the path is PATH_INFO: decoded once, no NUL — see decode-path.ts):
// 1. A '..' segment, with '/' or '\' as separators → forbidden (403). Checked on the decoded path,
//    so %2e%2e, %2f and %5c forms are caught too; '\' counts because it is a separator on
//    Windows and to proxies in front of us, even though Linux would read it as a name character.
// 2. A segment starting with '.' (a dotfile or dot-directory: .git, .env, .secret) → missing
//    (404): we do not admit they exist. A lone '.' segment is harmless and normalised away.
// 3. The real path (symlinks resolved, realpath(3)) must lie inside the real root → forbidden
//    (403) otherwise. 403, not 404, after nginx (`disable_symlinks` answers 403): the URL is
//    fine, the operator's link points out of the site, and the status should say so. A link
//    inside the root that lands on a dotfile is still 404 (rule 2 applied to the real path).
// 4. A directory named without a trailing slash → redirect to the slash form (301), as nginx and
//    Apache mod_dir do, so relative links in its index.html resolve inside it; with the slash →
//    its index.html, or 404 (no listings). '/' is the root's index.html.
// 5. Anything that does not exist, or is not a regular file (a FIFO would block a read forever) →
//    missing (404). Permission denied → forbidden (403).
// Limit: someone who can write into the root while we serve can swap a checked directory for a
// symlink between our realpath and our open; nginx closes that race only with
// `disable_symlinks on` (openat per component), which Node cannot do.
import fs from 'node:fs'
import path from 'node:path'

export type Resolution =
  | { kind: 'file'; /** the path as the URL names it (symlinks unresolved) */ statPath: string; realPath: string }
  | { kind: 'redirect' }
  | { kind: 'forbidden'; why: string }
  | { kind: 'missing' }

const TRAVERSAL = /(?:^|[/\\])\.\.(?:[/\\]|$)/
const DOT_SEGMENT = /(?:^|[/\\])\.(?![/\\]|$)/
const MISSING = new Set(['ENOENT', 'ENOTDIR', 'ENAMETOOLONG', 'ELOOP', 'ENXIO'])
const FORBIDDEN = new Set(['EACCES', 'EPERM'])

/** The answer for a failed fs call: missing or forbidden; unexpected errors (EMFILE) propagate. */
function refusal(error: unknown): Resolution {
  const code = (error as NodeJS.ErrnoException | null)?.code
  if (code !== undefined && MISSING.has(code)) return { kind: 'missing' }
  if (code !== undefined && FORBIDDEN.has(code)) return { kind: 'forbidden', why: 'permission denied' }
  throw error
}

export class DocumentRoot {
  /** The root with symlinks resolved. */
  readonly realPath: string
  readonly #prefix: string

  /** Throws a one-line Error when `root` is not a readable directory. */
  constructor(root: string) {
    let real: string
    try {
      real = fs.realpathSync.native(root)
    } catch (error) {
      throw new Error(`static root ${root} cannot be used: ${(error as Error).message}`)
    }
    if (!fs.statSync(real).isDirectory()) throw new Error(`static root ${root} is not a directory`)
    this.realPath = real
    this.#prefix = real.endsWith(path.sep) ? real : real + path.sep
  }

  /** Where `pathInfo` (decoded, starting with '/') leads. Throws only on unexpected fs errors. */
  resolve(pathInfo: string): Resolution {
    if (pathInfo.charCodeAt(0) !== 0x2f || pathInfo.includes('\0')) return { kind: 'missing' }
    if (TRAVERSAL.test(pathInfo)) return { kind: 'forbidden', why: "'..' segment" }
    if (DOT_SEGMENT.test(pathInfo)) return { kind: 'missing' }
    let statPath = path.join(this.realPath, pathInfo)
    let realPath = this.#realPathInside(statPath)
    if (typeof realPath !== 'string') return realPath
    let stats = statOrRefusal(realPath)
    if (!(stats instanceof fs.Stats)) return stats
    if (stats.isDirectory()) {
      if (!pathInfo.endsWith('/')) return { kind: 'redirect' }
      statPath = path.join(statPath, 'index.html')
      realPath = this.#realPathInside(statPath)
      if (typeof realPath !== 'string') return realPath
      stats = statOrRefusal(realPath)
      if (!(stats instanceof fs.Stats)) return stats
    }
    return stats.isFile() ? { kind: 'file', statPath, realPath } : { kind: 'missing' }
  }

  /** Resolve symlinks, then apply rules 3 and 2 to where they lead. */
  #realPathInside(statPath: string): string | Resolution {
    let realPath: string
    try {
      realPath = fs.realpathSync.native(statPath)
    } catch (error) {
      return refusal(error)
    }
    if (realPath !== this.realPath && !realPath.startsWith(this.#prefix)) {
      return { kind: 'forbidden', why: 'resolves outside the document root' }
    }
    if (DOT_SEGMENT.test(realPath.slice(this.realPath.length))) return { kind: 'missing' }
    return realPath
  }
}

function statOrRefusal(realPath: string): fs.Stats | Resolution {
  try {
    return fs.statSync(realPath)
  } catch (error) {
    return refusal(error)
  }
}
