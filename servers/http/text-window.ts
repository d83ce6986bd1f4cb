// Strings for the parser, sliced from one latin1 decode of the bytes around them.
//
// Decoding is a call into C++ (~60 ns) while slicing a string is a few nanoseconds, so the first
// string wanted from a buffer decodes up to WINDOW bytes from there, and the request's target,
// header values and the heads of the requests pipelined after it are sliced from that one string.
// latin1 maps each byte to one char (RFC 9110 §5.5: field values are octets; obs-text keeps its
// byte value), so offsets in bytes are offsets in the string.

/** Enough for several pipelined heads, little wasted when a body follows. */
const WINDOW = 4096

type Latin1Buffer = Buffer & { latin1Slice(start: number, end: number): string }

export class TextWindow {
  #text = ''
  #buf: Buffer | undefined
  #start = 0
  #end = 0

  /** Forget the decoded text: call whenever the bytes it came from may have changed. */
  invalidate(): void {
    this.#buf = undefined
  }

  /** The latin1 text of buf[start, end); bytes past `limit` are never decoded. */
  textOf(buf: Buffer, start: number, end: number, limit: number): string {
    if (buf === this.#buf && start >= this.#start && end <= this.#end) {
      return this.#text.slice(start - this.#start, end - this.#start)
    }
    const windowEnd = Math.min(limit, Math.max(end, start + WINDOW))
    this.#text = (buf as Latin1Buffer).latin1Slice(start, windowEnd)
    this.#buf = buf
    this.#start = start
    this.#end = windowEnd
    return end === windowEnd ? this.#text : this.#text.slice(0, end - start)
  }
}
