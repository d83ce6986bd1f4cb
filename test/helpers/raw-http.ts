// Raw-socket helpers for tests: send exact bytes (whole, dribbled, split), read until the server
// closes or until N responses arrived, and split the bytes back into responses.
import net from 'node:net'

export interface RawResponse {
  status: number
  reason: string
  headers: Map<string, string>
  /** Header names in order, lower-cased, repeated ones included. */
  headerNames: string[]
  body: Buffer
}

/** Parse as many complete responses as `bytes` holds (Content-Length framing; HEAD has none). */
export function parseResponses(bytes: Buffer, headRequests: boolean[] = []): RawResponse[] {
  const responses: RawResponse[] = []
  let offset = 0
  while (offset < bytes.length) {
    const end = bytes.indexOf('\r\n\r\n', offset)
    if (end < 0) break
    const lines = bytes.subarray(offset, end).toString('latin1').split('\r\n')
    const match = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(lines[0] ?? '')
    if (!match) throw new Error(`not a status line: ${JSON.stringify(lines[0])}`)
    const headers = new Map<string, string>()
    const headerNames: string[] = []
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':')
      const name = line.slice(0, colon).toLowerCase()
      headerNames.push(name)
      headers.set(name, line.slice(colon + 1).trim())
    }
    const isHead = headRequests[responses.length] ?? false
    const length = isHead ? 0 : Number(headers.get('content-length') ?? 0)
    const bodyStart = end + 4
    if (bodyStart + length > bytes.length) break
    responses.push({
      status: Number(match[1]),
      reason: match[2] ?? '',
      headers,
      headerNames,
      body: bytes.subarray(bodyStart, bodyStart + length),
    })
    offset = bodyStart + length
  }
  return responses
}

export interface Exchange {
  bytes: Buffer
  /** The server closed the connection (FIN or reset) before the deadline. */
  closed: boolean
  responses: RawResponse[]
}

export interface ExchangeOptions {
  /** Stop once this many complete responses arrived (default: wait for close). */
  responses?: number
  /** Pause between parts, ms. */
  gapMs?: number
  /** Give up after this long, ms. */
  timeoutMs?: number
  /** Which requests were HEAD (their responses have no body). */
  head?: boolean[]
  /** Half-close our side after sending. */
  endAfterSend?: boolean
}

/** Send `parts` (one write each, `gapMs` apart) and collect what comes back. */
export function exchange(port: number, parts: Array<string | Buffer>, options: ExchangeOptions = {}): Promise<Exchange> {
  const { gapMs = 0, timeoutMs = 5000, head = [] } = options
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', noDelay: true })
    const chunks: Buffer[] = []
    let done = false
    const finish = (closed: boolean): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      const bytes = Buffer.concat(chunks)
      socket.destroy()
      try {
        resolve({ bytes, closed, responses: parseResponses(bytes, head) })
      } catch (error) {
        reject(error)
      }
    }
    const timer = setTimeout(() => finish(false), timeoutMs)
    socket.on('data', (chunk) => {
      chunks.push(chunk)
      if (options.responses !== undefined) {
        const got = parseResponses(Buffer.concat(chunks), head).length
        if (got >= options.responses) finish(false)
      }
    })
    socket.on('close', () => finish(true))
    socket.on('error', () => finish(true))
    socket.on('connect', async () => {
      for (let i = 0; i < parts.length; i++) {
        if (done || socket.destroyed) return
        socket.write(parts[i]!)
        if (gapMs > 0 && i < parts.length - 1) await new Promise((r) => setTimeout(r, gapMs))
      }
      if (options.endAfterSend) socket.end()
    })
  })
}

/** Split a string into one-byte parts (a request dribbled byte by byte). */
export function bytewise(text: string): Buffer[] {
  const bytes = Buffer.from(text, 'latin1')
  return Array.from(bytes, (b) => Buffer.from([b]))
}

/** GET over a fresh connection with Connection: close; resolves with the one response. */
export async function get(port: number, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')
  const result = await exchange(port, [`GET ${path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n${extra}\r\n`])
  const response = result.responses[0]
  if (!response) throw new Error(`no response to GET ${path}; got ${JSON.stringify(result.bytes.toString('latin1').slice(0, 200))}`)
  return response
}
