// What startResponse(status, headers) accepts from an app, checked before anything reaches the wire.
//
// - Status: "200 OK" (three digits, a space, a reason phrase) or "200" (the standard phrase is
//   used). Final statuses only, 200–599: a 1xx from an app would leave the client waiting for
//   the real answer. The reason phrase is *( HTAB / SP / VCHAR / obs-text ) (RFC 9112 §4).
// - Headers: names are tokens (RFC 9110 §5.1), values field-vchar, SP, HTAB or obs-text (§5.5):
//   no CR, LF or NUL, so an app that echoes input into a header cannot split the response.
// - The server owns framing: Content-Length, Transfer-Encoding and the connection-specific
//   headers (RFC 9110 §7.6.1) are dropped; the response writer sets its own.
// Violations throw TypeError into the app (as WSGI servers assert in start_response); unless the
// app catches it, callApp answers 500 and logs it.
// Both checks run per response, so both remember: status lines repeat ("200 OK"), and a deeply
// frozen header list (the static app's, per file) cannot change once checked.
import { STATUS_CODES } from 'node:http'
import { deepFreeze, isDeepFrozen } from '../http/frozen-fields.js'
import type { HeaderList } from './gateway.js'

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/
const REASON = FIELD_VALUE

const SERVER_OWNED = new Set([
  'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'proxy-connection', 'te', 'upgrade',
])

export interface StatusLine {
  status: number
  reason: string
}

/** Bounded: an app could build status lines from input. */
const MAX_REMEMBERED_STATUSES = 100
const statuses = new Map<string, StatusLine>()

/** Checked header lists by identity, only for lists that are frozen all the way down. */
const checkedFrozen = new WeakMap<HeaderList, HeaderList>()

function digit(line: string, index: number): number {
  const c = line.charCodeAt(index) - 0x30
  return c >= 0 && c <= 9 ? c : -1
}

function parse(line: string): StatusLine {
  if (typeof line !== 'string') throw new TypeError('startResponse: status must be a string like "200 OK"')
  const d0 = digit(line, 0)
  const d1 = digit(line, 1)
  const d2 = digit(line, 2)
  const separator = line.length === 3 || line.charCodeAt(3) === 0x20
  if (d0 < 2 || d0 > 5 || d1 < 0 || d2 < 0 || !separator) {
    throw new TypeError(`startResponse: status must look like "200 OK", got ${JSON.stringify(line.slice(0, 40))}`)
  }
  const status = d0 * 100 + d1 * 10 + d2
  const reason = line.length > 4 ? line.slice(4) : (STATUS_CODES[status] ?? '')
  if (!REASON.test(reason)) throw new TypeError('startResponse: reason phrase has control characters')
  return { status, reason }
}

/** "200 OK" → { status: 200, reason: 'OK' }. Throws TypeError for anything else. */
export function parseStatusLine(line: string): StatusLine {
  let parsed = statuses.get(line)
  if (parsed === undefined) {
    parsed = parse(line)
    if (statuses.size < MAX_REMEMBERED_STATUSES) statuses.set(line, parsed)
  }
  return parsed
}

function check(headers: HeaderList): HeaderList {
  if (!Array.isArray(headers)) throw new TypeError('startResponse: headers must be an array of [name, value]')
  const out: HeaderList = []
  for (let i = 0; i < headers.length; i++) {
    const pair = headers[i]
    const name = pair?.[0]
    const value = pair?.[1]
    if (typeof name !== 'string' || !TOKEN.test(name)) {
      throw new TypeError(`startResponse: header name ${JSON.stringify(name)} is not a token`)
    }
    if (typeof value !== 'string' || !FIELD_VALUE.test(value)) {
      throw new TypeError(`startResponse: header ${name} has a value with control characters or is not a string`)
    }
    if (SERVER_OWNED.has(name.toLowerCase())) continue
    out.push([name, value])
  }
  return out
}

/** The app's headers, checked, without the ones the server owns. A deeply frozen list is checked
 * once and the same deeply frozen result handed back every time after (no copy per request: the
 * response writer keys its header-block cache on that identity); any other list gives a fresh
 * one. Nobody may add to the result. Throws TypeError for a bad name or value. */
export function checkHeaderList(headers: HeaderList): HeaderList {
  const checked = checkedFrozen.get(headers)
  if (checked !== undefined) return checked
  const out = check(headers)
  if (!isDeepFrozen(headers)) return out
  checkedFrozen.set(headers, deepFreeze(out))
  return out
}
