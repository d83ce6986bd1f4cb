// How database failures reach people: one line at start-up (the CLI prints it and exits), and
// during a run an AppError the server turns into a response — 503 when the database is
// unreachable or busy (the request may succeed later; the pool reconnects by itself), 500 for
// anything else (a query that can never succeed, e.g. a table dropped under us).

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
