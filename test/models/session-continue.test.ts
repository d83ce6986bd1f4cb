// Expect: 100-continue in the shared session, without sockets: what goes to the sink and when.
// Every model writes what its session hands the sink, so these rules hold for all of them; the
// conformance suite checks the same over real sockets.
import { describe, expect, it } from 'vitest'
import type { App } from '../../servers/app/gateway.js'
import { HttpSession, type SessionContext } from '../../servers/models/session.js'
import { parseResponses } from '../helpers/raw-http.js'

const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n'

/** Answers with the body's length; `?wait=ms` answers later (an app awaiting a database). */
const echoLength: App = (environ, startResponse) => {
  const answer = (): string => {
    startResponse('200 OK', [['Content-Type', 'text/plain']])
    return `got ${environ['wsgi.input'].byteLength}`
  }
  const wait = /wait=(\d+)/.exec(environ.QUERY_STRING)
  return wait ? new Promise((resolve) => setTimeout(() => resolve(answer()), Number(wait[1]))) : answer()
}

function open(options: { oneRequest?: boolean } = {}): { session: HttpSession; output: () => string; closed: () => boolean } {
  const context: SessionContext = { app: echoLength, limits: {}, serverName: 'test', serverPort: 80, headersTimeoutMs: 0, keepAliveTimeoutMs: 0 }
  const chunks: Buffer[] = []
  let closed = false
  const session = new HttpSession(context, {}, { write: (b) => chunks.push(b), close: () => (closed = true) }, { timers: false, ...options })
  return { session, output: () => Buffer.concat(chunks).toString('latin1'), closed: () => closed }
}

const send = (session: HttpSession, text: string): void => session.receive(Buffer.from(text, 'latin1'))
const head = (target: string, fields: string): string => `POST ${target} HTTP/1.1\r\nHost: test\r\n${fields}\r\n`
const finals = (output: string) => parseResponses(Buffer.from(output.split(CONTINUE).join(''), 'latin1'))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('a session asked for 100-continue', () => {
  it('writes 100 Continue once, as soon as the head is read, then the final response after the body', () => {
    const { session, output } = open()
    send(session, head('/', 'Expect: 100-continue\r\nContent-Length: 10\r\n'))
    expect(output()).toBe(CONTINUE)
    send(session, 'hello')
    send(session, 'world')
    expect(output().startsWith(CONTINUE)).toBe(true)
    expect(output().split(CONTINUE)).toHaveLength(2)
    expect(finals(output()).map((r) => r.body.toString())).toEqual(['got 10'])
  })

  it('writes no 100 when the body came with the head', () => {
    const { session, output } = open()
    send(session, head('/', 'Expect: 100-continue\r\nContent-Length: 5\r\n') + 'hello')
    expect(output().startsWith('HTTP/1.1 200 OK')).toBe(true)
  })

  it('holds the 100 behind the unfinished response to an earlier pipelined request', async () => {
    const { session, output } = open()
    send(session, `GET /?wait=30 HTTP/1.1\r\nHost: test\r\n\r\n` + head('/', 'Expect: 100-continue\r\nContent-Length: 5\r\n'))
    expect(output()).toBe('')
    await sleep(60)
    const text = output()
    expect(text.indexOf(CONTINUE)).toBeGreaterThan(text.indexOf('got 0'))
    send(session, 'hello')
    expect(finals(output()).map((r) => r.body.toString())).toEqual(['got 0', 'got 5'])
  })

  it('sends no 100 once shutting down, and closes after the responses it owes', async () => {
    const { session, output, closed } = open()
    send(session, `GET /?wait=30 HTTP/1.1\r\nHost: test\r\n\r\n` + head('/', 'Expect: 100-continue\r\nContent-Length: 5\r\n'))
    session.shutdown()
    await sleep(60)
    expect(output()).not.toContain(CONTINUE)
    expect(finals(output()).map((r) => r.body.toString())).toEqual(['got 0'])
    expect(finals(output())[0]!.headers.get('connection')).toBe('close')
    expect(closed()).toBe(true)
  })

  it('answers 413 instead of 100 for a declared length over the limit, then closes', () => {
    const { session, output, closed } = open()
    send(session, head('/', 'Expect: 100-continue\r\nContent-Length: 2000000\r\n'))
    expect(output()).not.toContain(CONTINUE)
    expect(finals(output()).map((r) => r.status)).toEqual([413])
    expect(closed()).toBe(true)
  })

  it('answers 417 instead of 100 for any other expectation, then closes', () => {
    const { session, output, closed } = open()
    send(session, head('/', 'Expect: 100-continue, x-unknown\r\nContent-Length: 5\r\n'))
    expect(output()).not.toContain(CONTINUE)
    expect(finals(output()).map((r) => r.status)).toEqual([417])
    expect(closed()).toBe(true)
  })

  it('on a one-request connection, sends no 100 for a pipelined request it will never answer', () => {
    const { session, output } = open({ oneRequest: true })
    send(session, `GET / HTTP/1.1\r\nHost: test\r\n\r\n` + head('/', 'Expect: 100-continue\r\nContent-Length: 5\r\n'))
    expect(output()).not.toContain(CONTINUE)
    expect(finals(output()).map((r) => r.headers.get('connection'))).toEqual(['close'])
  })

  it('writes no 100 when the body turns out malformed before the 100 was due', () => {
    const { session, output } = open()
    send(session, head('/', 'Expect: 100-continue\r\nTransfer-Encoding: chunked\r\n') + 'zz\r\n')
    expect(output()).not.toContain(CONTINUE)
    expect(finals(output()).map((r) => r.status)).toEqual([400])
  })
})
