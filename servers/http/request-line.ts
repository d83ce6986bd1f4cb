// The request line (RFC 9112 §3): method SP request-target SP HTTP-version CRLF, strictly.
//
// Rules (each a 400 unless noted):
// - The line ends with CRLF; a bare LF line end, or a CR anywhere else, is refused.
// - The method is a token (RFC 9110 §9.1); which methods exist is the app's business (405/501).
//   Except PRI (checked by the parser once the line is read): it starts the HTTP/2 connection
//   preface (RFC 9113 §3.4) and "is never used by an actual client" (RFC 7540 §11.6); llhttp reads
//   on, waiting for the rest of the preface, so a request we answered would be one it never saw.
// - Exactly one SP between the parts (§3: recipients MAY split on other whitespace; we don't).
// - The target is 1+ visible ASCII bytes (grammar.ts TARGET); over maxTargetBytes is a 414.
// - No version at all ("GET /") is HTTP/0.9, which we do not speak.
// - The version is exactly "HTTP/" DIGIT "." DIGIT (case-sensitive, §2.3). HTTP/1.0 and
//   HTTP/1.x with x ≥ 1 are accepted, the latter read as 1.1 (RFC 9110 §2.5: a higher minor
//   version is processed as the highest minor version we implement). Any other well-formed version
//   (HTTP/2.0, HTTP/0.9) is a 505.
//
// Like the field-line scanner, it finds the line's end itself, returns -1 for a line that has not
// ended, and throws only on bytes whose verdict cannot change with what follows.
import { HttpError } from './errors.js'
import { CR, LF, SP, TARGET, TOKEN } from './grammar.js'

/** Where the parts of a request line are (reused between calls). methodEnd === start: an empty
 * line (CRLF) where a request line was expected. */
export class RequestLine {
  methodEnd = 0
  targetStart = 0
  targetEnd = 0
  version: '1.0' | '1.1' = '1.1'
}

const VERSION_LENGTH = 8 // "HTTP/1.1"

/** A CR or LF at buf[i] where the line may end: -1 when the CR is the last byte we have, else
 * the error for ending here (`what` is missing) or for a bare CR/LF. */
function lineEndError(buf: Uint8Array, i: number, end: number, what: string): HttpError | -1 {
  if (buf[i] === LF) return new HttpError(400, 'bare LF line end in the request line')
  if (i + 1 === end) return -1
  if (buf[i + 1] !== LF) return new HttpError(400, 'bare CR in the request line')
  return new HttpError(400, what)
}

/** Scan the line starting at `start` in buf[start, end). Returns the index of its LF, or -1 when
 * the line does not end before `end`. */
export function scanRequestLine(buf: Uint8Array, start: number, end: number, maxTargetBytes: number, out: RequestLine): number {
  let i = start
  let c = buf[i]!
  while (TOKEN[c] === 1) {
    if (++i === end) return -1
    c = buf[i]!
  }
  if (c !== SP) {
    if (c !== CR && c !== LF) throw new HttpError(400, 'method is not a token')
    if (i === start && c === CR && i + 1 < end && buf[i + 1] === LF) {
      out.methodEnd = start // an empty line
      return i + 1
    }
    const error = lineEndError(buf, i, end, 'request line without a target (HTTP/0.9 is not supported)')
    if (error === -1) return -1
    throw error
  }
  if (i === start) throw new HttpError(400, 'request line without a method')
  out.methodEnd = i

  const targetStart = ++i
  while (i < end && TARGET[buf[i]!] === 1) i++
  if (i - targetStart > maxTargetBytes) throw new HttpError(414, `request target over the ${maxTargetBytes}-byte limit`)
  if (i === end) return -1
  c = buf[i]!
  if (c !== SP) {
    if (c !== CR && c !== LF) throw new HttpError(400, 'invalid character in the request target')
    const error = lineEndError(buf, i, end, 'request line without a version (HTTP/0.9 is not supported)')
    if (error === -1) return -1
    throw error
  }
  if (i === targetStart) throw new HttpError(400, 'empty request target')
  out.targetStart = targetStart
  out.targetEnd = i

  const v = ++i
  while (i < end && (c = buf[i]!) !== CR && c !== LF) {
    if (++i - v > VERSION_LENGTH) throw new HttpError(400, 'malformed HTTP version in the request line')
  }
  if (i === end) return -1
  if (c === LF) throw new HttpError(400, 'bare LF line end in the request line')
  if (i + 1 === end) return -1
  if (buf[i + 1] !== LF) throw new HttpError(400, 'bare CR in the request line')
  if (
    i - v !== VERSION_LENGTH ||
    buf[v] !== 0x48 || buf[v + 1] !== 0x54 || buf[v + 2] !== 0x54 || buf[v + 3] !== 0x50 || buf[v + 4] !== 0x2f || // HTTP/
    !isDigit(buf[v + 5]!) || buf[v + 6] !== 0x2e || !isDigit(buf[v + 7]!)
  ) {
    throw new HttpError(400, 'malformed HTTP version in the request line')
  }
  const major = buf[v + 5]! - 0x30
  const minor = buf[v + 7]! - 0x30
  if (major !== 1) throw new HttpError(505, `HTTP/${major}.${minor} is not supported (HTTP/1.0 and HTTP/1.1 are)`)
  out.version = minor === 0 ? '1.0' : '1.1'
  return i + 1
}

/** The method as a shared constant for the common ones (no decoding), else undefined. */
export function knownMethod(buf: Uint8Array, start: number, end: number): string | undefined {
  const n = end - start
  const c = buf[start]
  if (n === 3) {
    if (c === 0x47 && buf[start + 1] === 0x45 && buf[start + 2] === 0x54) return 'GET'
    if (c === 0x50 && buf[start + 1] === 0x55 && buf[start + 2] === 0x54) return 'PUT'
  } else if (n === 4) {
    if (c === 0x50 && buf[start + 1] === 0x4f && buf[start + 2] === 0x53 && buf[start + 3] === 0x54) return 'POST'
    if (c === 0x48 && buf[start + 1] === 0x45 && buf[start + 2] === 0x41 && buf[start + 3] === 0x44) return 'HEAD'
  }
  return undefined
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}

/** The status for a request line longer than the whole head limit, judged on its first bytes
 * buf[start, seen): 414 when the target is what overflows (no SP after it yet), else 431. */
export function requestLineOverflow(buf: Uint8Array, start: number, seen: number, maxTargetBytes: number): 414 | 431 {
  let sp = start
  while (sp < seen && buf[sp] !== SP) sp++
  if (sp === seen) return 431
  for (let i = sp + 1; i < seen; i++) if (buf[i] === SP) return 431
  return seen - (sp + 1) > maxTargetBytes ? 414 : 431
}
