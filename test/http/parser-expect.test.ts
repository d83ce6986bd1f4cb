// Expect (RFC 9110 §10.1.1) in the parser: 417 for an expectation we cannot meet, and
// takeContinue() telling the caller when a 100 Continue is due. The parser only reports; the
// session (test/models/session-continue.test.ts) writes the 100.
import { describe, expect, it } from 'vitest'
import { HttpError, RequestParser } from '../../servers/http/parser.js'
import { bytes, bytewise, feed, whole } from './feed.js'

const head = (fields: string, version = '1.1'): string => `POST /up HTTP/${version}\r\nHost: test\r\n${fields}\r\n`

describe('takeContinue()', () => {
  it('is true once when a head asks for 100-continue and its body has not started', () => {
    const parser = new RequestParser()
    expect(parser.push(bytes(head('Expect: 100-continue\r\nContent-Length: 5\r\n')))).toEqual([])
    expect(parser.takeContinue()).toBe(true)
    expect(parser.takeContinue()).toBe(false)
    const [request] = parser.push(bytes('hello'))
    expect(Buffer.from(request!.body).toString()).toBe('hello')
    expect(parser.takeContinue()).toBe(false)
  })

  it('is true for a chunked body that has not started, and the body still parses', () => {
    const parser = new RequestParser()
    parser.push(bytes(head('Expect: 100-continue\r\nTransfer-Encoding: chunked\r\n')))
    expect(parser.takeContinue()).toBe(true)
    const [request] = parser.push(bytes('5\r\nhello\r\n0\r\n\r\n'))
    expect(Buffer.from(request!.body).toString()).toBe('hello')
  })

  it('reads the expectation case-insensitively, over several lines, skipping empty list elements', () => {
    for (const fields of ['Expect: 100-Continue\r\n', 'expect: , 100-CONTINUE ,\r\n', 'Expect: 100-continue\r\nExpect: 100-continue\r\n']) {
      const parser = new RequestParser()
      parser.push(bytes(head(`${fields}Content-Length: 1\r\n`)))
      expect(parser.takeContinue(), fields).toBe(true)
    }
  })

  it('is false when the body arrived with the head or began to (the client did not wait)', () => {
    const complete = new RequestParser()
    expect(complete.push(bytes(head('Expect: 100-continue\r\nContent-Length: 5\r\n') + 'hello'))).toHaveLength(1)
    expect(complete.takeContinue()).toBe(false)
    const started = new RequestParser()
    started.push(bytes(head('Expect: 100-continue\r\nContent-Length: 5\r\n') + 'he'))
    expect(started.takeContinue()).toBe(false)
    const chunkLine = new RequestParser()
    chunkLine.push(bytes(head('Expect: 100-continue\r\nTransfer-Encoding: chunked\r\n') + '5'))
    expect(chunkLine.takeContinue()).toBe(false)
  })

  it('is false when the request has no body (RFC 9110 §10.1.1: no content, no 100 needed)', () => {
    for (const fields of ['Expect: 100-continue\r\n', 'Expect: 100-continue\r\nContent-Length: 0\r\n']) {
      const parser = new RequestParser()
      expect(parser.push(bytes(head(fields)))).toHaveLength(1)
      expect(parser.takeContinue()).toBe(false)
    }
  })

  it('is false before the head has ended, and true once its last line arrives', () => {
    const parser = new RequestParser()
    parser.push(bytes('POST /up HTTP/1.1\r\nHost: test\r\nExpect: 100-continue\r\nContent-Length: 5\r\n'))
    expect(parser.takeContinue()).toBe(false)
    parser.push(bytes('\r'))
    expect(parser.takeContinue()).toBe(false)
    parser.push(bytes('\n'))
    expect(parser.takeContinue()).toBe(true)
  })

  it('answers for the request still reading its body, not for the ones the same bytes completed', () => {
    const parser = new RequestParser()
    const first = head('Expect: 100-continue\r\nContent-Length: 2\r\n') + 'ok'
    const requests = parser.push(bytes(first + head('Expect: 100-continue\r\nContent-Length: 5\r\n')))
    expect(requests).toHaveLength(1)
    expect(parser.takeContinue()).toBe(true)
    expect(parser.takeContinue()).toBe(false)
  })

  it('ignores Expect in HTTP/1.0 (RFC 9110 §10.1.1 MUST ignore 100-continue there; node:http ignores any)', () => {
    for (const expectation of ['100-continue', 'something-else']) {
      const parser = new RequestParser()
      expect(parser.push(bytes(head(`Expect: ${expectation}\r\nContent-Length: 5\r\n`, '1.0')))).toEqual([])
      expect(parser.takeContinue()).toBe(false)
    }
  })

  it('is false after an error', () => {
    const parser = new RequestParser()
    expect(() => parser.push(bytes(head('Expect: 100-continue\r\nTransfer-Encoding: chunked\r\n') + 'x\r\n'))).toThrow(HttpError)
    expect(parser.takeContinue()).toBe(false)
  })
})

describe('an expectation other than 100-continue', () => {
  const cases = [
    ['an unknown expectation with a body to come', head('Expect: something-else\r\nContent-Length: 5\r\n')],
    ['an unknown expectation without a body', head('Expect: something-else\r\n')],
    ['100-continue listed with another expectation', head('Expect: 100-continue, something-else\r\nContent-Length: 5\r\n')],
    ['100-continue with a parameter (it defines none)', head('Expect: 100-continue=1\r\nContent-Length: 5\r\n')],
  ]
  for (const [name, text] of cases) {
    it(`is a 417 at the end of the head, however the bytes are split: ${name}`, () => {
      for (const split of [whole, bytewise]) {
        const outcome = feed(split(bytes(text!)))
        expect(outcome.error?.status).toBe(417)
        expect(outcome.requests).toEqual([])
      }
    })
  }

  it('loses to a declared length over the limit: 413, decided before any body byte', () => {
    const outcome = feed(whole(bytes(head('Expect: something-else\r\nContent-Length: 2000000\r\n'))))
    expect(outcome.error?.status).toBe(413)
  })

  it('loses to a framing error: 400', () => {
    const outcome = feed(whole(bytes(head('Expect: something-else\r\nContent-Length: 5\r\nContent-Length: 5\r\n'))))
    expect(outcome.error?.status).toBe(400)
  })
})
