// How database failures reach people: one line at start-up (the CLI prints it and exits), and
// during a run an AppError the server turns into a response — 503 when the database is
// unreachable or busy (the request may succeed later; the pool reconnects by itself), 500 for
// anything else (a query that can never succeed, e.g. a table dropped under us).
//
// A write whose connection broke after its statement was sent is in doubt: the database may have
// committed it and lost only the answer (seen with a proxy cutting the connection between the two;
// no client can tell from its side). Its 503 says so, so nobody takes it for "nothing written".

import { AppError } from '../app-error.js'
import { describeError } from './describe-error.js'

/** Errors after which the same query may succeed later: the connection or the server went away,
 * or the server refused work for now (MySQL error reference: ER_CON_COUNT_ERROR 1040,
 * ER_SERVER_SHUTDOWN 1053, ER_LOCK_WAIT_TIMEOUT 1205, ER_LOCK_DEADLOCK 1213). */
const UNAVAILABLE = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN', 'ER_LOCK_WAIT_TIMEOUT', 'ER_LOCK_DEADLOCK',
])

function errorCode(err: unknown): string | undefined {
  if (err instanceof AggregateError && err.errors.length > 0) return errorCode(err.errors[0])
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : undefined
}

/** Whether a failed query is worth retrying later (see UNAVAILABLE); mysql2 marks errors that
 * broke the connection `fatal`. */
export function isUnavailable(err: unknown): boolean {
  const code = errorCode(err)
  return (code !== undefined && UNAVAILABLE.has(code)) || (err as { fatal?: unknown } | null)?.fatal === true
}

/** The AppError for a query that failed during a run. The 503 message names the cause (an error
 * code, never addresses or credentials) so a client sees why; a 500 keeps its detail for the log. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err
  const code = errorCode(err) ?? 'error'
  if (isUnavailable(err)) return new AppError(503, `database unavailable (${code}); try again later`, true)
  return new AppError(500, `database query failed: ${describeError(err)}`, false)
}

/** Failures that leave a write certainly unapplied: the statement never reached the server (no
 * connection, refused, unresolvable, connect timeout — mysql2's ETIMEDOUT is its connectTimeout),
 * or the server refused or rolled it back (too many connections, shutting down, lock wait timeout,
 * deadlock victim). */
const NOT_APPLIED = new Set([
  'ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN', 'ER_LOCK_WAIT_TIMEOUT', 'ER_LOCK_DEADLOCK',
])

/** The AppError for a failure during a write request: as toAppError, and a 503 says whether the
 * write may have been applied — only when the write statement itself was `sent` and the connection
 * broke under it (ECONNRESET, EPIPE, PROTOCOL_CONNECTION_LOST, any other fatal error); a failure
 * before it (finding the stock) or one of NOT_APPLIED wrote nothing. */
export function toWriteAppError(err: unknown, sent: boolean): AppError {
  if (err instanceof AppError || !isUnavailable(err)) return toAppError(err)
  const code = errorCode(err) ?? 'error'
  if (!sent || NOT_APPLIED.has(code)) return new AppError(503, `database unavailable (${code}); nothing was written; try again later`, true)
  return new AppError(503, `database connection lost during the write (${code}); it may have been applied: read the page before trying again`, true)
}
