// The parser's limits, each with its precedent. A limit is how much a peer may make us buffer or
// scan before we refuse: every one of them bounds memory or work per connection.
export interface ParserOptions {
  /** Request line plus header lines, CRLFs included (431; 414 when the request line alone is
   * over the limit because of its target). The trailer section of a chunked body gets the same
   * budget on its own. */
  maxHeadBytes: number
  /** The request-target (414). */
  maxTargetBytes: number
  /** The body after de-chunking (413): from Content-Length before any body byte is read, or as
   * soon as the chunk sizes announced so far add up to more. */
  maxBodyBytes: number
  /** All chunk-extension bytes of one request, summed over its chunks (413). Everything after the
   * size digits up to the CRLF counts (';', '=', BWS too: slightly stricter than Node, which counts
   * names and values only). */
  maxChunkExtBytes: number
  /** Header fields in the head, and separately trailer fields (431). */
  maxHeaders: number
  /** HTTP/1.1 requests without a Host header are a 400 (RFC 9112 §3.2 MUST). Turn off only for
   * hand-made test clients; a repeated or invalid Host is a 400 either way. */
  requireHost: boolean
}

export const DEFAULT_LIMITS: Readonly<ParserOptions> = Object.freeze({
  // Node's --max-http-header-size / http.maxHeaderSize: 16384 since v13.13.0 (request line and
  // headers together, as here). h11 uses the same 16 KiB.
  maxHeadBytes: 16 * 1024,
  // nginx large_client_header_buffers default "4 8k": a request line that does not fit one 8 KiB
  // buffer is answered with 414 (Request-URI Too Large).
  maxTargetBytes: 8 * 1024,
  // nginx client_max_body_size default 1m (413 Request Entity Too Large).
  maxBodyBytes: 1024 * 1024,
  // Node's kMaxChunkExtensionsSize = 16384 (src/node_http_parser.cc, added for CVE-2024-22019),
  // counted per message and answered with 413, which we copy.
  maxChunkExtBytes: 16 * 1024,
  // Apache httpd LimitRequestFields default 100 (DEFAULT_LIMIT_REQUEST_FIELDS), also gunicorn's
  // limit_request_fields. Node's server.maxHeadersCount is 2000 and silently drops the rest
  // instead of refusing, which we do not want to copy.
  maxHeaders: 100,
  requireHost: true,
})

// A server builds one parser per connection from the same options object: resolve it once.
const resolvedCache = new WeakMap<Partial<ParserOptions>, ParserOptions>()

/** Defaults overlaid with the given options. A limit that is not a positive integer, or an
 * unknown key, is a configuration mistake: it throws a TypeError naming it (not an HttpError: no
 * peer sent it). Servers call this once at start-up so a bad config fails there, not per
 * connection. */
export function resolveLimits(options?: Partial<ParserOptions>): ParserOptions {
  if (options === undefined) return DEFAULT_LIMITS
  let resolved = resolvedCache.get(options)
  if (resolved === undefined) {
    resolved = validate(options)
    resolvedCache.set(options, resolved)
  }
  return resolved
}

function validate(options: Partial<ParserOptions>): ParserOptions {
  const resolved: ParserOptions = { ...DEFAULT_LIMITS }
  for (const key of Object.keys(options) as Array<keyof ParserOptions>) {
    const value = options[key]
    if (value === undefined) continue
    if (key === 'requireHost') {
      if (typeof value !== 'boolean') throw new TypeError('parser option requireHost must be a boolean')
      resolved.requireHost = value
    } else if (key in DEFAULT_LIMITS) {
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
        throw new TypeError(`parser limit ${key} must be a positive integer, got ${String(value)}`)
      }
      resolved[key] = value
    } else {
      throw new TypeError(`unknown parser option ${String(key)}`)
    }
  }
  return Object.freeze(resolved)
}
