// How a fuzz case's two outcomes compare, as a kind. The rules the fuzzer enforces
// (a kind starting with "FAIL" breaks them):
// - never crash: our parser throws only HttpError (FAIL crash);
// - the same verdict however the bytes are split (FAIL split);
// - never a request as two where llhttp sees one, or the reverse: every request both parsers
//   completed has the same method, target, version and body, and neither completes a request
//   where the other is still waiting for bytes of it (FAIL boundaries) — the request-smuggling
//   shape, where a front end and a back end disagree about where a request ends;
// - where llhttp rejects for framing, we reject too (FAIL framing): we may refuse more than
//   llhttp (our rules are deliberately stricter: DESIGN.md "Shared HTTP rules"), never less.
// Hangs are caught by the runner's watchdog (FAIL hang), not here.
import type { End, FramedRequest, Outcome } from './outcome.js'

export interface Verdict {
  kind: string
  failure: boolean
}

// llhttp errors that are not about where a message ends: which methods, targets and versions it
// knows, its size limits, and bytes after a close or an upgrade. Every other HPE_ code (invalid
// header token, CR/LF expected, Content-Length, Transfer-Encoding, chunk size, strict-mode
// checks) is a framing verdict that we must share.
const NOT_FRAMING = new Set([
  'HPE_INVALID_METHOD',
  'HPE_INVALID_URL',
  'HPE_INVALID_VERSION',
  'HPE_HEADER_OVERFLOW',
  'HPE_CHUNK_EXTENSIONS_OVERFLOW',
  'HPE_CLOSED_CONNECTION',
  'HPE_PAUSED_UPGRADE',
  'HPE_PAUSED_H2_UPGRADE',
])

export const isFramingError = (code: string): boolean => !NOT_FRAMING.has(code)

/** Our error message as a kind: numbers (limits, versions) replaced so a rule is one kind. */
const ruleOf = (end: End & { kind: 'rejected' }): string => `${end.code} ${end.reason.replace(/\d+(\.\d+)?/g, 'N')}`

function sameFraming(a: FramedRequest, b: FramedRequest): string | undefined {
  if (a.method !== b.method) return 'method'
  if (a.target !== b.target) return 'target'
  if (a.version !== b.version) return 'version'
  if (a.body !== b.body) return 'body'
  return undefined
}

const sameHeaders = (a: FramedRequest, b: FramedRequest): boolean => JSON.stringify(a.headers) === JSON.stringify(b.headers)

/**
 * Compare our outcome with llhttp's. `probe` re-parses the case with our parser after the head
 * is given its end ("\r\n\r\n" appended): used when llhttp rejected at a byte while we were still
 * waiting for the line or head around it, to see whether we reject it once it is complete.
 */
export function classify(ours: Outcome, llhttp: Outcome, probe: () => Outcome): Verdict {
  if (ours.end.kind === 'crashed') return { kind: 'FAIL crash: our parser threw something other than HttpError', failure: true }
  const o = ours.requests
  const l = llhttp.requests
  const common = Math.min(o.length, l.length)
  for (let i = 0; i < common; i++) {
    const field = sameFraming(o[i]!, l[i]!)
    if (field !== undefined) return { kind: `FAIL boundaries: request ${i + 1} differs in its ${field}`, failure: true }
  }
  // After an Upgrade or CONNECT head llhttp hands the connection over: its last request's
  // keep-alive says nothing about the bytes after it (we answer a CONNECT and close).
  const switched = llhttp.end.kind === 'upgrade' && llhttp.end.complete ? l.length - 1 : -1
  for (let i = 0; i < common; i++) {
    if (i === switched) return upgrade(l[i]!)
    if (o[i]!.keepAlive !== l[i]!.keepAlive) {
      return { kind: `keep-alive: ${o[i]!.keepAlive ? 'we keep the connection, llhttp closes' : 'we close, llhttp keeps the connection'}`, failure: false }
    }
  }
  const headers = o.slice(0, common).some((r, i) => !sameHeaders(r, l[i]!))
  const oe = ours.end
  const le = llhttp.end

  if (le.kind === 'upgrade' && !le.complete && o.length >= l.length) {
    if (oe.kind === 'rejected' && o.length === l.length) return { kind: 'upgrade: node:http passes an Upgrade request with a malformed body to the new protocol; we refuse it', failure: false }
    return { kind: 'FAIL framing: llhttp finds an Upgrade request\'s body malformed, we accept it', failure: true }
  }
  if (o.length > l.length) return weAcceptMore(le, probe, l.length)
  if (l.length > o.length) return le.kind === 'upgrade' && oe.kind !== 'rejected' && o.length === switched ? upgrade(l[switched]!) : llhttpAcceptsMore(oe)

  // The same requests: compare how the bytes after them ended.
  if (oe.kind === 'rejected' && le.kind === 'rejected') return { kind: 'agree: both reject', failure: false }
  if (oe.kind === 'rejected') return { kind: `stricter: we reject, llhttp ${le.kind === 'pending' ? 'waits for more' : 'accepts'}: ${ruleOf(oe)}`, failure: false }
  if (le.kind === 'rejected') return llhttpRejects(le, oe, probe, l.length)
  if (oe.kind !== le.kind) {
    if (oe.kind === 'closed' || le.kind === 'closed') return { kind: `keep-alive: ${oe.kind === 'closed' ? 'we close' : 'llhttp closes'} after the last request`, failure: false }
    return { kind: `waiting: we are ${oe.kind}, llhttp is ${le.kind} (no request completed either way)`, failure: false }
  }
  if (headers) return { kind: 'headers: same framing, a header value read differently', failure: false }
  return { kind: `agree: ${o.length === 0 ? 'no request yet' : 'same requests'}`, failure: false }
}

function upgrade(request: FramedRequest): Verdict {
  return request.method === 'CONNECT'
    ? { kind: 'upgrade: llhttp tunnels after a CONNECT head; we answer it and close', failure: false }
    : { kind: 'upgrade: llhttp switches protocols after an Upgrade request; we ignore Upgrade and read on as HTTP', failure: false }
}

/** We completed more requests than llhttp: fine only where llhttp stopped for a reason that is
 * not framing, or closed. */
function weAcceptMore(le: End, probe: () => Outcome, count: number): Verdict {
  if (le.kind === 'closed') return { kind: 'keep-alive: llhttp closes after the last request; we read on', failure: false }
  if (le.kind === 'rejected') return llhttpRejects(le, { kind: 'idle' }, probe, count)
  return { kind: `FAIL boundaries: we complete a request where llhttp is ${le.kind === 'pending' ? 'still reading it' : 'between requests'}`, failure: true }
}

/** llhttp completed more requests than we did: fine only where we refused or closed. */
function llhttpAcceptsMore(oe: End): Verdict {
  if (oe.kind === 'rejected') return { kind: `stricter: we reject, llhttp accepts: ${ruleOf(oe)}`, failure: false }
  if (oe.kind === 'closed') return { kind: 'keep-alive: we close after the last request; llhttp reads on', failure: false }
  return { kind: `FAIL boundaries: llhttp completes a request where we are ${oe.kind === 'pending' ? 'still reading it' : 'between requests'}`, failure: true }
}

function llhttpRejects(le: End & { kind: 'rejected' }, oe: End, probe: () => Outcome, count: number): Verdict {
  // Bytes after a close that llhttp found where we did not look: a Connection in the trailers.
  if (le.code === 'HPE_CLOSED_CONNECTION') return { kind: 'keep-alive: llhttp closes on a Connection: close in the trailers; we drop trailers', failure: false }
  const framing = isFramingError(le.code)
  if (oe.kind === 'pending') {
    // llhttp judges byte by byte, we judge a line when it ends: complete the head and ask again.
    const probed = probe()
    if (probed.end.kind === 'rejected' && probed.requests.length <= count) return { kind: 'agree: both reject (llhttp at the byte, we at the end of the line)', failure: false }
    // Still waiting with the head complete: we are reading a body past the bytes llhttp refused.
    if (probed.requests.length <= count && !framing) return { kind: `llhttp stricter: llhttp rejects (${le.code}), we read on`, failure: false }
  }
  if (framing) return { kind: `FAIL framing: llhttp rejects (${le.code}: ${le.reason}), we accept`, failure: true }
  return { kind: `llhttp stricter: llhttp rejects (${le.code}), we accept`, failure: false }
}
