// One place that writes diagnostics: stderr, one line per event, prefixed with the process role so
// lines from forked children and worker threads can be told apart. stdout is reserved for the
// serve CLI's ready line, which other tools parse.
import { isMainThread, threadId } from 'node:worker_threads'

const role = isMainThread ? `pid ${process.pid}` : `pid ${process.pid} thread ${threadId}`

export function logError(message: string): void {
  process.stderr.write(`httpmodels [${role}] ${message}\n`)
}

/** A compact description of an unknown thrown value: its message, never a stack per request. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`
  return String(error)
}
