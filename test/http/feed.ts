// Feeding helpers for the parser tests (h11's habit): the same bytes whole, byte by byte, at
// chosen cuts, and the outcome reduced to plain data so different feeds compare with toEqual.
import { HttpError, RequestParser, type ParsedRequest, type ParserOptions } from '../../servers/http/parser.js'

/** A ParsedRequest with its body as a latin1 string (readable in failure diffs). */
export interface PlainRequest {
  method: string
  target: string
  version: '1.0' | '1.1'
  headers: Array<[string, string]>
  body: string
  keepAlive: boolean
}

export interface Outcome {
  requests: PlainRequest[]
  /** Set when push() (or end(), when asked) threw. */
  error?: { status: number; message: string }
  /** parser.buffered after the last chunk. */
  buffered: number
}

export function plain(request: ParsedRequest): PlainRequest {
  return { ...request, body: Buffer.from(request.body).toString('latin1') }
}

export function bytes(text: string): Buffer {
  return Buffer.from(text, 'latin1')
}

export function whole(input: Uint8Array): Uint8Array[] {
  return [input]
}

export function bytewise(input: Uint8Array): Uint8Array[] {
  return Array.from(input, (b) => Uint8Array.of(b))
}

/** Cut `input` at the given offsets (any order, duplicates and out-of-range ignored). */
export function cutAt(input: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.filter((c) => c > 0 && c < input.length))].sort((a, b) => a - b)
  const chunks: Uint8Array[] = []
  let start = 0
  for (const point of [...points, input.length]) {
    chunks.push(input.subarray(start, point))
    start = point
  }
  return chunks
}

/** Push every chunk into one fresh parser; optionally call end() after the last one. */
export function feed(chunks: Uint8Array[], options?: Partial<ParserOptions>, callEnd = false): Outcome {
  const parser = new RequestParser(options)
  const requests: PlainRequest[] = []
  try {
    for (const chunk of chunks) requests.push(...parser.push(chunk).map(plain))
    if (callEnd) parser.end()
  } catch (error) {
    if (!(error instanceof HttpError)) throw error
    requests.push(...error.requests.map(plain))
    return { requests, error: { status: error.status, message: error.message }, buffered: parser.buffered }
  }
  return { requests, buffered: parser.buffered }
}
