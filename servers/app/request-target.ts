// Split a request-target into its raw path and query (RFC 9112 §3.2).
//
// Accepted forms:
// - origin-form `/path?query` — what clients send to an origin server (§3.2.1);
// - absolute-form `http://host/path?query` — servers MUST accept it (§3.2.2); its path is used,
//   and its authority replaces the Host header (§3.2.2: the origin server "MUST ignore the
//   received Host header field"). Userinfo (`user@host`) is an error (RFC 9110 §4.2.4).
// The asterisk-form `*` (OPTIONS only, §3.2.4) is answered by callApp itself, and the
// authority-form (CONNECT, §3.2.3) is for proxies, which we are not: both never reach here as
// paths. Anything else is a 400.
import { AppError } from './app-error.js'

export interface RequestTarget {
  /** The path, still percent-encoded; always starts with '/'. */
  path: string
  /** Everything after the first '?', raw; '' when there is none. */
  query: string
  /** The host[:port] of an absolute-form target; undefined for origin-form. */
  authority?: string
}

const ABSOLUTE_FORM = /^https?:\/\/([^/?#]*)(.*)$/is

function originForm(target: string): RequestTarget {
  const q = target.indexOf('?')
  if (q < 0) return { path: target, query: '' }
  return { path: target.slice(0, q), query: target.slice(q + 1) }
}

/** Throws AppError 400 for a target that is neither origin-form nor absolute-form. */
export function splitTarget(target: string): RequestTarget {
  if (target.charCodeAt(0) === 0x2f /* '/' */) return originForm(target)
  const absolute = ABSOLUTE_FORM.exec(target)
  if (absolute === null) {
    throw new AppError(400, "bad request target: expected '/path' or 'http://host/path'", true)
  }
  const authority = absolute[1]!
  if (authority === '' || authority.includes('@')) {
    throw new AppError(400, 'bad request target: absolute-form needs a host and no userinfo', true)
  }
  const rest = absolute[2]!
  const split = originForm(rest.startsWith('/') ? rest : `/${rest}`)
  split.authority = authority
  return split
}
