// How the fuzzer damages a valid request. Each mutation takes the bytes as a latin1 string (one
// char per byte) and returns new bytes; it aims at what decides framing and at what parsers have
// historically disagreed about (the request-smuggling literature: CL.TE, TE.CL, TE.TE, bare LF,
// obs-fold, chunk-size tricks): byte flips, splices, duplicated and folded headers, length and
// chunk-size edits, and CR/LF games.
import type { Random } from './random.js'
import { SEEDS } from './seeds.js'

export interface Mutation {
  name: string
  apply(text: string, random: Random): string
}

/** Bytes that mean something to an HTTP parser, and a few that should not. */
const INTERESTING = ['\x00', '\t', '\n', '\r', ' ', '"', ',', ':', ';', '=', '\x7f', '\x80', '\xff', 'a', 'A', '0', '9', 'f', 'x', '-', '+', '/', '\\']

/** [start, end) of each line (its CRLF or LF included), in order. */
function lines(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = []
  let start = 0
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
    out.push([start, i + 1])
    start = i + 1
  }
  if (start < text.length) out.push([start, text.length])
  return out
}

/** Header lines: lines with a colon that are not request lines (good enough on our seeds). */
function headerLines(text: string): Array<[number, number]> {
  return lines(text).filter(([s, e]) => {
    const line = text.slice(s, e)
    return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+[ \t]*:/.test(line)
  })
}

const replace = (text: string, start: number, end: number, by: string): string => text.slice(0, start) + by + text.slice(end)

/** Replace the value of a random header called `name` (any case) with f(old value). */
function editHeader(text: string, random: Random, name: RegExp, f: (value: string) => string): string | undefined {
  const found = headerLines(text).filter(([s, e]) => name.test(text.slice(s, e)))
  if (found.length === 0) return undefined
  const [s, e] = random.pick(found)
  const line = text.slice(s, e)
  const colon = line.indexOf(':')
  const eol = line.endsWith('\r\n') ? line.length - 2 : line.endsWith('\n') ? line.length - 1 : line.length
  return replace(text, s + colon + 1, s + eol, f(line.slice(colon + 1, eol)))
}

/** Insert a header line just before the end of a random head. */
function addHeader(text: string, random: Random, line: string): string {
  const ends: number[] = []
  for (let i = text.indexOf('\r\n\r\n'); i >= 0; i = text.indexOf('\r\n\r\n', i + 1)) ends.push(i + 2)
  if (ends.length === 0) return text + line
  const at = random.pick(ends)
  return replace(text, at, at, line)
}

const CONTENT_LENGTH_VALUES = (n: number): string[] => [
  ` ${n + 1}`, ` ${Math.max(0, n - 1)}`, ' 0', '', ' ', ` -${n}`, ` +${n}`, ` 0${n}`, ` ${n} `, ` ${n}\t`, ` ${n}, ${n}`, ` ${n},${n + 1}`,
  ` 0x${n.toString(16)}`, ' 99999999999999999999', ` ${n}.0`, ` ${n} ${n}`, ` "${n}"`, ` ${n}a`, `${n}`, `\t${n}`,
]

const CHUNK_SIZES = (size: string): string[] => {
  const n = parseInt(size, 16)
  return [
    size.toUpperCase(), size.toLowerCase(), `0${size}`, `000000${size}`, `0x${size}`, ` ${size}`, `${size} `, `${size}\t`, `-${size}`, `+${size}`,
    (n + 1).toString(16), Math.max(0, n - 1).toString(16), 'ffffffffffffffffffff', '10000000000000000', '', `${size};`, `${size};x`, `${size};x=`,
    `${size};x="a\\"b"`, `${size};x="unterminated`, `${size} ;x=1`, `${size};x=1;y=2`, `${size}\x00`, `${size}g`,
  ]
}

const TRANSFER_ENCODINGS = [
  ' chunked', ' Chunked', ' CHUNKED', 'chunked', '\tchunked', ' chunked ', ' chunked, chunked', ' gzip, chunked', ' chunked, gzip', ' identity',
  ' xchunked', ' chunked;q=1', ' ', ' ,chunked', ' chunked,', ' chunk', ' "chunked"', ' chunked\x00', ' identity, chunked', ' chunked\x0b',
]

const CONNECTIONS = [' close', ' keep-alive', ' Close', ' close, keep-alive', ' keep-alive, close', ' upgrade', ' TE, close', ' clos', ' close ', ' ,close']

const VERSIONS = ['HTTP/1.0', 'HTTP/1.2', 'HTTP/2.0', 'HTTP/0.9', 'http/1.1', 'HTTP/1.10', 'HTTP/01.1', 'HTTP/1.1 ', ' HTTP/1.1', 'HTTP/1', 'HTTP/1.1\x00', 'HTTP/9.9']

const METHODS = ['get', 'FOO', 'CONNECT', 'PRI', 'G ET', 'GET ', 'POST', 'M-SEARCH', 'PROPFIND', 'G\x00T', '\xc7ET']

const LINE_END_GAMES = ['\n', '\r', '\r\r\n', '\n\r', '\r\n\r\n', '', ' \r\n', '\r\n ', '\r\n\t', '\r \n', '\x00\r\n']

export const MUTATIONS: readonly Mutation[] = [
  {
    name: 'flip a bit',
    apply: (t, r) => {
      if (t.length === 0) return t
      const i = r.int(t.length)
      return replace(t, i, i + 1, String.fromCharCode(t.charCodeAt(i) ^ (1 << r.int(8))))
    },
  },
  { name: 'set a byte', apply: (t, r) => (t.length === 0 ? t : ((i) => replace(t, i, i + 1, r.pick(INTERESTING)))(r.int(t.length))) },
  { name: 'insert a byte', apply: (t, r) => ((i) => replace(t, i, i, r.pick(INTERESTING)))(r.int(t.length + 1)) },
  { name: 'delete bytes', apply: (t, r) => ((i) => replace(t, i, i + 1 + r.int(4), ''))(r.int(t.length)) },
  {
    name: 'splice from another request',
    apply: (t, r) => {
      const other = r.pick(SEEDS)
      const s = r.int(other.length)
      const piece = other.slice(s, s + 1 + r.int(40))
      const i = r.int(t.length + 1)
      return replace(t, i, r.chance(0.5) ? i : Math.min(t.length, i + r.int(20)), piece)
    },
  },
  {
    name: 'duplicate a header line',
    apply: (t, r) => {
      const found = headerLines(t)
      if (found.length === 0) return t
      const [s, e] = r.pick(found)
      const at = r.chance(0.5) ? e : r.pick(found)[0]
      return replace(t, at, at, t.slice(s, e))
    },
  },
  {
    name: 'fold a header line',
    apply: (t, r) => {
      const found = headerLines(t)
      if (found.length === 0) return t
      const [s, e] = r.pick(found)
      const line = t.slice(s, e)
      const colon = line.indexOf(':')
      const cut = colon + 1 + r.int(Math.max(1, line.length - colon - 2))
      return replace(t, s + cut, s + cut, r.pick(['\r\n ', '\r\n\t', '\n ', '\r\n  ']))
    },
  },
  {
    name: 'edit a Content-Length',
    apply: (t, r) => {
      const m = /content-length:[ \t]*(\d+)/i.exec(t)
      const n = m ? Number(m[1]) : 5
      return (
        editHeader(t, r, /^content-length/i, () => r.pick(CONTENT_LENGTH_VALUES(n))) ??
        addHeader(t, r, `Content-Length:${r.pick(CONTENT_LENGTH_VALUES(n))}\r\n`)
      )
    },
  },
  {
    name: 'add a Content-Length',
    apply: (t, r) => addHeader(t, r, `${r.pick(['Content-Length', 'content-length', 'Content-Length ', 'Content_Length'])}: ${r.int(12)}\r\n`),
  },
  {
    name: 'edit a chunk size',
    apply: (t, r) => {
      const sizes = [...t.matchAll(/\r\n([0-9a-fA-F]+)(;[^\r\n]*)?\r\n/g)].filter((m) => m.index !== undefined)
      if (sizes.length === 0) return t
      const m = r.pick(sizes)
      const start = m.index! + 2
      return replace(t, start, start + m[1]!.length, r.pick(CHUNK_SIZES(m[1]!)))
    },
  },
  {
    name: 'edit a Transfer-Encoding',
    apply: (t, r) =>
      editHeader(t, r, /^transfer-encoding/i, () => r.pick(TRANSFER_ENCODINGS)) ??
      addHeader(t, r, `Transfer-Encoding:${r.pick(TRANSFER_ENCODINGS)}\r\n`),
  },
  {
    name: 'add a Transfer-Encoding',
    apply: (t, r) =>
      addHeader(t, r, `${r.pick(['Transfer-Encoding', 'transfer-encoding', 'Transfer-Encoding ', 'Transfer_Encoding', ' Transfer-Encoding'])}:${r.pick(TRANSFER_ENCODINGS)}\r\n`),
  },
  {
    name: 'edit a Connection',
    apply: (t, r) =>
      editHeader(t, r, /^connection/i, () => r.pick(CONNECTIONS)) ??
      addHeader(t, r, `Connection:${r.pick(CONNECTIONS)}\r\n${r.chance(0.3) ? 'Upgrade: h2c\r\n' : ''}`),
  },
  {
    name: 'edit a Host',
    apply: (t, r) =>
      r.chance(0.3)
        ? t.replace(/Host: [^\r\n]*\r\n/, '')
        : (editHeader(t, r, /^host/i, () => r.pick([' a b', ' ', ' x:99999', ' [::1]', ' a/b', ' example.test, other.test', ' %zz'])) ?? t),
  },
  {
    name: 'play with a line end',
    apply: (t, r) => {
      const ends = lines(t).filter(([, e]) => t[e - 1] === '\n')
      if (ends.length === 0) return t
      const [, e] = r.pick(ends)
      const start = t[e - 2] === '\r' ? e - 2 : e - 1
      return replace(t, start, e, r.pick(LINE_END_GAMES))
    },
  },
  {
    name: 'put a CR or LF inside a line',
    apply: (t, r) => ((i) => replace(t, i, i, r.pick(['\r', '\n', '\r\n', '\n\r'])))(r.int(t.length + 1)),
  },
  {
    name: 'put whitespace around a header name',
    apply: (t, r) => {
      const found = headerLines(t)
      if (found.length === 0) return t
      const [s, e] = r.pick(found)
      const colon = t.indexOf(':', s)
      if (colon < 0 || colon > e) return t
      return r.chance(0.5) ? replace(t, colon, colon, r.pick([' ', '\t'])) : replace(t, s, s, r.pick([' ', '\t']))
    },
  },
  {
    name: 'edit the version',
    apply: (t, r) => {
      const all = [...t.matchAll(/HTTP\/1\.[01]/g)]
      if (all.length === 0) return t
      const m = r.pick(all)
      return replace(t, m.index!, m.index! + m[0].length, r.pick(VERSIONS))
    },
  },
  {
    name: 'edit the method',
    apply: (t, r) => {
      const all = [...t.matchAll(/(?:^|\n)([A-Z]+) /g)]
      if (all.length === 0) return t
      const m = r.pick(all)
      const start = m.index! + m[0].length - m[1]!.length - 1
      return replace(t, start, start + m[1]!.length, r.pick(METHODS))
    },
  },
  {
    name: 'add an Expect',
    apply: (t, r) => addHeader(t, r, `Expect: ${r.pick(['100-continue', '100-Continue', 'x-unknown', '100-continue, x-unknown', ''])}\r\n`),
  },
  { name: 'cut the tail off', apply: (t, r) => t.slice(0, r.int(t.length + 1)) },
  { name: 'append another request', apply: (t, r) => t + r.pick(SEEDS) },
]

/** Case `index` of the run: a seed damaged by one to four mutations, and what was done. */
export function makeCase(random: Random): { bytes: string; steps: string[] } {
  let bytes = random.pick(SEEDS)
  const steps: string[] = []
  const count = 1 + (random.chance(0.5) ? 0 : random.chance(0.5) ? 1 : random.chance(0.5) ? 2 : 3)
  for (let i = 0; i < count; i++) {
    const mutation = random.pick(MUTATIONS)
    bytes = mutation.apply(bytes, random)
    steps.push(mutation.name)
  }
  return { bytes, steps }
}
