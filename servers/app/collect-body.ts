// Collect an app's body (string, bytes, an iterable or async iterable of them) into one buffer.
//
// Synchronous whenever the body is: a string, bytes or a plain iterable comes back as a
// Uint8Array, not a promise, so the servers' fast path allocates no promise per request. Only an
// async iterable gives a promise. Strings are UTF-8 (the only encoding the gateway speaks; an app
// that wants another sends bytes). Anything else — undefined from a forgotten `return`, a number,
// a chunk of the wrong type — is a TypeError, which callApp answers with a 500.
import type { AppBody, BodyChunk } from './gateway.js'

const EMPTY = new Uint8Array(0)

function chunkBytes(chunk: BodyChunk): Uint8Array {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8')
  if (chunk instanceof Uint8Array) return chunk
  throw new TypeError(`app body chunk must be a string or Uint8Array, got ${describe(chunk)}`)
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'object') return value.constructor?.name ?? 'object'
  return typeof value
}

function join(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 0) return EMPTY
  if (chunks.length === 1) return chunks[0]!
  return Buffer.concat(chunks, total)
}

function isAsyncIterable(value: object): value is AsyncIterable<BodyChunk> {
  return typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
}

function isIterable(value: object): value is Iterable<BodyChunk> {
  return typeof (value as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function'
}

async function collectAsync(body: AsyncIterable<BodyChunk>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  let total = 0
  for await (const chunk of body) {
    const bytes = chunkBytes(chunk)
    chunks.push(bytes)
    total += bytes.length
  }
  return join(chunks, total)
}

/** The body as bytes: synchronously unless it is an async iterable. Throws (or rejects) a
 * TypeError for a value that is not an AppBody, and passes on whatever the body's iterator throws. */
export function collectBody(body: AppBody): Uint8Array | Promise<Uint8Array> {
  if (typeof body === 'string') return Buffer.from(body, 'utf8')
  if (body instanceof Uint8Array) return body
  if (typeof body !== 'object' || body === null) {
    throw new TypeError(`app must return a string, Uint8Array or iterable body, got ${describe(body)}`)
  }
  if (isAsyncIterable(body)) return collectAsync(body)
  if (!isIterable(body)) {
    throw new TypeError(`app must return a string, Uint8Array or iterable body, got ${describe(body)}`)
  }
  const chunks: Uint8Array[] = []
  let total = 0
  for (const chunk of body) {
    const bytes = chunkBytes(chunk)
    chunks.push(bytes)
    total += bytes.length
  }
  return join(chunks, total)
}
