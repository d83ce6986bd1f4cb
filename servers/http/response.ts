// The response writer: a status, headers and a body in, one buffer of HTTP/1.1 bytes out.
//
// Rules:
// - One Buffer per response, head and body together: one write, so a raw socket with Nagle on
//   never holds the body back for 40 ms behind the head.
// - The server owns the framing and connection fields: an app's Content-Length,
//   Transfer-Encoding, Connection, Keep-Alive and Date are dropped and ours written instead
//   (callApp already drops most; this keeps the writer safe for any caller).
// - Every response gets Date, Server (`httpmodels` unless the app named one), Content-Type
//   (application/octet-stream unless the app named one) and Content-Length from the body.
//   Exceptions: 204 and 304 get neither Content-Length nor a default Content-Type and never a
//   body (RFC 9110 §8.6: no Content-Length in a 204; §15.4.5: a 304 carries no representation
//   metadata, and a Content-Length there would have to be the 200's).
// - HEAD (`opts.head`): the headers a GET would get, Content-Length included, and no body
//   (RFC 9110 §9.3.2).
// - Connection: `close` when !keepAlive, else `keep-alive`. The latter is what lets an HTTP/1.0
//   client keep its connection (RFC 9112 §9.3, Appendix C.2.2) and costs HTTP/1.1 nothing, so the
//   writer needs no version; node:http sends it on every persistent response too.
// - The status line always says HTTP/1.1 (RFC 9110 §6.2: a server sends its own highest version,
//   also to a 1.0 client).
// - Header names and values are written as given: they must already be valid tokens and field
//   values (callApp checks what apps hand it). Strings are written as latin1.
import { STATUS_CODES } from 'node:http'
import { markAsUntransferable } from 'node:worker_threads'
import { isDeepFrozen } from './frozen-fields.js'
import { equalsLower } from './grammar.js'
import { httpDate } from './http-date.js'

export { httpDate } from './http-date.js'

export interface ResponseOptions {
  /** The request was HEAD: send the headers only. */
  head: boolean
  /** False: announce Connection: close (the caller closes after writing). */
  keepAlive: boolean
}

export interface Response {
  status: number
  reason: string
  headers: Array<[string, string]>
  body: Uint8Array
}

const SERVER_LINE = 'Server: httpmodels\r\n'
const DEFAULT_TYPE_LINE = 'Content-Type: application/octet-stream\r\n'
const KEEP_ALIVE_END = 'Connection: keep-alive\r\n\r\n'
const CLOSE_END = 'Connection: close\r\n\r\n'

/** The standard reason phrase, or '' for a code without one (the SP before it stays). */
export function reasonPhrase(status: number): string {
  return STATUS_CODES[status] ?? ''
}

// "HTTP/1.1 200 OK\r\n" for each status with its standard phrase, built once.
const statusLines = new Map<number, string>()

function statusLine(status: number, reason: string): string {
  let line = statusLines.get(status)
  if (line === undefined) {
    line = `HTTP/1.1 ${status} ${reasonPhrase(status)}\r\n`
    if (status >= 100 && status <= 999) statusLines.set(status, line)
  }
  return reason === reasonPhrase(status) ? line : `HTTP/1.1 ${status} ${reason}\r\n`
}

let dateSecondLine = ''
let dateSource = ''

function dateLine(): string {
  const date = httpDate()
  if (date !== dateSource) {
    dateSource = date
    dateSecondLine = `Date: ${date}\r\n`
  }
  return dateSecondLine
}

const DROP = 1
const SERVER = 2
const TYPE = 3

// By length first: most names are none of these and cost one switch.
function kind(name: string): number {
  switch (name.length) {
    case 4:
      return equalsLower(name, 'date') ? DROP : 0
    case 6:
      return equalsLower(name, 'server') ? SERVER : 0
    case 10:
      return equalsLower(name, 'connection') || equalsLower(name, 'keep-alive') ? DROP : 0
    case 12:
      return equalsLower(name, 'content-type') ? TYPE : 0
    case 14:
      return equalsLower(name, 'content-length') ? DROP : 0
    case 17:
      return equalsLower(name, 'transfer-encoding') ? DROP : 0
    default:
      return 0
  }
}

type Latin1Writable = Buffer & { latin1Write(s: string, offset: number): number }

// Response buffers. Under 4 KiB, Buffer.allocUnsafe carves them from Node's 8 KiB pool. Above
// that it allocates a fresh ArrayBuffer each time, measured at ~1.1 µs for 4 KiB against
// ~0.25 µs carved from a 256 KiB slab of our own, so mid-sized responses (static pages) come from
// a slab. A slab is freed once every response cut from it has been written and dropped; a slow
// client can pin one (256 KiB) meanwhile. Like Node's pool, slabs cannot be transferred to
// another thread (postMessage copies them instead of detaching everyone's bytes).
const SMALL = 4 * 1024
const SLAB_SIZE = 256 * 1024
const SLAB_MAX = 64 * 1024
let slab: Buffer | undefined
let slabUsed = 0

function allocate(size: number): Buffer {
  if (size < SMALL) return Buffer.allocUnsafe(size)
  if (size > SLAB_MAX) return Buffer.allocUnsafeSlow(size)
  if (slab === undefined || slabUsed + size > SLAB_SIZE) {
    slab = Buffer.allocUnsafeSlow(SLAB_SIZE)
    markAsUntransferable(slab.buffer)
    slabUsed = 0
  }
  const out = slab.subarray(slabUsed, slabUsed + size)
  slabUsed = (slabUsed + size + 7) & ~7 // keep slices 8-byte aligned, as Node's pool does
  return out
}

/** The header lines an app's list contributes, with our Server and default Content-Type lines
 * where it named none (`typed`: false for bodyless statuses, which get no default type). */
function headerBlock(headers: ReadonlyArray<readonly [string, string]>, typed: boolean): string {
  let block = ''
  let server = false
  let type = false
  for (let i = 0; i < headers.length; i++) {
    const [name, value] = headers[i]!
    const k = kind(name)
    if (k === DROP) continue
    if (k === SERVER) server = true
    else if (k === TYPE) type = true
    block += `${name}: ${value}\r\n`
  }
  if (!server) block += SERVER_LINE
  if (typed && !type) block += DEFAULT_TYPE_LINE
  return block
}

// A deeply frozen header list cannot change, so its block is built once: apps hand the same
// frozen list for every response of a kind, and callApp passes it through uncopied. The last
// whole head built from it is kept too: within a second, responses of one kind (a file, /hello)
// repeat it exactly, and a flat string copies into the buffer without being built and flattened.
interface Blocks {
  withBody?: string
  bodyless?: string
  last?: { status: number; reason: string; date: string; length: number; keepAlive: boolean; head: string }
}
const frozenBlocks = new WeakMap<object, Blocks>()

/** The deeply frozen list's cache entry, or undefined for a list that may still change. */
function blocksOf(headers: Array<[string, string]>): Blocks | undefined {
  if (!Object.isFrozen(headers)) return undefined // the common dynamic list: one cheap check
  let blocks = frozenBlocks.get(headers)
  if (blocks === undefined) {
    if (!isDeepFrozen(headers)) return undefined
    blocks = {}
    frozenBlocks.set(headers, blocks)
  }
  return blocks
}

function buildHead(res: Response, block: string, date: string, length: number, keepAlive: boolean, bodyless: boolean): string {
  const head = statusLine(res.status, res.reason) + date + block
  const end = keepAlive ? KEEP_ALIVE_END : CLOSE_END
  return bodyless ? head + end : `${head}Content-Length: ${length}\r\n${end}`
}

function headOf(res: Response, opts: ResponseOptions, bodyless: boolean): string {
  const date = dateLine()
  const length = res.body.length
  const blocks = blocksOf(res.headers)
  if (blocks === undefined) return buildHead(res, headerBlock(res.headers, !bodyless), date, length, opts.keepAlive, bodyless)
  const last = blocks.last
  if (
    last !== undefined && last.date === date && last.length === length && last.status === res.status &&
    last.keepAlive === opts.keepAlive && last.reason === res.reason
  ) {
    return last.head
  }
  const block = bodyless ? (blocks.bodyless ??= headerBlock(res.headers, false)) : (blocks.withBody ??= headerBlock(res.headers, true))
  // V8 flattens this concatenation in place on its first write, so every reuse is a plain copy.
  const head = buildHead(res, block, date, length, opts.keepAlive, bodyless)
  blocks.last = { status: res.status, reason: res.reason, date, length, keepAlive: opts.keepAlive, head }
  return head
}

const isBodyless = (status: number): boolean => status === 204 || status === 304 || status < 200

/** The whole response as one buffer (one write: no Nagle stall between head and body). */
export function serializeResponse(res: Response, opts: ResponseOptions): Buffer {
  const bodyless = isBodyless(res.status)
  const head = headOf(res, opts, bodyless)
  const bodyLength = opts.head || bodyless ? 0 : res.body.length
  const out = allocate(head.length + bodyLength) as Latin1Writable
  out.latin1Write(head, 0)
  if (bodyLength > 0) out.set(res.body, head.length)
  return out
}

// Above this, copying the body behind the head costs more than a second buffer in the same
// write: a 300 KiB file copied per response took ~60 µs more CPU than node:http, which writes
// head and body with one writev (nginx likewise sends the file after the header buffer).
export const SEPARATE_BODY_BYTES = 64 * 1024

/** The response as the buffers to write, in order: one buffer, or the head and the body itself
 * (not copied) when the body is over SEPARATE_BODY_BYTES. Writers cork or writev them. */
export function serializeResponseParts(res: Response, opts: ResponseOptions): Buffer[] {
  const bodyless = isBodyless(res.status)
  if (opts.head || bodyless || res.body.length <= SEPARATE_BODY_BYTES) return [serializeResponse(res, opts)]
  const body = res.body
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  return [Buffer.from(headOf(res, opts, false), 'latin1'), bytes]
}

/** A small text/plain response naming the status (and the detail, when given). */
export function errorResponse(status: number, detail?: string): Response {
  const reason = reasonPhrase(status)
  const text = `${status} ${reason}\n${detail ? `${detail}\n` : ''}`
  return {
    status,
    reason,
    headers: [['Content-Type', 'text/plain; charset=utf-8']],
    body: Buffer.from(text, 'utf8'),
  }
}
