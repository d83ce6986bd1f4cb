// The static-file app: files under a document root, by the rules in DESIGN.md "Static files".
//
// - GET and HEAD only; anything else → 405 with `Allow: GET, HEAD` (RFC 9110 §15.5.6 requires
//   Allow). HEAD gets the same status and headers as GET; the body is returned too, so the
//   writer can state its Content-Length, and the writer leaves it off the wire (RFC 9110 §9.3.2).
// - Which file a path means, and which paths are refused (403 for '..' and for links leaving the
//   root, 404 for dotfiles, missing files and directories without index.html, 301 to add a
//   directory's slash): document-root.ts. Paths reach us decoded once, NUL- and UTF-8-checked
//   (decode-path.ts, via callApp).
// - Content-Type from mime-types (the mime-db maintained for Express and friends; it adds
//   `charset=utf-8` to text types); unknown extensions are application/octet-stream.
// - ETag (strong, content hash) and Last-Modified on every 200; If-None-Match, then
//   If-Modified-Since → 304 with those two headers and no body (not-modified.ts).
// - Contents are cached and revalidated by one stat per request (file-cache.ts).
// Everything here is synchronous: sync fs costs every model the same, and a sync app keeps the
// servers' no-promise fast path.
import { errorResponse } from '../http/response.js'
import { DocumentRoot } from './document-root.js'
import { FileCache, type CachedFile, type LoadedFile } from './file-cache.js'
import type { App, Environ, HeaderList, StartResponse } from './gateway.js'
import { isNotModified } from './not-modified.js'

export interface StaticFilesOptions {
  /** The document root; a directory. */
  root: string
}

const ALLOW: [string, string] = ['Allow', 'GET, HEAD']
const EMPTY = new Uint8Array(0)

function refuse(startResponse: StartResponse, status: number, extra?: [string, string]): Uint8Array {
  const response = errorResponse(status)
  const headers: HeaderList = extra === undefined ? response.headers : [...response.headers, extra]
  startResponse(`${response.status} ${response.reason}`, headers)
  return response.body
}

/** The redirect target for a directory named without its slash. Leading slashes collapse, so
 * '//evil.example' cannot become a protocol-relative Location (serve-static's open redirect,
 * CVE-2015-1164); a backslash counts, since browsers read '/\' as '//'. */
function slashLocation(environ: Environ): string {
  const path = `/${environ.RAW_PATH.replace(/^[/\\]+/, '')}/`
  return environ.QUERY_STRING === '' ? path : `${path}?${environ.QUERY_STRING}`
}

/** Throws (at start-up) when `root` is not a readable directory. */
export function createStaticFiles(options: StaticFilesOptions): App {
  const root = new DocumentRoot(options.root)
  const cache = new FileCache()

  return function staticFiles(environ, startResponse) {
    const method = environ.REQUEST_METHOD
    if (method !== 'GET' && method !== 'HEAD') return refuse(startResponse, 405, ALLOW)

    const key = environ.PATH_INFO
    let file: CachedFile | undefined = cache.lookup(key)
    let body: Uint8Array | undefined
    if (file === undefined) {
      const resolution = root.resolve(key)
      if (resolution.kind === 'forbidden') return refuse(startResponse, 403)
      if (resolution.kind === 'missing') return refuse(startResponse, 404)
      if (resolution.kind === 'redirect') {
        const location = slashLocation(environ)
        startResponse('301 Moved Permanently', [['Content-Type', 'text/plain; charset=utf-8'], ['Location', location]])
        return `Moved to ${location}\n`
      }
      const loaded: LoadedFile | undefined = cache.load(key, resolution.statPath, resolution.realPath)
      if (loaded === undefined) return refuse(startResponse, 404)
      file = loaded.file
      body = loaded.body
    }

    const ifNoneMatch = environ.HTTP_IF_NONE_MATCH
    const ifModifiedSince = environ.HTTP_IF_MODIFIED_SINCE
    if (
      (ifNoneMatch !== undefined || ifModifiedSince !== undefined) &&
      isNotModified(ifNoneMatch, ifModifiedSince, file.etag, file.lastModifiedMs, Date.now())
    ) {
      startResponse('304 Not Modified', file.headers304)
      return EMPTY
    }
    body ??= file.body
    if (body === undefined) {
      // Over the cache's size cap: read it now (a changed file comes back with new validators).
      const loaded = cache.load(key, file.statPath, file.realPath, file)
      if (loaded === undefined) return refuse(startResponse, 404)
      file = loaded.file
      body = loaded.body
    }
    startResponse('200 OK', file.headers200)
    return body
  }
}
