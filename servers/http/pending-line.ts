// The one unfinished line a parser carries from one push() to the next.
//
// Only the line that has not ended is kept (never the lines before it, which are already parsed),
// so holding it costs at most its limit, and the search for its end resumes in the new bytes
// instead of rescanning it: picohttpparser's `last_len`, h11's ReceiveBuffer.
export class PendingLine {
  /** bytes[0, length) is the line so far; the rest is spare capacity. */
  bytes: Buffer = Buffer.alloc(0)
  length = 0

  append(buf: Buffer, start: number, end: number): void {
    const needed = this.length + (end - start)
    if (needed > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.bytes.length * 2, 256))
      this.bytes.copy(grown, 0, 0, this.length)
      this.bytes = grown
    }
    buf.copy(this.bytes, this.length, start, end)
    this.length = needed
  }

  clear(): void {
    this.length = 0
  }
}
