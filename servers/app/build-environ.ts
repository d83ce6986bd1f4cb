// Build the gateway Environ for one parsed request (WSGI's environ, PEP 3333; CGI names, RFC 3875).
//
// Header rules:
// - `name` → HTTP_NAME: upper case, '-' → '_' (RFC 3875 §4.1.18).
// - Content-Type and Content-Length become CONTENT_TYPE / CONTENT_LENGTH, not HTTP_* (RFC 3875
//   §4.1.3, §4.1.2). A chunked body has no Content-Length header; since wsgi.input holds the whole
//   de-chunked body, CONTENT_LENGTH then says its length, so an app can trust it either way.
// - Header names containing '_' are dropped: 'x_user' and 'x-user' would both become HTTP_X_USER,
//   letting a client forge a header a proxy set. nginx (underscores_in_headers off) and
//   Apache httpd 2.4 drop them for the same reason.
// - Repeated headers are joined with ', ' (RFC 9110 §5.3), Cookie with '; ' (RFC 9113 §8.2.3).
// - An absolute-form target's authority replaces Host (RFC 9112 §3.2.2).
import type { ParsedRequest } from '../http/parser.js'
import type { ConnInfo, Environ } from './gateway.js'
import type { RequestTarget } from './request-target.js'

// Header names repeat across requests ('host', 'user-agent', 'accept', ...): remember their
// HTTP_* keys instead of building two strings per header per request. Bounded, because names come
// from clients: 100 headers per request (the parser's limit) times a few distinct clients.
const MAX_REMEMBERED_KEYS = 1000
const keys = new Map<string, `HTTP_${string}`>()

function environKey(name: string): `HTTP_${string}` {
  let key = keys.get(name)
  if (key === undefined) {
    key = `HTTP_${name.toUpperCase().replaceAll('-', '_')}`
    if (keys.size < MAX_REMEMBERED_KEYS) keys.set(name, key)
  }
  return key
}

export function buildEnviron(req: ParsedRequest, conn: ConnInfo, target: RequestTarget, pathInfo: string): Environ {
  const environ: Environ = {
    REQUEST_METHOD: req.method,
    PATH_INFO: pathInfo,
    RAW_PATH: target.path,
    QUERY_STRING: target.query,
    SERVER_PROTOCOL: req.version === '1.0' ? 'HTTP/1.0' : 'HTTP/1.1',
    SERVER_NAME: conn.serverName,
    SERVER_PORT: String(conn.serverPort),
    REMOTE_ADDR: conn.remoteAddress,
    REMOTE_PORT: String(conn.remotePort),
    CONTENT_TYPE: undefined,
    CONTENT_LENGTH: undefined,
    'wsgi.input': req.body,
  }
  const headers = req.headers
  for (let i = 0; i < headers.length; i++) {
    const [name, value] = headers[i]!
    if (name === 'content-type') environ.CONTENT_TYPE = value
    else if (name === 'content-length') environ.CONTENT_LENGTH = value
    else if (name.includes('_')) continue
    else {
      const key = environKey(name)
      const previous = environ[key]
      environ[key] = previous === undefined ? value : `${previous}${name === 'cookie' ? '; ' : ', '}${value}`
    }
  }
  if (environ.CONTENT_LENGTH === undefined && req.body.length > 0) environ.CONTENT_LENGTH = String(req.body.length)
  if (target.authority !== undefined) environ.HTTP_HOST = target.authority
  return environ
}
