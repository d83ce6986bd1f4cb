// Percent-decode a request path exactly once (WSGI's PATH_INFO), strictly.
//
// Rules (each a 400, via AppError, before any app sees the path):
// - The raw path is printable ASCII without '#': RFC 9112 §3.2 makes the request-target ASCII
//   (non-ASCII must arrive percent-encoded) and RFC 3986 §3.5 leaves the fragment to the client.
// - Every '%' starts a two-hex-digit escape (RFC 3986 §2.1); '%', '%4', '%zz' are errors, not
//   literal text, so one path cannot mean two things to two layers.
// - No NUL, raw or as %00: file APIs end strings at NUL (Node throws on it), so a path with one
//   names a different file than the one that was checked.
// - The decoded bytes are well-formed UTF-8: overlong forms (%C0%AE for '.', %C0%AF for '/'),
//   UTF-16 surrogates and values past U+10FFFF are rejected (RFC 3629 §3) — the overlong dot is
//   the classic way around a '..' check done on the bytes (CVE-2000-0884, IIS).
// Decoding happens once: '%252e' becomes '%2e', never '.'. '%2F' becomes '/', as in WSGI; the
// static handler checks '..' segments on the decoded path, so an encoded slash cannot hide one.
import { AppError } from './app-error.js'

// fatal: malformed UTF-8 throws instead of becoming U+FFFD; ignoreBOM: keep a leading U+FEFF as
// the character it is (a path starts with '/', so this only makes the decoder exact).
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30
  const lower = code | 0x20
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10
  return -1
}

function badPath(why: string): AppError {
  return new AppError(400, `bad request path: ${why}`, true)
}

/** Decode `raw` (the path part of a request target, no query) once. Throws AppError 400. */
export function decodePath(raw: string): string {
  // Fast path: nothing to decode. Still checked, character by character, for the ASCII rules.
  let percent = false
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i)
    if (c === 0x25) percent = true
    else if (c <= 0x20 || c >= 0x7f) throw badPath(c === 0 ? 'NUL' : 'characters outside printable ASCII')
    else if (c === 0x23) throw badPath("'#' (a fragment is never sent)")
  }
  if (!percent) return raw

  const bytes = new Uint8Array(raw.length)
  let n = 0
  let nonAscii = false
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i)
    if (c !== 0x25) {
      bytes[n++] = c
      continue
    }
    const hi = i + 2 < raw.length ? hexValue(raw.charCodeAt(i + 1)) : -1
    const lo = hi >= 0 ? hexValue(raw.charCodeAt(i + 2)) : -1
    if (lo < 0) throw badPath(`invalid percent-escape at offset ${i}`)
    const byte = (hi << 4) | lo
    if (byte === 0) throw badPath('NUL (%00)')
    if (byte >= 0x80) nonAscii = true
    bytes[n++] = byte
    i += 2
  }
  if (!nonAscii) return Buffer.from(bytes.buffer, 0, n).toString('latin1')
  try {
    return utf8.decode(bytes.subarray(0, n))
  } catch {
    throw badPath('not valid UTF-8 (overlong, surrogate or truncated sequence)')
  }
}
