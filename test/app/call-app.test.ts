import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { AppError } from '../../servers/app/app-error.js'
import { callApp } from '../../servers/app/call-app.js'
import type { App, AppResponse, ConnInfo, Environ } from '../../servers/app/gateway.js'
import type { ParsedRequest } from '../../servers/http/parser.js'

const conn: ConnInfo = { remoteAddress: '127.0.0.1', remotePort: 54321, serverName: 'localhost', serverPort: 8080 }

function request(target: string, options: Partial<ParsedRequest> = {}): ParsedRequest {
  return {
    method: 'GET',
    target,
    version: '1.1',
    headers: [['host', 'localhost:8080']],
    body: new Uint8Array(0),
    keepAlive: true,
    ...options,
  }
}

const text = (response: AppResponse): string => Buffer.from(response.body).toString('utf8')

function syncResponse(result: AppResponse | Promise<AppResponse>): AppResponse {
  expect(result).not.toBeInstanceOf(Promise)
  return result as AppResponse
}

const hello: App = (_environ, startResponse) => {
  startResponse('200 OK', [['Content-Type', 'text/plain; charset=utf-8']])
  return 'Hello, World!'
}

/** An app that records the environ it was given. */
function recorder(): { app: App; seen: () => Environ } {
  let seen: Environ | undefined
  return {
    app: (environ, startResponse) => {
      seen = environ
      startResponse('200 OK', [])
      return ''
    },
    seen: () => {
      if (seen === undefined) throw new Error('the app was not called')
      return seen
    },
  }
}

let stderr: MockInstance<typeof process.stderr.write>

beforeEach(() => {
  stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true)
})

afterEach(() => {
  stderr.mockRestore()
})

const stderrText = (): string => stderr.mock.calls.map((call) => String(call[0])).join('')

describe('callApp: the synchronous fast path', () => {
  it('returns the response itself, not a promise, for an app that returns a string', () => {
    const response = syncResponse(callApp(hello, request('/hello'), conn))
    expect(response.status).toBe(200)
    expect(response.reason).toBe('OK')
    expect(response.headers).toEqual([['Content-Type', 'text/plain; charset=utf-8']])
    expect(text(response)).toBe('Hello, World!')
  })

  it('encodes a string body as UTF-8', () => {
    const app: App = (_e, start) => {
      start('200 OK', [])
      return 'café €'
    }
    expect([...syncResponse(callApp(app, request('/'), conn)).body]).toEqual([...Buffer.from('café €', 'utf8')])
  })

  it('passes a Uint8Array body through without copying it', () => {
    const bytes = new Uint8Array([1, 2, 3])
    const app: App = (_e, start) => {
      start('200 OK', [])
      return bytes
    }
    expect(syncResponse(callApp(app, request('/'), conn)).body).toBe(bytes)
  })

  it('collects a synchronous iterable (a generator) without a promise, even when it starts the response', () => {
    const app: App = function* (_e, start) {
      start('201 Created', [])
      yield 'a'
      yield new Uint8Array([0x62])
      yield 'c'
    }
    const response = syncResponse(callApp(app, request('/'), conn))
    expect(response.status).toBe(201)
    expect(text(response)).toBe('abc')
  })

  it('uses the standard reason phrase when the status has none', () => {
    const app: App = (_e, start) => {
      start('404', [])
      return ''
    }
    expect(syncResponse(callApp(app, request('/'), conn)).reason).toBe('Not Found')
  })
})

describe('callApp: apps that wait', () => {
  it('returns a promise for an async app and resolves it to the collected response', async () => {
    const app: App = async (_e, start) => {
      await new Promise((resolve) => setTimeout(resolve, 1))
      start('200 OK', [['Content-Type', 'text/html']])
      return '<p>later</p>'
    }
    const result = callApp(app, request('/'), conn)
    expect(result).toBeInstanceOf(Promise)
    const response = await result
    expect(response.status).toBe(200)
    expect(text(response)).toBe('<p>later</p>')
  })

  it('collects an async iterable body into one buffer', async () => {
    const app: App = (_e, start) => {
      start('200 OK', [])
      return (async function* () {
        yield 'one '
        await new Promise((resolve) => setTimeout(resolve, 1))
        yield Buffer.from('two')
      })()
    }
    const result = callApp(app, request('/'), conn)
    expect(result).toBeInstanceOf(Promise)
    expect(text(await result)).toBe('one two')
  })

  it('collects a promise of an iterable', async () => {
    const app: App = async (_e, start) => {
      start('200 OK', [])
      return ['x', 'y']
    }
    expect(text(await callApp(app, request('/'), conn))).toBe('xy')
  })
})

describe('callApp: failures', () => {
  it('answers 500 for a throwing app, writes one line naming the error, and serves the next request', () => {
    const app: App = () => {
      throw new TypeError('boom at the handler')
    }
    const failed = syncResponse(callApp(app, request('/crash?x=1'), conn))
    expect(failed.status).toBe(500)
    expect(failed.reason).toBe('Internal Server Error')
    const lines = stderrText().trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/GET \/crash\?x=1: TypeError: boom at the handler$/)
    expect(syncResponse(callApp(hello, request('/hello'), conn)).status).toBe(200)
  })

  it('answers 500 for a rejected promise', async () => {
    const app: App = async () => {
      throw new Error('async boom')
    }
    const response = await callApp(app, request('/'), conn)
    expect(response.status).toBe(500)
    expect(stderrText()).toMatch(/Error: async boom/)
  })

  it('answers 500 when an async body fails half way', async () => {
    const app: App = (_e, start) => {
      start('200 OK', [])
      return (async function* () {
        yield 'partial'
        throw new Error('stream broke')
      })()
    }
    expect((await callApp(app, request('/'), conn)).status).toBe(500)
    expect(stderrText()).toMatch(/stream broke/)
  })

  it('answers with an AppError status and shows its message when it may be exposed', () => {
    const app: App = () => {
      throw new AppError(503, 'database unavailable (ECONNREFUSED); try again later', true)
    }
    const response = syncResponse(callApp(app, request('/stocks.html'), conn))
    expect(response.status).toBe(503)
    expect(text(response)).toContain('database unavailable (ECONNREFUSED); try again later')
    expect(stderrText()).toBe('')
  })

  it('keeps an unexposed AppError message out of the body', async () => {
    const app: App = async () => {
      throw new AppError(500, 'query failed: table secret_internal_name', false)
    }
    const response = await callApp(app, request('/'), conn)
    expect(response.status).toBe(500)
    expect(text(response)).not.toContain('secret_internal_name')
  })

  it('exposes 4xx AppError messages by default', () => {
    const error = new AppError(409, 'already following')
    expect(error.expose).toBe(true)
    expect(new AppError(503, 'x').expose).toBe(false)
    const app: App = () => {
      throw error
    }
    expect(text(syncResponse(callApp(app, request('/'), conn)))).toContain('already following')
  })

  it('treats an AppError with a status outside 400–599 as a 500', () => {
    const app: App = () => {
      throw new AppError(302, 'not an error status')
    }
    expect(syncResponse(callApp(app, request('/'), conn)).status).toBe(500)
  })

  it('answers 500 when the app never calls startResponse', () => {
    const app: App = () => 'forgot to start'
    expect(syncResponse(callApp(app, request('/'), conn)).status).toBe(500)
    expect(stderrText()).toMatch(/without calling startResponse/)
  })

  it.each([
    ['a number', 42],
    ['undefined', undefined],
    ['an iterable of numbers', [1, 2]],
  ])('answers 500 when the app returns %s as the body', (_name, body) => {
    const app = ((_e: Environ, start: (s: string, h: Array<[string, string]>) => void) => {
      start('200 OK', [])
      return body
    }) as unknown as App
    expect(syncResponse(callApp(app, request('/'), conn)).status).toBe(500)
  })

  it.each([
    ['a status without a code', 'OK'],
    ['a 1xx status', '101 Switching Protocols'],
    ['a status past 599', '600 Nope'],
    ['a reason with CR LF', '200 OK\r\nX-Injected: 1'],
  ])('answers 500 for %s', (_name, status) => {
    const app: App = (_e, start) => {
      start(status, [])
      return ''
    }
    expect(syncResponse(callApp(app, request('/'), conn)).status).toBe(500)
  })

  it.each([
    ['a value with CR LF (response splitting)', ['Location', '/x\r\nSet-Cookie: a=b']],
    ['a name that is not a token', ['Bad Name', 'x']],
    ['a value that is not a string', ['X-Count', 3]],
  ])('answers 500 for a header with %s', (_name, header) => {
    const app: App = (_e, start) => {
      start('200 OK', [header as [string, string]])
      return ''
    }
    expect(syncResponse(callApp(app, request('/'), conn)).status).toBe(500)
  })
})

describe('callApp: what reaches the response', () => {
  it('drops framing and connection headers the server owns', () => {
    const app: App = (_e, start) => {
      start('200 OK', [['Content-Length', '999'], ['connection', 'close'], ['Transfer-Encoding', 'chunked'], ['X-Kept', 'yes']])
      return 'abc'
    }
    expect(syncResponse(callApp(app, request('/'), conn)).headers).toEqual([['X-Kept', 'yes']])
  })

  it("hands the writer a copy of the app's header list", () => {
    const headers: Array<[string, string]> = [['Content-Type', 'text/plain']]
    const app: App = (_e, start) => {
      start('200 OK', headers)
      return ''
    }
    const response = syncResponse(callApp(app, request('/'), conn))
    response.headers.push(['Date', 'now'])
    expect(headers).toEqual([['Content-Type', 'text/plain']])
  })

  it('hands back one checked, frozen list for a frozen header list (checked once, nobody can change it)', () => {
    const headers = Object.freeze([Object.freeze(['Content-Type', 'text/plain']), Object.freeze(['Content-Length', '1'])]) as Array<[string, string]>
    const app: App = (_e, start) => {
      start('200 OK', headers)
      return 'x'
    }
    const first = syncResponse(callApp(app, request('/'), conn))
    const second = syncResponse(callApp(app, request('/'), conn))
    expect(first.headers).toEqual([['Content-Type', 'text/plain']])
    expect(second.headers).toBe(first.headers)
    expect(Object.isFrozen(first.headers) && first.headers.every((pair) => Object.isFrozen(pair))).toBe(true)
    expect(() => first.headers.push(['Date', 'now'])).toThrow(TypeError)
    expect(syncResponse(callApp(app, request('/'), conn)).headers).toEqual([['Content-Type', 'text/plain']])
  })

  it('rejects a frozen header list with a bad header on every call, not just the first', () => {
    const headers = Object.freeze([Object.freeze(['X-Bad', 'a\r\nb'])]) as Array<[string, string]>
    const app: App = (_e, start) => {
      start('200 OK', headers)
      return ''
    }
    expect(syncResponse(callApp(app, request('/'), conn)).status).toBe(500)
    expect(syncResponse(callApp(app, request('/'), conn)).status).toBe(500)
  })

  it('drops the body of a 204 and a 304', () => {
    for (const status of ['204 No Content', '304 Not Modified']) {
      const app: App = (_e, start) => {
        start(status, [])
        return 'should not be sent'
      }
      expect(syncResponse(callApp(app, request('/'), conn)).body.length).toBe(0)
    }
  })

  it('lets a later startResponse replace an earlier one (nothing is written before the body is complete)', () => {
    const app: App = function* (_e, start) {
      start('200 OK', [['X-Try', '1']])
      yield 'partial'
      start('503 Service Unavailable', [['Retry-After', '1']])
    }
    const response = syncResponse(callApp(app, request('/'), conn))
    expect(response.status).toBe(503)
    expect(response.headers).toEqual([['Retry-After', '1']])
  })
})
