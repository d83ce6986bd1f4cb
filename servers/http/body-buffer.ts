// The body of the request being read, copied out of the pushed chunks.
//
// A copy (not a view of the chunk) because models may read into one buffer and reuse it. It grows
// by doubling as bytes arrive instead of reserving an announced Content-Length up front: the
// length comes from the peer, and an idle connection announcing 1 MiB should cost nothing yet.
const EMPTY = new Uint8Array(0)
const FIRST_SIZE = 1024

export class BodyBuffer {
  #bytes: Buffer | undefined
  length = 0

  /** Add buf[start, end); `atMost` bounds the final size (the Content-Length, or the limit). */
  append(buf: Buffer, start: number, end: number, atMost: number): void {
    const n = end - start
    const used = this.length
    let bytes = this.#bytes
    if (bytes === undefined || used + n > bytes.length) {
      const size = Math.min(atMost, Math.max(used + n, (bytes?.length ?? 0) * 2, FIRST_SIZE))
      const grown = Buffer.allocUnsafe(size)
      if (bytes !== undefined) bytes.copy(grown, 0, 0, used)
      bytes = this.#bytes = grown
    }
    buf.copy(bytes, used, start, end)
    this.length = used + n
  }

  /** The body so far, handed over: the buffer starts empty again. */
  take(): Uint8Array {
    const body = this.#bytes === undefined ? EMPTY : this.#bytes.subarray(0, this.length)
    this.#bytes = undefined
    this.length = 0
    return body
  }
}
