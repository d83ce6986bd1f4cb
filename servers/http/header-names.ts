// Lower-cased header names without allocating for the names every client sends.
//
// The parser reports field names in lower case (RFC 9110 §5.1: names are case-insensitive), so
// everyone downstream compares with `===`. Turning bytes into a fresh lower-cased string costs an
// allocation or two per header; the names below are matched against the raw bytes instead and
// returned as shared constants. Each also carries the id the parser uses for the few fields that
// frame the message (and Expect, which decides whether the body is asked for: RFC 9110 §10.1.1).

export const OTHER = 0
export const HOST = 1
export const CONTENT_LENGTH = 2
export const TRANSFER_ENCODING = 3
export const CONNECTION = 4
export const EXPECT = 5

const FRAMING: Record<string, number> = {
  host: HOST,
  'content-length': CONTENT_LENGTH,
  'transfer-encoding': TRANSFER_ENCODING,
  connection: CONNECTION,
  expect: EXPECT,
}

// What browsers, curl, autocannon, wrk and ab send, plus the framing fields (which must all be
// here: a name not in this table gets id OTHER).
const COMMON = [
  'host', 'connection', 'content-length', 'transfer-encoding', 'content-type', 'user-agent',
  'accept', 'accept-encoding', 'accept-language', 'cache-control', 'cookie', 'referer', 'origin',
  'pragma', 'upgrade-insecure-requests', 'if-none-match', 'if-modified-since', 'authorization',
  'keep-alive', 'te', 'expect', 'upgrade', 'x-forwarded-for', 'x-requested-with', 'range', 'dnt',
  'sec-fetch-site', 'sec-fetch-mode', 'sec-fetch-dest', 'sec-fetch-user', 'sec-ch-ua',
  'sec-ch-ua-mobile', 'sec-ch-ua-platform', 'priority',
]

interface KnownName {
  bytes: Uint8Array
  name: string
  id: number
}

/** Candidates by name length: most lengths hold one or two names. */
const BY_LENGTH: KnownName[][] = []
for (const name of COMMON) {
  const list = (BY_LENGTH[name.length] ??= [])
  list.push({ bytes: Buffer.from(name, 'latin1'), name, id: FRAMING[name] ?? OTHER })
}

/** The known name whose bytes equal buf[start, end) ignoring case, or undefined.
 * The bytes must already be a valid token: `c | 0x20` folds only letters onto their lower-case
 * form there (the other bytes it could fold, like CR onto '-', are not tchars). */
export function knownName(buf: Uint8Array, start: number, end: number): KnownName | undefined {
  const list = BY_LENGTH[end - start]
  if (list === undefined) return undefined
  outer: for (let k = 0; k < list.length; k++) {
    const known = list[k]!
    const bytes = known.bytes
    for (let i = 0; i < bytes.length; i++) {
      if ((buf[start + i]! | 0x20) !== bytes[i]) continue outer
    }
    return known
  }
  return undefined
}
