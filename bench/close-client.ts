// The project's own close-per-request load client: `connections` concurrent loops of
// connect → write one request carrying `Connection: close` → read the whole response → close.
// autocannon cannot do this correctly (it drops the response that triggers a reconnect and leaks
// stale start times: research/bench-anchors.md §0), so close-mode cells use this client.
//
// Timing: connect time (connect() called → 'connect') and response time (request written →
// response complete) go into separate µs HDR histograms, like h2load and oha report them.
// A response is complete when Content-Length body bytes have arrived (0 for HEAD, 1xx, 204, 304);
// without Content-Length it is read to close. The client then closes its end at once, as wrk does
// (wrk src/wrk.c response_complete → reconnect_socket).
//
// Deadline rule: no connection starts after durationSec; every connection started before it is
// followed to its end (response, error or timeout), so each response the server sent is counted
// exactly once; durationSec is measured to the end of the last one.
//
// Cost: on 2 cores this client is CPU-bound, so the request is built once, reads land in one
// preallocated buffer per loop (net `onread`), and timeouts are checked by one sweep timer instead
// of a timer per request.
import net from 'node:net'
import { performance } from 'node:perf_hooks'
import { createLatencyHistogram, recordMs, summarizeHistogram } from './latency-summary.js'
import type { LoadResult, LoadSpec } from './types.js'

export interface LoopbackTarget { host: string; port: number; hostHeader: string }

/** Load only ever targets this machine's loopback (brief: bounded load, 127.0.0.1 only). */
export function loopbackTarget(origin: string): LoopbackTarget {
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    throw new Error(`load origin ${JSON.stringify(origin)} is not a URL (expected http://127.0.0.1:PORT)`)
  }
  const host = url.hostname === '[::1]' ? '::1' : url.hostname
  if (url.protocol !== 'http:' || (host !== '127.0.0.1' && host !== '::1') || url.port === '') {
    throw new Error(`load origin ${origin} refused: only http://127.0.0.1:PORT or http://[::1]:PORT may be load-tested`)
  }
  return { host, port: Number(url.port), hostHeader: url.host }
}

/** The request bytes, built once. Connection and Content-Length are ours to set; the spec's other headers pass through. */
export function buildCloseRequest(spec: LoadSpec, hostHeader: string): Buffer {
  const body = spec.body === undefined ? Buffer.alloc(0) : Buffer.from(spec.body)
  const lines = [`${spec.method} ${spec.path} HTTP/1.1`]
  const names = Object.keys(spec.headers).map((name) => name.toLowerCase())
  if (!names.includes('host')) lines.push(`Host: ${hostHeader}`)
  for (const [name, value] of Object.entries(spec.headers)) {
    const lower = name.toLowerCase()
    if (lower !== 'connection' && lower !== 'content-length') lines.push(`${name}: ${value}`)
  }
  lines.push('Connection: close')
  if (body.length > 0 || spec.method === 'POST' || spec.method === 'PUT') lines.push(`Content-Length: ${body.length}`)
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), body])
}

const HEAD_END = Buffer.from('\r\n\r\n')
/** Node's own header limit (http.maxHeaderSize, 16 KiB); a longer head is a malformed response. */
const MAX_HEAD = 16 * 1024
/** One read buffer per loop: 64 KiB, the size libuv reads into by default. */
const READ_BUFFER = 64 * 1024

interface Exchange {
  socket: net.Socket
  startedAt: number
  finish(outcome: 'timeout'): void
}

export async function runCloseClient(spec: LoadSpec): Promise<LoadResult> {
  if (spec.mode !== 'close') throw new Error(`close-client only runs mode 'close' (got '${spec.mode}'); use autocannon or wrk for keep-alive`)
  const target = loopbackTarget(spec.origin)
  const request = buildCloseRequest(spec, target.hostHeader)
  const bodyless = spec.method === 'HEAD'
  const latency = createLatencyHistogram()
  const connectLatency = createLatencyHistogram()
  const perSecond: number[] = []
  let requests = 0, non2xx = 0, errors = 0, timeouts = 0, bytesRead = 0
  let stopping = false
  const active = new Set<Exchange>()

  const start = performance.now()
  let end = start

  return new Promise<LoadResult>((resolve) => {
    let running = spec.connections

    const loop = (readBuffer: Buffer): void => {
      if (stopping) {
        if (--running === 0) finishRun()
        return
      }
      exchange(readBuffer)
    }

    const exchange = (readBuffer: Buffer): void => {
      const startedAt = performance.now()
      let writtenAt = 0
      let done = false
      // response state: head bytes gathered until CRLFCRLF, then body bytes counted down
      let head: Buffer | null = null
      let headLength = 0
      let status = 0
      let remaining = -1 // body bytes still expected; -1 = unknown (read to close)

      const finish = (outcome: 'response' | 'error' | 'timeout'): void => {
        if (done) return
        done = true
        active.delete(record)
        const now = performance.now()
        if (outcome === 'response') {
          requests++
          recordMs(latency, now - writtenAt)
          const second = Math.floor((now - start) / 1000)
          perSecond[second] = (perSecond[second] ?? 0) + 1
          if (status < 200 || status > 299) non2xx++
        } else if (outcome === 'timeout') {
          timeouts++
        } else {
          errors++
        }
        end = now
        socket.destroy()
        loop(readBuffer)
      }

      const onBody = (bytes: number): void => {
        if (remaining < 0) return
        remaining -= bytes
        if (remaining <= 0) finish('response')
      }

      const onHead = (buffer: Buffer, from: number, to: number): void => {
        // common case: the whole head is in this read; otherwise gather it (rare, copies)
        let view = buffer.subarray(from, to)
        if (head !== null) {
          view = Buffer.concat([head.subarray(0, headLength), view])
        }
        const endAt = view.indexOf(HEAD_END)
        if (endAt < 0) {
          if (view.length > MAX_HEAD) return finish('error')
          head = Buffer.from(view)
          headLength = view.length
          return
        }
        const text = view.toString('latin1', 0, endAt + 2)
        status = parseStatus(text)
        if (status === 0) return finish('error')
        if (status >= 100 && status < 200) return finish('error') // interim responses are not sent to these requests
        const length = contentLength(text)
        if (length === -2) return finish('error')
        remaining = bodyless || status === 204 || status === 304 ? 0 : length
        head = null
        if (remaining === 0) return finish('response')
        onBody(view.length - (endAt + 4))
      }

      const socket = net.connect({
        host: target.host,
        port: target.port,
        onread: {
          buffer: readBuffer,
          callback: (bytes: number, buffer: Uint8Array): boolean => {
            if (done) return false
            bytesRead += bytes
            if (status === 0) onHead(buffer as Buffer, 0, bytes)
            else onBody(bytes)
            return true
          },
        },
      })
      const record: Exchange = { socket, startedAt, finish }
      active.add(record)
      socket.on('connect', () => {
        if (done) return
        recordMs(connectLatency, performance.now() - startedAt)
        socket.write(request)
        writtenAt = performance.now()
      })
      socket.on('end', () => {
        // peer closed: a read-to-close body is complete; anything else was cut off
        if (status !== 0 && remaining < 0) finish('response')
        else finish('error')
      })
      socket.on('error', () => finish('error'))
      // No 'close' listener: a socket closes by 'end', 'error' or our own destroy(); anything else
      // left hanging is ended by the timeout sweep.
    }

    // One sweep instead of a timer per request; a timeout is noticed within timeoutMs + sweep.
    const sweepMs = Math.max(10, Math.min(100, Math.floor(spec.timeoutMs / 4)))
    const sweeper = setInterval(() => {
      const now = performance.now()
      for (const record of active) {
        if (now - record.startedAt > spec.timeoutMs) record.finish('timeout')
      }
    }, sweepMs)
    const deadline = setTimeout(() => { stopping = true }, spec.durationSec * 1000)

    const finishRun = (): void => {
      clearInterval(sweeper)
      clearTimeout(deadline)
      const durationSec = Math.max(end - start, 1) / 1000
      resolve({
        driver: 'close-client',
        mode: 'close',
        durationSec,
        requests,
        requestsPerSec: requests / durationSec,
        non2xx,
        errors,
        timeouts,
        bytesRead,
        latencyUs: summarizeHistogram(latency, 'close-client hdr µs (request written → response complete)'),
        connectUs: summarizeHistogram(connectLatency, 'close-client hdr µs (connect → established)'),
        clientCpuSec: 0, // measured by the process that runs the client (run-load)
        perSecond: Array.from(perSecond, (count) => count ?? 0),
      })
    }

    for (let i = 0; i < spec.connections; i++) exchange(Buffer.allocUnsafe(READ_BUFFER))
  })
}

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
