// A failure as one line for people: CLI messages and logs print it instead of a stack.

/** The failure as one line. Node reports a refused connection to a name with several addresses
 * as an AggregateError with an empty message; use its first inner error then. */
export function describeError(err: unknown): string {
  if (err instanceof AggregateError && err.message === '' && err.errors.length > 0) return describeError(err.errors[0])
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code
    const message = err.message.split('\n')[0]!.trim()
    if (message !== '') return message
    if (typeof code === 'string') return code
  }
  return String(err)
}
