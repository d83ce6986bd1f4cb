// The byte classes of HTTP/1.1 as lookup tables (RFC 9110 §5.6.2, §5.5; RFC 9112 §3, §7.1).
//
// The parser scans bytes, so each rule is one table lookup per byte instead of a regular
// expression per field. A table maps a byte (0–255) to 1 when the byte is allowed, 0 when not.

/** tchar (RFC 9110 §5.6.2): methods, field names, transfer-coding and connection-option names. */
export const TOKEN = new Uint8Array(256)
/** A byte inside a field value (RFC 9110 §5.5): field-vchar, SP, HTAB and obs-text (0x80–0xFF).
 * Everything else — NUL, CR, LF and the other CTLs, DEL — is refused. */
export const FIELD_VALUE = new Uint8Array(256)
/** A byte of a request-target: visible ASCII (0x21–0x7E). RFC 3986 allows fewer, but clients send
 * `|`, `{`, `"` raw and llhttp accepts them; the app's path decoder judges what they mean. SP,
 * CTLs, DEL and bytes ≥ 0x80 (URIs are ASCII, RFC 3986 §2) are a 400. */
export const TARGET = new Uint8Array(256)
/** qdtext and the bytes a quoted-pair may escape (RFC 9110 §5.6.4), for chunk-ext values. */
export const QUOTED_TEXT = new Uint8Array(256)
/** The hex value of a HEXDIG byte, or -1. */
export const HEX_VALUE = new Int8Array(256).fill(-1)

for (let c = 0x30; c <= 0x39; c++) TOKEN[c] = 1
for (let c = 0x41; c <= 0x5a; c++) TOKEN[c] = 1
for (let c = 0x61; c <= 0x7a; c++) TOKEN[c] = 1
for (const c of "!#$%&'*+-.^_`|~") TOKEN[c.charCodeAt(0)] = 1

FIELD_VALUE[0x09] = 1
for (let c = 0x20; c <= 0x7e; c++) FIELD_VALUE[c] = 1
for (let c = 0x80; c <= 0xff; c++) FIELD_VALUE[c] = 1

for (let c = 0x21; c <= 0x7e; c++) TARGET[c] = 1

QUOTED_TEXT.set(FIELD_VALUE)
QUOTED_TEXT[0x22] = 0 // DQUOTE ends the string; '\' starts a quoted-pair, handled by the caller

for (let d = 0; d <= 9; d++) HEX_VALUE[0x30 + d] = d
for (let d = 0; d < 6; d++) {
  HEX_VALUE[0x41 + d] = 10 + d
  HEX_VALUE[0x61 + d] = 10 + d
}

export const CR = 0x0d
export const LF = 0x0a
export const SP = 0x20
export const HTAB = 0x09
export const COLON = 0x3a

/** True when `s` is a non-empty token (for strings already decoded: coding names, options). */
export function isToken(s: string): boolean {
  if (s.length === 0) return false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c > 0xff || TOKEN[c] === 0) return false
  }
  return true
}

/** True for OWS bytes (RFC 9110 §5.6.3). */
export function isOws(c: number): boolean {
  return c === SP || c === HTAB
}

/** Case-insensitive compare of an ASCII string against an all-lower-case word. */
export function equalsLower(s: string, lower: string): boolean {
  if (s.length !== lower.length) return false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    const l = lower.charCodeAt(i)
    // Only letters differ by 0x20 between cases; `l` is lower case, so c | 0x20 === l can also
    // match a non-letter c only when l is not a letter either, which the first test covers.
    if (c !== l && ((c | 0x20) !== l || l < 0x61 || l > 0x7a)) return false
  }
  return true
}
