// A chunk-size line of a chunked body (RFC 9112 §7.1):
//   chunk-size [ chunk-ext ] CRLF
//   chunk-size = 1*HEXDIG
//   chunk-ext  = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )   (we take no BWS)
//
// Rules:
// - The size is bare hex: no "0x", no sign, no whitespace before it (400).
// - More than 16 hex digits is an overflow (400): 16 cover any 64-bit size, llhttp's bound. We
//   count leading zeros too, which keeps the line bounded.
// - Extensions are parsed (names are tokens, values tokens or quoted strings) and then ignored.
// - No whitespace anywhere in the line outside a quoted string (400): not after the size, not
//   around ';' or '='. RFC 9112 §7.1.1 allows BWS there (which a sender MUST NOT generate), but
//   llhttp refuses it (Node 20's default; `kLenientSpacesAfterChunkSize` and lenient chunk
//   extensions are opt-in), and a chunk line that two parsers on the path read differently is a
//   request-smuggling vector, so we refuse it too. The fuzzer (test/fuzz) checks that wherever
//   llhttp refuses a chunk line for its framing, we do.
// - Extension bytes are summed over the whole request; more than maxChunkExtBytes is a 413
//   (Node's rule). This and the overflow rule are judged on the line's prefix, so they can fire
//   before the line ends, and they are checked first on a complete line too.
import { HttpError } from './errors.js'
import { CR, HEX_VALUE, HTAB, QUOTED_TEXT, FIELD_VALUE, SP, TOKEN } from './grammar.js'

export const CHUNK_SIZE_MAX_DIGITS = 16

/** What one chunk-size line said (reused between calls). */
export interface ChunkLine {
  size: number
  extBytes: number
}

const result: ChunkLine = { size: 0, extBytes: 0 }

/** The limit rules judged on buf[start, contentEnd), the line without its CRLF (or, for a line not
 * ended yet, without a final CR). */
export function chunkLinePrefixError(buf: Uint8Array, start: number, contentEnd: number, extBudget: number): HttpError | undefined {
  const digits = hexDigits(buf, start, contentEnd)
  if (digits > CHUNK_SIZE_MAX_DIGITS) return new HttpError(400, 'chunk size overflows (more than 16 hex digits)')
  if (contentEnd - start - digits > extBudget) return new HttpError(413, 'chunk extensions over the size limit')
  return undefined
}

/** Leading HEXDIGs of buf[start, end), counting at most one past the maximum. */
function hexDigits(buf: Uint8Array, start: number, end: number): number {
  const stop = Math.min(end, start + CHUNK_SIZE_MAX_DIGITS + 1)
  let i = start
  while (i < stop && HEX_VALUE[buf[i]!]! >= 0) i++
  return i - start
}

/** Check the complete line buf[start, lf] (lf: index of the LF). The returned object is reused. */
export function checkChunkLine(buf: Uint8Array, start: number, lf: number, extBudget: number): ChunkLine {
  const hasCr = lf > start && buf[lf - 1] === CR
  const end = hasCr ? lf - 1 : lf
  const limitError = chunkLinePrefixError(buf, start, end, extBudget)
  if (limitError) throw limitError
  if (!hasCr) throw new HttpError(400, 'bare LF line end in a chunk-size line')
  const digits = hexDigits(buf, start, end)
  if (digits === 0) throw new HttpError(400, 'chunk size is not a hex number')
  let size = 0
  for (let i = start; i < start + digits; i++) size = size * 16 + HEX_VALUE[buf[i]!]!
  checkExtensions(buf, start + digits, end)
  result.size = size
  result.extBytes = end - start - digits
  return result
}

function token(buf: Uint8Array, i: number, end: number): number {
  const start = i
  while (i < end && TOKEN[buf[i]!] === 1) i++
  if (i === start) throw i === end ? new HttpError(400, 'chunk extension without a name or value') : malformed(buf[i])
  return i
}

function malformed(c: number | undefined): HttpError {
  if (c === SP || c === HTAB) return new HttpError(400, 'whitespace in a chunk-size line')
  return new HttpError(400, c === CR ? 'bare CR in a chunk-size line' : 'malformed chunk size or extension')
}

function checkExtensions(buf: Uint8Array, i: number, end: number): void {
  while (i < end) {
    if (buf[i] !== 0x3b /* ; */) throw malformed(buf[i])
    i = token(buf, i + 1, end)
    if (i < end && buf[i] === 0x3d /* = */) {
      i++
      i = buf[i] === 0x22 /* " */ ? quotedString(buf, i + 1, end) : token(buf, i, end)
    }
  }
}

/** Index after the closing DQUOTE of a quoted-string whose body starts at i (RFC 9110 §5.6.4). */
function quotedString(buf: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = buf[i]!
    if (c === 0x22) return i + 1
    if (c === 0x5c /* \ */) {
      if (i + 1 >= end || FIELD_VALUE[buf[i + 1]!] === 0) throw malformed(buf[i + 1])
      i += 2
    } else if (QUOTED_TEXT[c] === 1) {
      i++
    } else {
      throw malformed(c)
    }
  }
  throw new HttpError(400, 'unterminated quoted string in a chunk extension')
}
