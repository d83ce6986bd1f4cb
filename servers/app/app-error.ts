// An error an app throws (or rejects with) to choose the response status, e.g. 503 "database
// unavailable". callApp turns it into that status; any other thrown value becomes a 500.
//
// `expose` says whether the message may be shown to the client. The default follows http-errors
// (the library behind Express and Koa): messages of 4xx errors describe the client's request and
// are shown, messages of 5xx errors may name internals and are not, unless the thrower says so.

export class AppError extends Error {
  /** The HTTP status to answer with; callApp honours 400–599 and treats anything else as 500. */
  readonly status: number
  /** Whether `message` may be the response body; otherwise the body is the reason phrase. */
  readonly expose: boolean

  constructor(status: number, message: string, expose: boolean = status < 500, options?: ErrorOptions) {
    super(message, options)
    this.name = 'AppError'
    this.status = status
    this.expose = expose
  }
}
