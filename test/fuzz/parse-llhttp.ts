// llhttp, Node's own HTTP parser, on a fuzz case: the native HTTPParser that node:http drives,
// set up the way node:http's server sets it up (request mode, the 16 KiB header limit, no lenient
// flags). Reached through `_http_common`, as Node's own parser tests do
// (test/parallel/test-http-parser.js): in process, so 20,000 cases take a second, not a socket
// round trip each. What node:http adds on top of llhttp (requireHostHeader, its 417 and its
// upgrade handling) is not llhttp's framing and is not modelled here.
import { createRequire } from 'node:module'
import { normalizeHeaders, type FramedRequest, type Outcome } from './outcome.js'

interface NativeParser {
  initialize(type: number, resource: object, maxHeaderSize: number, lenient: number): void
  execute(data: Buffer): number | undefined | (Error & { code: string; reason: string; bytesParsed: number })
  close(): void
  [callback: number]: (...args: never[]) => unknown
}
interface HttpCommon {
  HTTPParser: {
    new (): NativeParser
    REQUEST: number
    kOnMessageBegin: number
    kOnHeaders: number
    kOnHeadersComplete: number
    kOnBody: number
    kOnMessageComplete: number
    kLenientNone: number
  }
  methods: string[]
}

const { HTTPParser, methods } = createRequire(import.meta.url)('_http_common') as HttpCommon

// node:http's default maxHeaderSize (http.maxHeaderSize, 16 KiB since v13.13.0): the same head
// limit our parser uses.
const NODE_MAX_HEADER_SIZE = 16 * 1024

function pairs(flat: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = []
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i]!, flat[i + 1]!])
  return out
}

export function parseLlhttp(input: Buffer): Outcome {
  const parser = new HTTPParser()
  parser.initialize(HTTPParser.REQUEST, {}, NODE_MAX_HEADER_SIZE, HTTPParser.kLenientNone)
  const requests: FramedRequest[] = []
  let current: FramedRequest | undefined
  let inMessage = false
  let headersDone = false
  let pendingHeaders: string[] = []
  let pendingUrl = ''
  let upgrade = false
  let upgradeMethod = ''
  const body: Buffer[] = []

  parser[HTTPParser.kOnMessageBegin] = () => {
    inMessage = true
    headersDone = false
    pendingHeaders = []
    pendingUrl = ''
  }
  // Long heads arrive in parts before headers-complete; after it, these are trailers (dropped).
  parser[HTTPParser.kOnHeaders] = ((headers: string[], url: string) => {
    if (headersDone) return
    pendingHeaders.push(...headers)
    pendingUrl += url
  }) as never
  parser[HTTPParser.kOnHeadersComplete] = ((
    major: number,
    minor: number,
    headers: string[] | undefined,
    method: number,
    url: string | undefined,
    _status: unknown,
    _message: unknown,
    isUpgrade: boolean,
    keepAlive: boolean,
  ) => {
    headersDone = true
    upgrade = isUpgrade
    upgradeMethod = methods[method] ?? ''
    current = {
      method: methods[method] ?? `#${method}`,
      target: url ?? pendingUrl,
      version: `${major}.${minor}`,
      body: '',
      keepAlive,
      headers: normalizeHeaders(pairs(headers ?? pendingHeaders)),
    }
    body.length = 0
    return 0
  }) as never
  parser[HTTPParser.kOnBody] = ((chunk: Buffer) => {
    body.push(Buffer.from(chunk))
  }) as never
  parser[HTTPParser.kOnMessageComplete] = () => {
    inMessage = false
    if (current) {
      current.body = Buffer.concat(body).toString('latin1')
      requests.push(current)
      current = undefined
    }
  }

  // A zero-length buffer with no backing store gets undefined back (no data pointer): nothing parsed.
  const result = parser.execute(input) ?? 0
  parser.close()
  const last = requests[requests.length - 1]
  if (upgrade && typeof result === 'number') {
    if (!inMessage) return { requests, end: { kind: 'upgrade', method: upgradeMethod, complete: true } }
    // node_http_parser.cc returns the bytes parsed instead of the error for a request marked
    // upgrade: node:http then hands the rest of the connection to the 'upgrade' listener.
    if (result < input.length) return { requests, end: { kind: 'upgrade', method: upgradeMethod, complete: false } }
  }
  // After a request that closes the connection llhttp refuses anything but CRLF
  // (HPE_CLOSED_CONNECTION): node:http would have closed by then, so that is "closed", not a verdict.
  if (last !== undefined && !last.keepAlive && (typeof result === 'number' || result.code === 'HPE_CLOSED_CONNECTION')) {
    return { requests, end: { kind: 'closed' } }
  }
  if (typeof result !== 'number') return { requests, end: { kind: 'rejected', code: result.code, reason: result.reason } }
  return { requests, end: { kind: inMessage ? 'pending' : 'idle' } }
}
