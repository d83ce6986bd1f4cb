// How a failed query is answered: 503 for a database that is away (with the cause), 500 for a
// query that can never succeed, and for a write, whether it may have been applied.
import { describe, expect, it } from 'vitest'
import { AppError } from '../../../servers/app/app-error.js'
import { toAppError, toWriteAppError } from '../../../servers/app/repositories/database-error.js'

const failure = (code: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(`failed: ${code}`), { code, ...extra })

describe('toAppError', () => {
  it('answers 503 naming the code when the database is away, and 500 for a query that cannot succeed', () => {
    expect(toAppError(failure('ECONNREFUSED'))).toMatchObject({ status: 503, expose: true, message: 'database unavailable (ECONNREFUSED); try again later' })
    expect(toAppError(failure('ER_NO_SUCH_TABLE'))).toMatchObject({ status: 500, expose: false })
  })
})

describe('toWriteAppError', () => {
  it('says nothing was written when the statement never reached the database or was rolled back', () => {
    for (const code of ['ECONNREFUSED', 'ETIMEDOUT', 'ER_CON_COUNT_ERROR', 'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']) {
      expect(toWriteAppError(failure(code), true), code).toMatchObject({ status: 503, message: `database unavailable (${code}); nothing was written; try again later` })
    }
  })

  it('says the write may have been applied when the connection broke with the statement sent', () => {
    for (const code of ['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE']) {
      const error = toWriteAppError(failure(code), true)
      expect(error.status, code).toBe(503)
      expect(error.message).toBe(`database connection lost during the write (${code}); it may have been applied: read the page before trying again`)
    }
    // but not when the connection broke before the write statement (finding the stock)
    expect(toWriteAppError(failure('PROTOCOL_CONNECTION_LOST'), false).message).toBe('database unavailable (PROTOCOL_CONNECTION_LOST); nothing was written; try again later')
    // any other fatal error broke the connection too
    expect(toWriteAppError(failure('SOMETHING_NEW', { fatal: true }), true).message).toMatch(/may have been applied/)
  })

  it('leaves errors that are not about availability as they are', () => {
    expect(toWriteAppError(failure('ER_NO_SUCH_TABLE'), true).status).toBe(500)
    const own = new AppError(404, 'no such stock')
    expect(toWriteAppError(own, true)).toBe(own)
  })
})
