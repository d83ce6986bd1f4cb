// Call a gateway app the way a server would, and record whether it answered synchronously.
// Kept apart from servers/app/call-app.ts so these tests see the app's own answer; AppErrors
// are turned into their status here the way call-app does (message as body when exposed).

import { AppError } from '../../../servers/app/app-error.js'
import type { App, AppBody, Environ, HeaderList } from '../../../servers/app/gateway.js'

export interface Answer {
  /** The app returned its body directly, not a promise. */
  sync: boolean
  status: number
  headers: HeaderList
  body: string
}

export function environ(method: string, path: string): Environ {
  return {
    REQUEST_METHOD: method,
    PATH_INFO: path,
    RAW_PATH: path,
    QUERY_STRING: '',
    SERVER_PROTOCOL: 'HTTP/1.1',
    SERVER_NAME: '127.0.0.1',
    SERVER_PORT: '8080',
    REMOTE_ADDR: '127.0.0.1',
    REMOTE_PORT: '50000',
    HTTP_HOST: '127.0.0.1:8080',
    'wsgi.input': new Uint8Array(0),
  }
}

function collect(body: AppBody): string {
  if (typeof body === 'string') return body
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8')
  if (Symbol.iterator in body) return [...(body as Iterable<string | Uint8Array>)].map(collect).join('')
  throw new Error('async iterable bodies are not used by the stock app')
}

export async function call(app: App, method: string, path: string): Promise<Answer> {
  let started: { status: number; headers: HeaderList } | undefined
  const startResponse = (status: string, headers: HeaderList) => {
    started = { status: Number(status.slice(0, 3)), headers }
  }
  let sync = true
  try {
    let result = app(environ(method, path), startResponse)
    if (result instanceof Promise) {
      sync = false
      result = await result
    }
    const body = collect(result)
    if (started === undefined) throw new Error('the app returned without calling startResponse')
    return { sync, ...started, body }
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    return { sync, status: err.status, headers: [], body: err.expose ? err.message : '' }
  }
}

export function header(answer: Answer, name: string): string | undefined {
  return answer.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1]
}
