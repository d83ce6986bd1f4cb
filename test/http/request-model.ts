// Random valid requests for the property tests: a small model of a request, the bytes a client
// could send for it (random case, OWS, chunk sizes, extensions, trailers) and the ParsedRequest
// the parser must return for those bytes.
import fc from 'fast-check'
import type { PlainRequest } from './feed.js'

const TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
const FRAMING = new Set(['host', 'content-length', 'transfer-encoding', 'connection'])

const tchar = fc.constantFrom(...TCHARS)
export const token = fc.string({ unit: tchar, minLength: 1, maxLength: 10 })
const fieldName = token.filter((name) => !FRAMING.has(name.toLowerCase()))
// field-vchar and obs-text, without whitespace: the inside of a value starts and ends with one.
const vchar = fc.oneof(
  fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
  fc.integer({ min: 0x80, max: 0xff }).map((c) => String.fromCharCode(c)),
)
const ows = fc.string({ unit: fc.constantFrom(' ', '\t'), maxLength: 2 })
const valueCore = fc.oneof(
  fc.constant(''),
  fc.tuple(vchar, fc.string({ unit: fc.oneof(vchar, fc.constantFrom(' ', '\t')), maxLength: 12 }), vchar).map(([a, b, c]) => a + b + c),
)
const randomCase = (word: string): fc.Arbitrary<string> =>
  fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }).map((upper) => [...word].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch)).join(''))
const targetChars = fc.string({ unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 16 })
const bodyBytes = fc.string({ unit: fc.integer({ min: 0, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 24 })
// No whitespace around ';' and '=' (chunk-line.ts refuses the BWS RFC 9112 allows, as llhttp does).
const chunkExt = fc.array(
  fc.tuple(token, fc.option(fc.oneof(token, fc.string({ unit: fc.constantFrom('a', ' ', '\\"', '\\\\', ';', '='), maxLength: 6 }).map((s) => `"${s}"`)), { nil: undefined })),
  { maxLength: 2 },
).map((exts) => exts.map(([name, value]) => `;${name}${value === undefined ? '' : `=${value}`}`).join(''))

export interface RequestSpec {
  bytes: string
  expected: PlainRequest
}

interface Field {
  raw: string
  name: string
  value: string
}

const field = (name: fc.Arbitrary<string>, core: fc.Arbitrary<string>): fc.Arbitrary<Field> =>
  fc.tuple(name, ows, core, ows).map(([n, before, v, after]) => ({ raw: `${n}:${before}${v}${after}\r\n`, name: n.toLowerCase(), value: v }))

const framing = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc.record({ kind: fc.constant('length' as const), body: bodyBytes, zeros: fc.integer({ min: 0, max: 2 }) }),
  fc.record({
    kind: fc.constant('chunked' as const),
    body: bodyBytes,
    cuts: fc.array(fc.nat(), { maxLength: 4 }),
    exts: fc.array(chunkExt, { minLength: 6, maxLength: 6 }),
    upper: fc.boolean(),
    trailers: fc.array(field(fieldName, valueCore), { maxLength: 2 }),
  }),
)

function chunked(body: string, cuts: number[], exts: string[], upper: boolean, trailers: Field[]): string {
  const points = [...new Set(cuts.map((c) => c % (body.length + 1)))].filter((c) => c > 0).sort((a, b) => a - b)
  let out = ''
  let start = 0
  let i = 0
  for (const end of [...points, body.length]) {
    if (end === start) continue
    const size = (end - start).toString(16)
    out += `${upper ? size.toUpperCase() : size}${exts[i++ % exts.length]}\r\n${body.slice(start, end)}\r\n`
    start = end
  }
  return `${out}0${exts[5]}\r\n${trailers.map((t) => t.raw).join('')}\r\n`
}

/** One request; `last` lets it close the connection. */
export function requestSpec(last: boolean): fc.Arbitrary<RequestSpec> {
  return fc
    .record({
      // PRI is refused and CONNECT closes the connection: neither belongs in a random pipeline.
      method: fc.oneof(fc.constantFrom('GET', 'POST', 'HEAD', 'PUT'), token.filter((m) => m !== 'PRI' && m !== 'CONNECT')),
      target: fc.oneof(targetChars.map((t) => `/${t}`), fc.constant('*')),
      v10: fc.boolean(),
      hostName: randomCase('host'),
      host: fc.constantFrom('', 'a', 'localhost:8080', '[::1]:80', 'ex%41mple.com'),
      fields: fc.array(field(fieldName, valueCore), { maxLength: 4 }),
      framing,
      close: last ? fc.boolean() : fc.constant(false),
      connectionName: randomCase('connection'),
      lengthName: randomCase('content-length'),
      teName: randomCase('transfer-encoding'),
      te: randomCase('chunked'),
    })
    .map((r) => {
      const version = r.v10 ? '1.0' : '1.1'
      const headers: Array<[string, string]> = [['host', r.host]]
      let head = `${r.method} ${r.target} HTTP/${version}\r\n${r.hostName}: ${r.host}\r\n`
      for (const f of r.fields) {
        head += f.raw
        headers.push([f.name, f.value])
      }
      let body = ''
      let payload = ''
      const f = r.framing
      if (f.kind === 'length') {
        const length = '0'.repeat(f.zeros) + String(f.body.length)
        head += `${r.lengthName}: ${length}\r\n`
        headers.push(['content-length', length])
        body = payload = f.body
      } else if (f.kind === 'chunked') {
        head += `${r.teName}: ${r.te}\r\n`
        headers.push(['transfer-encoding', r.te])
        payload = chunked(f.body, f.cuts, f.exts, f.upper, f.trailers)
        body = f.body
      }
      // HTTP/1.0 stays open only when asked to, and never after a chunked body (RFC 9112 §6.1).
      const connection = r.close ? 'close' : r.v10 ? 'keep-alive' : undefined
      if (connection !== undefined) {
        head += `${r.connectionName}: ${connection}\r\n`
        headers.push(['connection', connection])
      }
      const keepAlive = !r.close && !(r.v10 && f.kind === 'chunked')
      const expected: PlainRequest = { method: r.method, target: r.target, version, headers, body, keepAlive }
      return { bytes: `${head}\r\n${payload}`, expected }
    })
}

/** Several requests in a row: all but the last keep the connection (so all of them are read). */
export const pipeline: fc.Arbitrary<RequestSpec[]> = fc
  .tuple(fc.array(requestSpec(false).filter((s) => s.expected.keepAlive), { maxLength: 3 }), requestSpec(true))
  .map(([first, last]) => [...first, last])
