// Call an app for one parsed request: request → Environ → app(environ, startResponse) → AppResponse.
//
// Rules:
// - The path is decoded once (decode-path.ts); a bad target or path is a 400 and the app is not
//   called.
// - `OPTIONS *` (RFC 9112 §3.2.4, the asterisk-form) asks about the server, not a resource: it
//   gets an empty 200 without calling the app; we list no Allow header because the methods a
//   resource takes are the app's business. '*' with any other method is a 400.
// - Synchronous fast path: when the app returns its body directly (not a promise, not an async
//   iterable) the AppResponse is returned directly; a promise is allocated only for apps that
//   wait (the event-loop model's throughput depends on this).
// - startResponse("200 OK", headers) may be called before or while the body is produced; as the
//   whole body is collected before anything is written, a later call replaces an earlier one
//   (WSGI allows that with exc_info). What it accepts, and which headers the server keeps for
//   itself: start-response.ts. 204 and 304 never carry content (RFC 9110 §15.3.5, §15.4.5), so
//   their body is dropped.
// - Failures: an AppError with status 400–599 gives that status, its message as the body when
//   `expose`, else the reason phrase (not logged: the app chose it, e.g. 503 while a database is
//   down would otherwise log every request). Anything else — a throw, a rejection, a bad body, no
//   startResponse — is a 500 and one compact stderr line; the process and the next request go on.
import type { ParsedRequest } from '../http/parser.js'
import { errorResponse } from '../http/response.js'
import { describeError, logError } from '../log.js'
import { AppError } from './app-error.js'
import { buildEnviron } from './build-environ.js'
import { collectBody } from './collect-body.js'
import { decodePath } from './decode-path.js'
import type { App, AppBody, AppResponse, ConnInfo, Environ, HeaderList } from './gateway.js'
import { splitTarget } from './request-target.js'
import { slowdown } from './slowdown.js'
import { checkHeaderList, parseStatusLine } from './start-response.js'

const EMPTY = new Uint8Array(0)

/** What startResponse recorded. */
interface Started {
  status: number
  reason: string
  headers: HeaderList
}

function logFailure(req: ParsedRequest, message: string): void {
  const target = req.target.length > 200 ? `${req.target.slice(0, 200)}…` : req.target
  logError(`app error: ${req.method} ${target}: ${message}`)
}

/** The response for anything an app (or a bad target) threw. */
function failure(error: unknown, req: ParsedRequest): AppResponse {
  if (error instanceof AppError && error.status >= 400 && error.status <= 599) {
    return errorResponse(error.status, error.expose ? error.message : undefined)
  }
  logFailure(req, describeError(error))
  return errorResponse(500)
}

function finish(started: Started | undefined, body: Uint8Array, req: ParsedRequest): AppResponse {
  if (started === undefined) {
    logFailure(req, 'the app returned without calling startResponse')
    return errorResponse(500)
  }
  const status = started.status
  return {
    status,
    reason: started.reason,
    headers: started.headers,
    body: status === 204 || status === 304 ? EMPTY : body,
  }
}

function asterisk(req: ParsedRequest): AppResponse {
  if (req.method !== 'OPTIONS') return errorResponse(400, "the '*' target is only for OPTIONS")
  return { status: 200, reason: 'OK', headers: [], body: EMPTY }
}

function isThenable(value: unknown): value is PromiseLike<AppBody> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function'
}

export function callApp(app: App, req: ParsedRequest, conn: ConnInfo): AppResponse | Promise<AppResponse> {
  // Test-only CPU burn per request (HTTPMODELS_SLOWDOWN_US; undefined, so free, when unset).
  if (slowdown !== undefined) slowdown()
  if (req.target === '*') return asterisk(req)
  let environ: Environ
  try {
    const target = splitTarget(req.target)
    environ = buildEnviron(req, conn, target, decodePath(target.path))
  } catch (error) {
    return failure(error, req)
  }

  let started: Started | undefined
  const startResponse = (status: string, headers: HeaderList): void => {
    const parsed = parseStatusLine(status)
    started = { status: parsed.status, reason: parsed.reason, headers: checkHeaderList(headers) }
  }

  try {
    const result = app(environ, startResponse)
    if (isThenable(result)) {
      return Promise.resolve(result)
        .then(collectBody)
        .then((body) => finish(started, body, req), (error: unknown) => failure(error, req))
    }
    const body = collectBody(result)
    if (body instanceof Promise) {
      return body.then((bytes) => finish(started, bytes, req), (error: unknown) => failure(error, req))
    }
    return finish(started, body, req)
  } catch (error) {
    return failure(error, req)
  }
}
