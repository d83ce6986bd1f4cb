// The gateway contract: how any server calls any app (modelled on WSGI, PEP 3333).
//
// A server turns each parsed request into an Environ and calls `app(environ, startResponse)`.
// The app calls `startResponse(status, headers)` once (before or while producing the body) and
// returns the body: a string, bytes, an iterable of those, or a promise of any of them.
// Nothing here knows about sockets: `servers/app/call-app.ts` adapts a ParsedRequest to an
// Environ and collects the body into one AppResponse that the response writer frames.

/** What the app sees of one request (WSGI's environ; names follow CGI/WSGI). */
export interface Environ {
  REQUEST_METHOD: string
  /** The path, percent-decoded once, without the query string (WSGI PATH_INFO). */
  PATH_INFO: string
  /** The raw path as it came in the request target, still percent-encoded. */
  RAW_PATH: string
  QUERY_STRING: string
  SERVER_PROTOCOL: 'HTTP/1.0' | 'HTTP/1.1'
  SERVER_NAME: string
  SERVER_PORT: string
  REMOTE_ADDR: string
  REMOTE_PORT: string
  CONTENT_TYPE?: string
  CONTENT_LENGTH?: string
  /** Request headers as HTTP_<NAME> (upper case, '-' → '_'); repeated headers joined with ', '. */
  [header: `HTTP_${string}`]: string | undefined
  /** The request body, already de-chunked (WSGI's wsgi.input, read in full). */
  'wsgi.input': Uint8Array
}

/** A header list in order; names as the app wrote them. */
export type HeaderList = Array<[name: string, value: string]>

/** WSGI's start_response: status is "200 OK"-style (code, space, reason phrase). */
export type StartResponse = (status: string, headers: HeaderList) => void

export type BodyChunk = string | Uint8Array
export type AppBody = BodyChunk | Iterable<BodyChunk> | AsyncIterable<BodyChunk>

/** An application. Return the body directly when it is ready: the servers keep a synchronous
 * fast path for apps that do not need to wait (no promise per request). */
export type App = (environ: Environ, startResponse: StartResponse) => AppBody | Promise<AppBody>

/** What a server writes back: the app's answer with the body collected. The response writer adds
 * Date, Server, Content-Length and Connection. */
export interface AppResponse {
  status: number
  reason: string
  headers: HeaderList
  body: Uint8Array
}

/** The connection facts an Environ needs beyond the request itself. */
export interface ConnInfo {
  remoteAddress: string
  remotePort: number
  serverName: string
  serverPort: number
}

/** An app that owns resources (a database pool) and must release them on shutdown. */
export interface LoadedApp {
  app: App
  close(): Promise<void>
}
