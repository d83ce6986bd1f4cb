// The one error the HTTP layer throws: bad input from the peer, with the status to answer it.
//
// Like h11's RemoteProtocolError, the error carries the response status (400, 413, 414, 431, 501,
// 505), so a server maps it without knowing which rule failed. The message is short, names the
// rule, and never echoes the peer's bytes (servers may put it in a text/plain response body).
import type { ParsedRequest } from './parsed-request.js'

export class HttpError extends Error {
  override name = 'HttpError'
  /** The response status to send before closing the connection. */
  readonly status: number
  /** Requests the same push() completed before reaching the bad bytes, in order: answer them,
   * then send this error. Empty when the error is thrown again by a later call. */
  readonly requests: ParsedRequest[]

  constructor(status: number, message: string, requests: ParsedRequest[] = []) {
    super(message)
    this.status = status
    this.requests = requests
  }
}
