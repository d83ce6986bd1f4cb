// What a request head says about its body and its connection (RFC 9112 §6, §9.3; RFC 9110 §7.2).
//
// The parser collects the framing fields while it reads the head (HeadFacts) and asks these
// functions once the head is complete. Each rule throws HttpError with the status to answer.
//
// Rules, in the order they are checked:
// 1. Host (RFC 9112 §3.2): more than one Host line, or an invalid value, is a 400 in any version;
//    none at all is a 400 in HTTP/1.1 (unless requireHost is off). An empty value is valid.
// 2. Content-Length together with Transfer-Encoding is a 400: RFC 9112 §6.3 lets a server process
//    such a request, but it "ought to be handled as an error", and it is the request-smuggling
//    shape, so we refuse it.
// 3. Transfer-Encoding (RFC 9112 §6.1, §7): a comma list of codings over one or more lines.
//    `chunked` twice is a 400 (MUST NOT be applied more than once); `chunked` not last (an empty
//    list element after it included) is a 400
//    (§6.3: the length cannot be determined); any other coding in front of a final `chunked` is a
//    501 (we decode none). In HTTP/1.0 a Transfer-Encoding makes the connection close after this
//    request (§6.1: "treat the message as if the framing is faulty ... and close").
// 4. Content-Length: exactly one line of 1*DIGIT. Anything else is an invalid Content-Length,
//    which RFC 9112 §6.3 (rule 5) makes an unrecoverable framing error answered with 400. That
//    includes a repeated Content-Length even with equal values, or the list "5, 5": RFC 9110 §8.6
//    lets a recipient either reject those or collapse them; we reject, which leaves no room for
//    two parsers on the path to disagree about where the body ends.
//    A value over maxBodyBytes is a 413 before any body byte is read.
// 5. No Content-Length and no Transfer-Encoding: the body is empty (§6.3 rule 7: requests are
//    never delimited by closing the connection).
// 6. Keep-alive (RFC 9112 §9.3): Connection is a comma list of case-insensitive options; `close`
//    anywhere wins (autocannon can send `keep-alive` and `close` together). HTTP/1.1 persists
//    unless `close`; HTTP/1.0 persists only with `keep-alive`.
// 7. Expect (RFC 9110 §10.1.1): a comma list of expectations, case-insensitive, over one or more
//    lines. `100-continue` (no parameters) asks for a `100 Continue` before the client sends the
//    body; anything else is an expectation we cannot meet, answered with 417 before the body and
//    whether or not a body is announced (node:http also answers 417 to any other expectation).
//    HTTP/1.0 requests have their Expect ignored (§10.1.1: a server "MUST ignore" a 100-continue
//    expectation in an HTTP/1.0 request; node:http ignores any Expect in 1.0 as well). Checked
//    after the framing, so an over-long body is a 413 whatever the expectation.
import { HttpError } from './errors.js'
import { equalsLower, HEX_VALUE, isOws, isToken } from './grammar.js'

export interface HeadFacts {
  hostCount: number
  /** isValidHost of the (last) Host value, judged on its bytes when it was read. */
  hostValid: boolean
  contentLengthCount: number
  contentLength: string
  /** All Transfer-Encoding values joined with ',' (undefined when absent). */
  transferEncoding: string | undefined
  /** All Connection values joined with ',' (undefined when absent). */
  connection: string | undefined
  /** All Expect values joined with ',' (undefined when absent). */
  expect: string | undefined
}

export function freshFacts(): HeadFacts {
  return { hostCount: 0, hostValid: true, contentLengthCount: 0, contentLength: '', transferEncoding: undefined, connection: undefined, expect: undefined }
}

/** The body is framed by chunked transfer coding. */
export const CHUNKED = -1

export function checkHost(version: '1.0' | '1.1', facts: HeadFacts, requireHost: boolean): void {
  if (facts.hostCount > 1) throw new HttpError(400, 'more than one Host header')
  if (facts.hostCount === 0) {
    if (version === '1.1' && requireHost) throw new HttpError(400, 'HTTP/1.1 request without a Host header')
    return
  }
  if (!facts.hostValid) throw new HttpError(400, 'invalid Host header')
}

/** The body length in bytes, or CHUNKED. */
export function bodyLength(facts: HeadFacts, maxBodyBytes: number): number {
  const te = facts.transferEncoding
  if (te !== undefined) {
    if (facts.contentLengthCount > 0) throw new HttpError(400, 'both Content-Length and Transfer-Encoding')
    checkTransferCodings(te)
    return CHUNKED
  }
  if (facts.contentLengthCount === 0) return 0
  if (facts.contentLengthCount > 1) throw new HttpError(400, 'more than one Content-Length header')
  const value = facts.contentLength
  if (value.length === 0) throw new HttpError(400, 'Content-Length is not a number')
  let length = 0
  for (let i = 0; i < value.length; i++) {
    const d = value.charCodeAt(i) - 0x30
    if (d < 0 || d > 9) throw new HttpError(400, 'Content-Length is not a number')
    length = length * 10 + d // past 2^53 this loses precision, but it is then far above any limit
  }
  if (length > maxBodyBytes) throw new HttpError(413, `body over the ${maxBodyBytes}-byte limit`)
  return length
}

function checkTransferCodings(te: string): void {
  let chunked = 0
  let last = ''
  let other = false
  for (const element of te.split(',')) {
    const semicolon = element.indexOf(';')
    const name = trimOws(semicolon < 0 ? element : element.slice(0, semicolon)).toLowerCase()
    if (name === '' && semicolon < 0) {
      // Empty list elements are allowed (RFC 9110 §5.6.1), but not after chunked: llhttp reads
      // "chunked," as chunked not being final and refuses it, so we do too.
      if (chunked > 0) throw new HttpError(400, 'chunked is not the final transfer coding')
      continue
    }
    if (!isToken(name)) throw new HttpError(400, 'Transfer-Encoding is not a list of codings')
    if (chunked > 0) {
      // Something after chunked: either chunked again or chunked is not final.
      throw new HttpError(400, name === 'chunked' ? 'chunked applied more than once' : 'chunked is not the final transfer coding')
    }
    if (name === 'chunked') {
      if (semicolon >= 0) throw new HttpError(400, 'chunked takes no parameters')
      chunked++
    } else {
      other = true
    }
    last = name
  }
  if (last !== 'chunked') throw new HttpError(400, 'chunked is not the final transfer coding')
  if (other) throw new HttpError(501, 'this server decodes no transfer coding but chunked')
}

export function keepAlive(version: '1.0' | '1.1', facts: HeadFacts): boolean {
  const connection = facts.connection
  let close = false
  let keep = false
  if (connection !== undefined) {
    if (connection === 'keep-alive') {
      keep = true // what almost every client sends, exactly so
    } else if (connection.indexOf(',') < 0) {
      // One option: the common case, without splitting.
      const option = connection
      close = equalsLower(option, 'close')
      keep = !close && equalsLower(option, 'keep-alive')
    } else {
      for (const element of connection.split(',')) {
        const option = trimOws(element)
        if (equalsLower(option, 'close')) close = true
        else if (equalsLower(option, 'keep-alive')) keep = true
      }
    }
  }
  if (close) return false
  if (version === '1.0') return keep && facts.transferEncoding === undefined
  return true
}

/** Whether the head asks for `100 Continue` (rule 7); throws 417 for any other expectation. */
export function expectsContinue(version: '1.0' | '1.1', facts: HeadFacts): boolean {
  const expect = facts.expect
  if (expect === undefined || version === '1.0') return false
  let wants = false
  for (const element of expect.split(',')) {
    const expectation = trimOws(element)
    if (expectation === '') continue // empty list elements are allowed (RFC 9110 §5.6.1)
    if (!equalsLower(expectation, '100-continue')) throw new HttpError(417, 'the only expectation this server meets is 100-continue')
    wants = true
  }
  return wants
}

function trimOws(s: string): string {
  let start = 0
  let end = s.length
  while (start < end && isOws(s.charCodeAt(start))) start++
  while (end > start && isOws(s.charCodeAt(end - 1))) end--
  return start === 0 && end === s.length ? s : s.slice(start, end)
}

// Host = uri-host [ ":" port ] (RFC 9110 §7.2, RFC 3986 §3.2.2). reg-name bytes: unreserved,
// sub-delims and pct-encoded; IP-literal in brackets; port is *DIGIT.
const REG_NAME = new Uint8Array(256)
for (const c of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=") {
  REG_NAME[c.charCodeAt(0)] = 1
}
// Inside brackets: IPv6 (hex, ':', '.') and IPvFuture ("v" HEX "." then unreserved/sub-delims/':').
const IP_LITERAL = new Uint8Array(256)
IP_LITERAL.set(REG_NAME)
IP_LITERAL[0x3a] = 1

/** Whether buf[start, end) is a valid Host value (empty is valid: RFC 9112 §3.2). */
export function isValidHost(buf: Uint8Array, start: number, end: number): boolean {
  let i = start
  if (buf[i] === 0x5b /* [ */ && i < end) {
    for (i++; i < end && buf[i] !== 0x5d /* ] */; i++) if (IP_LITERAL[buf[i]!] === 0) return false
    if (i === end || i === start + 1) return false
    i++
  } else {
    for (; i < end; i++) {
      const c = buf[i]!
      if (c === 0x3a /* : */) break
      if (c === 0x25 /* % */) {
        if (i + 2 >= end || HEX_VALUE[buf[i + 1]!] === -1 || HEX_VALUE[buf[i + 2]!] === -1) return false
        i += 2
      } else if (REG_NAME[c] === 0) {
        return false
      }
    }
  }
  if (i === end) return true
  if (buf[i] !== 0x3a) return false
  for (i++; i < end; i++) {
    const c = buf[i]!
    if (c < 0x30 || c > 0x39) return false
  }
  return true
}
