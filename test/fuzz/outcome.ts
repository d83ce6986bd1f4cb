// What one parser made of a fuzz case's bytes, in a form both parsers share: the requests it
// completed (what decides framing: method, target, version, body, and whether the connection
// stays open) and how the bytes ended.

export interface FramedRequest {
  method: string
  target: string
  version: string
  /** latin1 */
  body: string
  keepAlive: boolean
  /** Names lower-cased, values without surrounding spaces and tabs: compared, not framing. */
  headers: Array<[string, string]>
}

export type End =
  /** Every byte used, between requests. */
  | { kind: 'idle' }
  /** Part of a request is held, waiting for more bytes. */
  | { kind: 'pending' }
  /** The last request closes the connection: later bytes are ignored. */
  | { kind: 'closed' }
  /** The bytes were refused: our status and message, or llhttp's HPE_ code and reason. */
  | { kind: 'rejected'; code: string; reason: string }
  /** llhttp only: a request switches protocols (Upgrade, CONNECT); later bytes are not HTTP.
   * complete: it is the last request; else node:http's binding swallowed an llhttp error in its
   * body (it does for any request marked upgrade) and hands the rest to the new protocol. */
  | { kind: 'upgrade'; method: string; complete: boolean }
  /** Our parser threw something other than HttpError: a bug. */
  | { kind: 'crashed'; reason: string }

export interface Outcome {
  requests: FramedRequest[]
  end: End
}

export function normalizeHeaders(flat: ReadonlyArray<readonly [string, string]>): Array<[string, string]> {
  return flat.map(([name, value]) => [name.toLowerCase(), value.replace(/^[ \t]+|[ \t]+$/g, '')])
}
