// A header (or trailer) field line (RFC 9112 §5, RFC 9110 §5.5): name ":" OWS value OWS CRLF.
//
// Rules (all 400):
// - The line ends with CRLF; a bare LF line end or a CR anywhere else is refused.
// - A line starting with SP or HTAB is whitespace before the first header (RFC 9112 §2.2) or an
//   obs-fold continuation (§5.2: a server MUST reject it or unfold it; we reject).
// - The name is a non-empty token, immediately followed by ':' (§5.1: no whitespace before the
//   colon, "MUST respond with 400").
// - The value holds field-vchar, SP, HTAB and obs-text only: NUL, CR, LF, the other CTLs and DEL
//   are refused (RFC 9110 §5.5). Leading and trailing OWS is not part of the value.
//
// The scanner finds the line's end itself (one pass, no separate search for LF) and may be
// handed a line that has not ended yet: it then returns -1, and it only throws for bytes whose
// verdict cannot change with what follows them (a CR as the last byte might start the CRLF).
import { HttpError } from './errors.js'
import { COLON, CR, FIELD_VALUE, HTAB, LF, SP, TOKEN } from './grammar.js'

/** Where the parts of a field line are (reused between calls). nameEnd === start: the empty line
 * that ends the section. */
export class FieldLine {
  nameEnd = 0
  valueStart = 0
  valueEnd = 0
}

/** Scan the line starting at `start` in buf[start, end). Returns the index of its LF, or -1 when
 * the line does not end before `end`. `first`: no field line came before it in this section. */
export function scanFieldLine(buf: Uint8Array, start: number, end: number, first: boolean, out: FieldLine): number {
  let c = buf[start]!
  if (c === CR) {
    if (start + 1 === end) return -1
    if (buf[start + 1] !== LF) throw new HttpError(400, 'bare CR in a header line')
    out.nameEnd = start
    return start + 1
  }
  if (c === SP || c === HTAB) {
    throw new HttpError(400, first ? 'whitespace before the first header line' : 'obs-fold (a header line continued on the next line)')
  }
  let i = start
  while (TOKEN[c] === 1) {
    if (++i === end) return -1
    c = buf[i]!
  }
  if (c !== COLON) {
    if (c === SP || c === HTAB) throw new HttpError(400, 'whitespace between a header name and the colon')
    if (c === CR) {
      if (i + 1 === end) return -1
      throw new HttpError(400, buf[i + 1] === LF ? 'header line without a colon' : 'bare CR in a header name')
    }
    if (c === LF) throw new HttpError(400, 'bare LF line end in a header line')
    throw new HttpError(400, 'header name is not a token')
  }
  if (i === start) throw new HttpError(400, 'header line without a name')
  out.nameEnd = i

  i++
  while (i < end && ((c = buf[i]!) === SP || c === HTAB)) i++
  const valueStart = i
  while (i < end && FIELD_VALUE[buf[i]!] === 1) i++
  if (i === end) return -1
  c = buf[i]!
  if (c !== CR) throw new HttpError(400, c === LF ? 'bare LF line end in a header line' : 'control character in a header value')
  if (i + 1 === end) return -1
  if (buf[i + 1] !== LF) throw new HttpError(400, 'bare CR in a header value')
  let valueEnd = i
  while (valueEnd > valueStart && ((c = buf[valueEnd - 1]!) === SP || c === HTAB)) valueEnd--
  out.valueStart = valueStart
  out.valueEnd = valueEnd
  return i + 1
}
