// Property tests: how bytes are split never changes what the parser returns, and no input makes it
// throw anything but HttpError (or hang: inputs are bounded and every test has a time limit).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { HttpError, RequestParser } from '../../servers/http/parser.js'
import { bytes, bytewise, cutAt, feed, whole } from './feed.js'
import { pipeline } from './request-model.js'

const SMALL = { maxHeadBytes: 64, maxTargetBytes: 16, maxBodyBytes: 10, maxChunkExtBytes: 8, maxHeaders: 3 }
// Limits a random request can reach: each rule fires in some runs and not in others.
const MEDIUM = { maxHeadBytes: 200, maxTargetBytes: 12, maxBodyBytes: 16, maxChunkExtBytes: 12, maxHeaders: 4 }
const STATUSES = [400, 413, 414, 431, 501, 505]
const cuts = fc.array(fc.nat({ max: 4000 }), { maxLength: 24 })

describe('any split of valid pipelined requests', () => {
  it('gives the same requests as the whole input, and the ones the client meant', () => {
    fc.assert(
      fc.property(pipeline, cuts, (specs, at) => {
        const input = bytes(specs.map((s) => s.bytes).join(''))
        const expected = { requests: specs.map((s) => s.expected), buffered: 0 }
        expect(feed(whole(input))).toEqual(expected)
        expect(feed(cutAt(input, at))).toEqual(expected)
      }),
      { numRuns: 400 },
    )
  })

  it('gives the same requests fed byte by byte', () => {
    fc.assert(
      fc.property(pipeline, (specs) => {
        const input = bytes(specs.map((s) => s.bytes).join(''))
        expect(feed(bytewise(input))).toEqual({ requests: specs.map((s) => s.expected), buffered: 0 })
      }),
      { numRuns: 100 },
    )
  })
})

// Bytes a mutation likes to insert: the ones every rule is about.
const interesting = fc.oneof(
  fc.constantFrom(0x0d, 0x0a, 0x20, 0x09, 0x3a, 0x3b, 0x3d, 0x2c, 0x22, 0x5c, 0x30, 0x61, 0x46, 0x00, 0x7f, 0xff),
  fc.integer({ min: 0, max: 255 }),
)
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: interesting }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), insert: fc.array(interesting, { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }), times: fc.integer({ min: 1, max: 60 }) }),
)
type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never

function mutate(input: number[], m: Mutation): number[] {
  const at = input.length === 0 ? 0 : m.at % input.length
  const out = [...input]
  if (m.kind === 'set') out[at] = m.byte
  else if (m.kind === 'insert') out.splice(at, 0, ...m.insert)
  else if (m.kind === 'delete') out.splice(at, m.length)
  else out.splice(at, 0, ...Array.from({ length: m.times }, () => input.slice(at, at + m.length)).flat())
  return out.slice(0, 6000) // bounded input: every run is quick
}

const mutated = fc.tuple(pipeline, fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([specs, ms]) => {
  let input = [...bytes(specs.map((s) => s.bytes).join(''))]
  for (const m of ms) input = mutate(input, m)
  return Uint8Array.from(input)
})
const anyBytes = fc.oneof(mutated, fc.uint8Array({ maxLength: 600 }))
const options = fc.constantFrom(undefined, SMALL, MEDIUM, { requireHost: false })

describe('random and mutated bytes', () => {
  it('only ever throw HttpError, with one of our statuses, from push() and end()', () => {
    fc.assert(
      fc.property(anyBytes, cuts, options, (input, at, opts) => {
        const parser = new RequestParser(opts)
        try {
          for (const chunk of cutAt(input, at)) parser.push(chunk)
          parser.end()
        } catch (error) {
          expect(error).toBeInstanceOf(HttpError)
          expect(STATUSES).toContain((error as HttpError).status)
        }
      }),
      { numRuns: 1500 },
    )
  })

  it('get the same verdict however they are split', () => {
    fc.assert(
      fc.property(anyBytes, cuts, options, (input, at, opts) => {
        expect(feed(cutAt(input, at), opts, true)).toEqual(feed(whole(input), opts, true))
      }),
      { numRuns: 1500 },
    )
  })

  it('get the same verdict fed byte by byte', () => {
    fc.assert(
      fc.property(anyBytes, options, (input, opts) => {
        expect(feed(bytewise(input), opts, true)).toEqual(feed(whole(input), opts, true))
      }),
      { numRuns: 300 },
    )
  })
})
