// The facts our own clients (close-client, open-loop-connection) need from a response head, read
// without a full parser: where the head ends, the status code and how the body is framed. Kept
// apart from the clients so each can be read alone.

/** Status code from `HTTP/1.x NNN ...`; 0 when the status line is not one. */
export function parseStatus(head: string): number {
  if (!head.startsWith('HTTP/1.') || head.charCodeAt(8) !== 0x20) return 0
  let code = 0
  for (let i = 9; i < 12; i++) {
    const digit = head.charCodeAt(i) - 0x30
    if (digit < 0 || digit > 9) return 0
    code = code * 10 + digit
  }
  const after = head.charCodeAt(12) // SP before the reason phrase, or CR when it is left out
  return code >= 100 && (after === 0x20 || after === 0x0d) ? code : 0
}

const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)[ \t]*\r\n/i
const CHUNKED = /\r\ntransfer-encoding:[^\r]*chunked/i

/** Body length from the head: the number, -1 when read to close (no length, or chunked), -2 when malformed. */
export function contentLength(head: string): number {
  const match = CONTENT_LENGTH.exec(head)
  if (match === null) {
    return /\r\ncontent-length:/i.test(head) ? -2 : -1
  }
  if (CHUNKED.test(head)) return -1 // RFC 9112 §6.3: Transfer-Encoding overrides Content-Length
  const value = Number(match[1])
  return Number.isSafeInteger(value) ? value : -2
}

const HEAD_END = Buffer.from('\r\n\r\n')
/** Node's own header limit (http.maxHeaderSize, 16 KiB); a longer head is a malformed response. */
const MAX_HEAD = 16 * 1024

export interface ResponseHead {
  /** Offset of the first body byte in the bytes read. */
  bodyAt: number
  status: number
  /** contentLength's answer: bytes, or -1 read to close. */
  length: number
}

/**
 * The response head at the start of `view`: null while it is still incomplete, 'malformed' when it
 * cannot be one (too long, no status line, an interim 1xx none of our requests asks for, a bad
 * Content-Length).
 */
export function readResponseHead(view: Buffer): ResponseHead | null | 'malformed' {
  const endAt = view.indexOf(HEAD_END)
  if (endAt < 0) return view.length > MAX_HEAD ? 'malformed' : null
  const text = view.toString('latin1', 0, endAt + 2)
  const status = parseStatus(text)
  if (status < 200) return 'malformed'
  const length = contentLength(text)
  return length === -2 ? 'malformed' : { bodyAt: endAt + 4, status, length }
}
