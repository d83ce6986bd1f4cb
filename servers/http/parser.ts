// A sans-IO, incremental HTTP/1.1 request parser: bytes in, complete requests out.
//
// It never touches a socket or a file (h11's rule: "containing no networking code at all"), so
// every concurrency model feeds it whatever bytes it read, however they were split.
//
// Contract:
// - push(chunk) returns the requests the bytes completed, in order. Any split of the same bytes
//   (whole, byte by byte, random) gives the same requests, and the same error for bad bytes.
// - Bad input throws HttpError carrying the status to answer (400, 413, 414, 431, 501, 505; the
//   rules are in field-line.ts, request-line.ts, chunk-line.ts and framing.ts). Requests that
//   the same push() completed before the bad bytes ride on the error (`error.requests`). After
//   an error the parser stays failed: push() and end() throw an HttpError with the same status
//   and message again.
// - After a request with keepAlive false is returned, the parser is closed: push() returns
//   nothing and ignores further bytes (the connection answers that request, then closes).
// - Header names are lower-cased (values are kept as sent, minus surrounding OWS), so consumers
//   compare them with `===`. Repeated fields stay separate entries, in order.
// - The body is always a copy the parser owns: a model may reuse its read buffer after push().
// - Expect (RFC 9110 §10.1.1): an expectation other than 100-continue is a 417 at the end of the
//   head. A 100-continue is not an error and not part of the request: takeContinue() tells the
//   caller, once per request, that the head asked for it and no body byte has arrived yet, so the
//   caller can send the interim `100 Continue` (the parser never writes anything itself).
// - Leading empty lines before a request line are skipped (RFC 9112 §2.2 SHOULD ignore at least
//   one; a client may send CRLF after a POST body).
//
// How it stays cheap: head lines are checked and their ends found in one pass of table lookups
// (request-line.ts, field-line.ts); strings are sliced from one latin1 decode shared by a whole
// chunk, pipelined heads included (text-window.ts); a line split across pushes keeps only itself
// and the search for its end resumes in the new bytes (pending-line.ts), so no byte is scanned
// twice by JavaScript; common header names and methods are shared constants, not new strings.
//
// Why a split never changes the verdict: a line's content is judged only once the line has ended;
// before that only its size limit can fire, judged on a fixed prefix (the first limit + 1 bytes),
// and a complete line is judged on its size first. So the first bad line decides, whatever the
// chunks were.
import { BodyBuffer } from './body-buffer.js'
import { checkChunkLine, chunkLinePrefixError, CHUNK_SIZE_MAX_DIGITS } from './chunk-line.js'
import { HttpError } from './errors.js'
import { FieldLine, scanFieldLine } from './field-line.js'
import { CHUNKED, bodyLength, checkHost, expectsContinue, freshFacts, isValidHost, keepAlive } from './framing.js'
import { CR, HTAB, LF } from './grammar.js'
import { CONNECTION, CONTENT_LENGTH, EXPECT, HOST, knownName, TRANSFER_ENCODING } from './header-names.js'
import { resolveLimits, type ParserOptions } from './limits.js'
import type { ParsedRequest } from './parsed-request.js'
import { PendingLine } from './pending-line.js'
import { knownMethod, requestLineOverflow, scanRequestLine, RequestLine } from './request-line.js'
import { TextWindow } from './text-window.js'

export { HttpError } from './errors.js'
export type { ParsedRequest } from './parsed-request.js'
export { DEFAULT_LIMITS, resolveLimits, type ParserOptions } from './limits.js'

// Where the parser is in the current request.
const HEAD = 0 // request line and header lines
const BODY = 1 // Content-Length body, #remaining bytes to go
const CHUNK_SIZE = 2 // a chunk-size line
const CHUNK_DATA = 3 // #remaining bytes of chunk data
const CHUNK_CRLF = 4 // the CRLF after chunk data; #remaining counts its bytes still due
const TRAILERS = 5 // trailer field lines until the empty line
const CLOSED = 6 // a keepAlive=false request was returned, or the peer ended: ignore everything
const FAILED = 7

function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
}

/** In the fields that frame the body, HTAB is not whitespace: RFC 9110 §5.6.3 allows it as OWS,
 * but llhttp refuses "Content-Length: 5<HTAB>" and "Transfer-Encoding: chunked<HTAB>", and two
 * parsers that disagree about a framing field are how requests are smuggled; no client sends a
 * tab there, so we refuse it anywhere in these two fields' values (400). */
function checkNoHtab(buf: Buffer, start: number, end: number): void {
  for (let i = start; i < end; i++) {
    if (buf[i] === HTAB) throw new HttpError(400, 'a tab in a Content-Length or Transfer-Encoding field')
  }
}

export class RequestParser {
  readonly #limits: ParserOptions
  #state = HEAD
  #error: HttpError | undefined

  readonly #pending = new PendingLine() // a line that has not ended yet
  readonly #text = new TextWindow()
  readonly #body = new BodyBuffer()

  // The request being read.
  #requestBytes = 0 // complete lines and body bytes consumed so far (for `buffered`)
  #sectionBytes = 0 // bytes of the head (or trailer section) so far, for maxHeadBytes
  #fieldCount = 0
  #method = ''
  #target = ''
  #version: '1.0' | '1.1' = '1.1'
  #headers: Array<[string, string]> = []
  #facts = freshFacts()
  #keepAlive = true
  #remaining = 0 // body or chunk bytes still due; 2, then 1, for the CRLF after chunk data
  #chunkExtBytes = 0
  /** The head asked for 100-continue and takeContinue() has not answered for it yet. */
  #continueWanted = false
  /** #requestBytes when the head ended: more means body bytes have arrived. */
  #headBytes = 0

  // Scratch results of the line scanners (reused: no allocation per line).
  readonly #line = new RequestLine()
  readonly #field = new FieldLine()

  constructor(options?: Partial<ParserOptions>) {
    this.#limits = resolveLimits(options)
  }

  /** Bytes held that do not yet form a complete request: 0 between requests (and once closed or
   * failed). A server uses it to tell a stalled request (408) from an idle connection. */
  get buffered(): number {
    return this.#state >= CLOSED ? 0 : this.#requestBytes + this.#pending.length
  }

  push(chunk: Uint8Array): ParsedRequest[] {
    const out: ParsedRequest[] = []
    if (this.#state === CLOSED) return out
    if (this.#state === FAILED) throw this.#again()
    const input = asBuffer(chunk)
    this.#text.invalidate() // a caller may refill the same buffer: never trust old text
    try {
      let pos = 0
      if (this.#pending.length > 0) pos = this.#resumeLine(input, out)
      if (pos < input.length) this.#run(input, pos, out)
    } catch (error) {
      throw this.#fail(error, out)
    }
    return out
  }

  /** True once per request whose head asked for `Expect: 100-continue` when its body is still to
   * come and not one byte of it has arrived: the caller should send `100 Continue` now (after the
   * responses to the requests before it). Call it after each push(). False when the request has
   * no body, when the body started arriving (the client did not wait: RFC 9110 §10.1.1 lets a
   * server omit the 100 then), and for every later call about the same request. */
  takeContinue(): boolean {
    if (!this.#continueWanted) return false
    this.#continueWanted = false
    return this.#state < CLOSED && this.#state !== HEAD && this.#requestBytes + this.#pending.length === this.#headBytes
  }

  end(): void {
    if (this.#state === FAILED) throw this.#again()
    if (this.#state === CLOSED) return
    if (this.#requestBytes + this.#pending.length > 0) {
      throw this.#fail(new HttpError(400, 'connection closed in the middle of a request'), [])
    }
    this.#state = CLOSED
  }

  #fail(error: unknown, completed: ParsedRequest[]): unknown {
    this.#state = FAILED
    this.#pending.clear()
    this.#body.take()
    if (!(error instanceof HttpError)) {
      // Our own bug: let it surface as it is, and refuse the connection's later bytes politely.
      this.#error = new HttpError(400, 'request could not be parsed')
      return error
    }
    this.#error = new HttpError(error.status, error.message)
    return new HttpError(error.status, error.message, completed)
  }

  #again(): HttpError {
    return new HttpError(this.#error!.status, this.#error!.message)
  }

  /** Parse input[pos..] in the current state until it runs out or the parser closes. */
  #run(buf: Buffer, pos: number, out: ParsedRequest[]): void {
    const end = buf.length
    while (pos < end) {
      const state = this.#state
      if (state === HEAD) {
        const next = this.#headLine(buf, pos, end, out)
        if (next < 0) {
          this.#holdPartialLine(buf, pos, end)
          return
        }
        pos = next
      } else if (state === CHUNK_SIZE || state === TRAILERS) {
        const lf = buf.indexOf(LF, pos)
        if (lf < 0) {
          this.#holdPartialLine(buf, pos, end)
          return
        }
        this.#bodyLine(buf, pos, lf, out)
        pos = lf + 1
      } else if (state === BODY || state === CHUNK_DATA) {
        const n = Math.min(this.#remaining, end - pos)
        const atMost = state === BODY ? this.#body.length + this.#remaining : this.#limits.maxBodyBytes
        this.#body.append(buf, pos, pos + n, atMost)
        pos += n
        this.#remaining -= n
        this.#requestBytes += n
        if (this.#remaining === 0) {
          if (state === BODY) this.#emit(out)
          else {
            this.#state = CHUNK_CRLF
            this.#remaining = 2
          }
        }
      } else if (state === CHUNK_CRLF) {
        const expected = this.#remaining === 2 ? CR : LF
        if (buf[pos] !== expected) throw new HttpError(400, 'chunk data not followed by CRLF')
        pos++
        this.#requestBytes++
        if (--this.#remaining === 0) this.#state = CHUNK_SIZE
      } else {
        return // CLOSED: ignore what follows a close request
      }
    }
  }

  /** A line was pending: look for its end in the new bytes only. Returns input bytes used. */
  #resumeLine(input: Buffer, out: ParsedRequest[]): number {
    const pending = this.#pending
    const lf = input.indexOf(LF)
    const take = lf < 0 ? input.length : lf + 1
    const cap = this.#partialCap()
    if (pending.length + take > cap) {
      // Over its limit whether or not it ends in this chunk: keep exactly the bytes the limit
      // rule looks at, so the verdict does not depend on where the chunk ended.
      this.#holdPartialLine(input, 0, cap - pending.length)
      throw new Error('unreachable: a line at its cap fails the partial-line check')
    }
    if (lf < 0) {
      this.#holdPartialLine(input, 0, take)
      return take
    }
    pending.append(input, 0, take)
    const length = pending.length
    pending.clear() // the line is parsed from pending.bytes right now, before anything reuses it
    this.#text.invalidate()
    if (this.#state === HEAD) {
      if (this.#headLine(pending.bytes, 0, length, out) !== length) throw new Error('unreachable: a whole line did not scan as one')
    } else {
      this.#bodyLine(pending.bytes, 0, length - 1, out)
    }
    return take
  }

  /** Keep buf[start, end) (at most up to the line's cap) for the next push, and apply the limit
   * rules that can fire before the line ends. */
  #holdPartialLine(buf: Buffer, start: number, end: number): void {
    const pending = this.#pending
    pending.append(buf, start, Math.min(end, start + this.#partialCap() - pending.length))
    this.#text.invalidate()
    this.#checkPartialLine(pending.bytes, 0, pending.length)
  }

  /** Most bytes an unfinished line may hold before its limit rule must have fired. */
  #partialCap(): number {
    if (this.#state === CHUNK_SIZE) return CHUNK_SIZE_MAX_DIGITS + 1 + (this.#limits.maxChunkExtBytes - this.#chunkExtBytes) + 1
    return this.#limits.maxHeadBytes + 1 - this.#sectionBytes
  }

  /** Limit rules that can be decided before a line ends. They are the first rules applied to a
   * complete line too, so the verdict is the same however the bytes were split. */
  #checkPartialLine(buf: Buffer, start: number, end: number): void {
    if (this.#state === CHUNK_SIZE) {
      // A trailing CR may be the start of the line's CRLF: not an extension byte.
      const contentEnd = buf[end - 1] === CR ? end - 1 : end
      const error = chunkLinePrefixError(buf, start, contentEnd, this.#limits.maxChunkExtBytes - this.#chunkExtBytes)
      if (error) throw error
    } else if (this.#sectionBytes + (end - start) > this.#limits.maxHeadBytes) {
      throw this.#sectionOverflow(buf, start, end)
    }
  }

  #sectionOverflow(buf: Buffer, start: number, end: number): HttpError {
    if (this.#state === TRAILERS) return new HttpError(431, `trailer section over the ${this.#limits.maxHeadBytes}-byte limit`)
    if (this.#sectionBytes === 0) {
      // The request line alone is too long: blame the target when it is what overflows.
      const seen = Math.min(end, start + this.#limits.maxHeadBytes + 1)
      if (requestLineOverflow(buf, start, seen, this.#limits.maxTargetBytes) === 414) {
        return new HttpError(414, `request target over the ${this.#limits.maxTargetBytes}-byte limit`)
      }
    }
    return new HttpError(431, `request head over the ${this.#limits.maxHeadBytes}-byte limit`)
  }

  /** Read one line of the head from buf[start, end): the index after it, or -1 when the line has
   * not ended (the caller keeps it). The size limit is judged before the line's content. */
  #headLine(buf: Buffer, start: number, end: number, out: ParsedRequest[]): number {
    // A line longer than this is over the limit: no need to scan past it.
    const scanEnd = Math.min(end, start + this.#limits.maxHeadBytes + 1 - this.#sectionBytes)
    const requestLine = this.#sectionBytes === 0
    let lf: number
    try {
      lf = requestLine
        ? scanRequestLine(buf, start, scanEnd, this.#limits.maxTargetBytes, this.#line)
        : scanFieldLine(buf, start, scanEnd, this.#fieldCount === 0, this.#field)
    } catch (error) {
      // Bad content, but if the line is over the size limit that verdict comes first, and if the
      // line has not ended yet, the limit may still fire before it does.
      const lineEnd = buf.indexOf(LF, start)
      if (lineEnd < 0 || lineEnd >= scanEnd) return -1
      lf = lineEnd
      this.#checkLineSize(buf, start, lf)
      throw error
    }
    if (lf < 0) return -1
    this.#checkLineSize(buf, start, lf)
    const length = lf + 1 - start
    if (requestLine) {
      if (this.#line.methodEnd === start) return lf + 1 // an empty line before the request line
      this.#requestLine(buf, start)
    } else if (this.#field.nameEnd === start) {
      this.#requestBytes += length
      this.#sectionBytes += length
      this.#headEnded(out)
      return lf + 1
    } else {
      this.#headerField(buf, start, lf)
    }
    this.#requestBytes += length
    this.#sectionBytes += length
    return lf + 1
  }

  #checkLineSize(buf: Buffer, start: number, lf: number): void {
    if (this.#sectionBytes + (lf + 1 - start) > this.#limits.maxHeadBytes) throw this.#sectionOverflow(buf, start, lf + 1)
  }

  /** A complete chunk-size or trailer line buf[start, lf]. */
  #bodyLine(buf: Buffer, start: number, lf: number, out: ParsedRequest[]): void {
    const length = lf + 1 - start
    if (this.#state === CHUNK_SIZE) {
      this.#chunkSizeLine(buf, start, lf)
      this.#requestBytes += length
      return
    }
    this.#checkLineSize(buf, start, lf)
    const field = this.#field
    scanFieldLine(buf, start, lf + 1, false, field)
    this.#requestBytes += length
    this.#sectionBytes += length
    if (field.nameEnd === start) {
      this.#emit(out)
    } else if (++this.#fieldCount > this.#limits.maxHeaders) {
      // Trailer fields are checked and bounded, then dropped.
      throw new HttpError(431, `more than ${this.#limits.maxHeaders} trailer fields`)
    } else {
      const id = knownName(buf, start, field.nameEnd)?.id
      // A field that frames the message has no meaning after the body (RFC 9110 §6.5.1: framing
      // fields cannot be processed as trailers); llhttp refuses both, and so do we.
      if (id === CONTENT_LENGTH || id === TRANSFER_ENCODING) throw new HttpError(400, 'Content-Length or Transfer-Encoding in the trailer section')
    }
  }

  #requestLine(buf: Buffer, start: number): void {
    const line = this.#line
    const known = knownMethod(buf, start, line.methodEnd)
    this.#method = known ?? this.#textOf(buf, start, line.methodEnd)
    if (known === undefined && this.#method === 'PRI') throw new HttpError(400, 'PRI is the HTTP/2 connection preface, not a method')
    this.#target = this.#textOf(buf, line.targetStart, line.targetEnd)
    this.#version = line.version
  }

  /** The field line buf[start, lf]. */
  #headerField(buf: Buffer, start: number, lf: number): void {
    if (this.#fieldCount === this.#limits.maxHeaders) throw new HttpError(431, `more than ${this.#limits.maxHeaders} header fields`)
    this.#fieldCount++
    const field = this.#field
    const known = knownName(buf, start, field.nameEnd)
    const name = known !== undefined ? known.name : this.#textOf(buf, start, field.nameEnd).toLowerCase()
    const value = field.valueStart === field.valueEnd ? '' : this.#textOf(buf, field.valueStart, field.valueEnd)
    this.#headers.push([name, value])
    if (known === undefined || known.id === 0) return
    const facts = this.#facts
    switch (known.id) {
      case HOST:
        facts.hostCount++
        facts.hostValid = isValidHost(buf, field.valueStart, field.valueEnd)
        break
      case CONTENT_LENGTH:
        checkNoHtab(buf, field.nameEnd + 1, lf - 1)
        facts.contentLengthCount++
        facts.contentLength = value
        break
      case TRANSFER_ENCODING:
        checkNoHtab(buf, field.nameEnd + 1, lf - 1)
        facts.transferEncoding = facts.transferEncoding === undefined ? value : `${facts.transferEncoding},${value}`
        break
      case CONNECTION:
        facts.connection = facts.connection === undefined ? value : `${facts.connection},${value}`
        break
      case EXPECT:
        facts.expect = facts.expect === undefined ? value : `${facts.expect},${value}`
        break
    }
  }

  #headEnded(out: ParsedRequest[]): void {
    const facts = this.#facts
    checkHost(this.#version, facts, this.#limits.requireHost)
    const length = bodyLength(facts, this.#limits.maxBodyBytes)
    const wantsContinue = facts.expect !== undefined && expectsContinue(this.#version, facts)
    this.#keepAlive = keepAlive(this.#version, facts)
    if (this.#method === 'CONNECT') {
      // "A CONNECT request message does not have content" (RFC 9110 §9.3.6), and what follows its
      // head is a tunnel's bytes, not HTTP: llhttp stops parsing there. We open no tunnel, so we
      // answer it and close, and refuse one that announces a body (400): either way no byte
      // after a CONNECT head is read as HTTP by us where llhttp reads it as a tunnel.
      if (length !== 0) throw new HttpError(400, 'a CONNECT request with content')
      this.#keepAlive = false
    }
    this.#continueWanted = wantsContinue && length !== 0
    this.#headBytes = this.#requestBytes
    if (length === 0) {
      this.#emit(out)
    } else if (length === CHUNKED) {
      this.#state = CHUNK_SIZE
      this.#sectionBytes = 0
      this.#fieldCount = 0
    } else {
      this.#state = BODY
      this.#remaining = length
    }
  }

  #chunkSizeLine(buf: Buffer, start: number, lf: number): void {
    const budget = this.#limits.maxChunkExtBytes - this.#chunkExtBytes
    const chunk = checkChunkLine(buf, start, lf, budget)
    this.#chunkExtBytes += chunk.extBytes
    if (this.#body.length + chunk.size > this.#limits.maxBodyBytes) {
      throw new HttpError(413, `body over the ${this.#limits.maxBodyBytes}-byte limit`)
    }
    if (chunk.size === 0) {
      this.#state = TRAILERS
    } else {
      this.#state = CHUNK_DATA
      this.#remaining = chunk.size
    }
  }

  #emit(out: ParsedRequest[]): void {
    const body = this.#body.take()
    const keep = this.#keepAlive
    out.push({ method: this.#method, target: this.#target, version: this.#version, headers: this.#headers, body, keepAlive: keep })
    this.#requestBytes = 0
    this.#sectionBytes = 0
    this.#fieldCount = 0
    this.#headers = []
    this.#facts = freshFacts()
    this.#chunkExtBytes = 0
    this.#continueWanted = false
    this.#state = keep ? HEAD : CLOSED
  }

  /** latin1 text of buf[start, end). */
  #textOf(buf: Buffer, start: number, end: number): string {
    // The pending buffer holds stale bytes past its line: never decode those.
    return this.#text.textOf(buf, start, end, buf === this.#pending.bytes ? end : buf.length)
  }
}
