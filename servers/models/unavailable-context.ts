// What a fork child or a pooled thread serves when it cannot open the app at run time — the
// database went away after the server started, so a new child or a replacement thread fails where
// the running ones answer 503 from their pools: it answers 503 too, request by request, instead
// of closing the connection without a word. (DESIGN.md: a database that is down gives 503 with a
// clear message and the server recovers when it comes back.)
import { AppError } from '../app/app-error.js'
import type { ServeOptions } from './model.js'
import type { SessionContext } from './session.js'

/** Session settings from `options` with an app that answers every request 503. The message names
 * no address or credential: the reason goes to the server's log. */
export function unavailableContext(options: ServeOptions): SessionContext {
  return {
    app: () => {
      throw new AppError(503, 'service unavailable: the app could not be opened (is the database down?); try again later', true)
    },
    limits: options.limits,
    serverName: options.host,
    serverPort: options.port,
    headersTimeoutMs: options.headersTimeoutMs,
    keepAliveTimeoutMs: options.keepAliveTimeoutMs,
  }
}
