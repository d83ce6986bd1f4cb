// Our parser on a fuzz case: whole, or cut into chunks (its verdict must not depend on the cuts).
import { HttpError, RequestParser, type ParsedRequest } from '../../servers/http/parser.js'
import { normalizeHeaders, type FramedRequest, type Outcome } from './outcome.js'

function framed(request: ParsedRequest): FramedRequest {
  return {
    method: request.method,
    target: request.target,
    version: request.version,
    body: Buffer.from(request.body).toString('latin1'),
    keepAlive: request.keepAlive,
    headers: normalizeHeaders(request.headers),
  }
}

/** Parse `input` pushed in pieces cut at `cuts` (sorted offsets; none: whole). */
export function parseOurs(input: Buffer, cuts: readonly number[] = []): Outcome {
  const parser = new RequestParser()
  const requests: FramedRequest[] = []
  try {
    let start = 0
    for (const cut of [...cuts, input.length]) {
      for (const request of parser.push(input.subarray(start, cut))) requests.push(framed(request))
      start = cut
    }
  } catch (error) {
    if (error instanceof HttpError) {
      requests.push(...error.requests.map(framed))
      return { requests, end: { kind: 'rejected', code: String(error.status), reason: error.message } }
    }
    return { requests, end: { kind: 'crashed', reason: error instanceof Error ? (error.stack ?? error.message) : String(error) } }
  }
  const last = requests[requests.length - 1]
  if (last !== undefined && !last.keepAlive) return { requests, end: { kind: 'closed' } }
  return { requests, end: { kind: parser.buffered > 0 ? 'pending' : 'idle' } }
}
