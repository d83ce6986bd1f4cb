// Verify before load (DESIGN.md "Benchmark method"; TechEmpower verifies every URL before it
// benchmarks, toolset/test_types/verifications.py): a server that answers fast but wrong must
// never produce a number. Checks status, the required headers, framing and the body's sha256.

import type { ExpectedBody } from './expected-body.js'
import { sha256 } from './expected-body.js'
import { type Exchange, exchange, keepAliveAgent } from '../clients/http-exchange.js'
import { REQUIRED_HEADERS, type Scenario } from './scenarios.js'
import type { ConnectionMode, LoadRequest } from '../types.js'

export interface Verification {
  ok: boolean
  /** One line: the first check that failed. */
  failure?: string
  /** What was checked, for the results file. */
  checked: string[]
  /** Keep-alive mode only: the server answered `Connection: close` (it serves one request per connection). */
  serverCloses?: boolean
}

/** RFC 9110 §5.6.7 IMF-fixdate, the only form a server may send. */
const IMF_FIXDATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/
/** Servers cache Date per second; more than this off means a stale cache (TechEmpower re-checks Date). */
const DATE_SLACK_MS = 10_000

/** A server the bench did not start and that is not one of ours (target-server.ts): checked on
 * status and, where the scenario gives one, the expected body; `server` is its Server header. */
export interface Foreign { server: string }

/**
 * Ask the scenario's request(s) the way the load will: in keep-alive mode twice over one reused
 * connection (the second answer proves the connection survived the first), in close mode once
 * with `Connection: close`, which the answer must confirm.
 */
export async function verifyScenario(origin: string, s: Scenario, expected: ExpectedBody, mode: ConnectionMode, foreign?: Foreign): Promise<Verification> {
  const checked: string[] = []
  const agent = mode === 'keepalive' ? keepAliveAgent() : undefined
  let serverCloses = false
  try {
    const rounds = mode === 'keepalive' && s.requests.length === 1 ? 2 : 1
    for (let round = 0; round < rounds; round++) {
      for (const req of s.requests) {
        let answer: Exchange
        try {
          answer = await exchange(origin, req, { agent })
        } catch (error) {
          return fail(req, `no answer: ${(error as Error).message}`, checked)
        }
        const problem = checkAnswer(answer, s, expected, mode, foreign !== undefined)
        if (problem !== null) return fail(req, problem, checked)
        if (mode === 'keepalive' && /\bclose\b/i.test(answer.headers.connection ?? '')) serverCloses = true
      }
    }
  } finally {
    agent?.destroy()
  }
  if (foreign !== undefined) {
    checked.push(`status ${s.status}`, `not an httpmodels server (Server: ${foreign.server}): headers, Date and the stock app's own checks left out`)
  } else {
    checked.push(`status ${s.status}`, `headers ${REQUIRED_HEADERS.join(', ')}`, 'Content-Length = body length')
    if (s.contentType !== undefined) checked.push(`Content-Type ${s.contentType}`)
  }
  if (expected.sha256 !== null) checked.push(`body sha256 ${expected.sha256.slice(0, 12)}… (${expected.source})`)
  else checked.push(`body ${expected.source}`)
  if (mode === 'close') checked.push('Connection: close confirmed')
  if (serverCloses) checked.push('the server closes every connection (Connection: close) even when asked to keep it')
  return { ok: true, checked, ...(serverCloses ? { serverCloses } : {}) }
}

/** The first thing wrong with one answer, or null. A foreign server's answer is checked on status,
 * the body where the scenario gives one, and in close mode the `Connection: close` the load relies on. */
export function checkAnswer(answer: Exchange, s: Scenario, expected: ExpectedBody, mode: ConnectionMode, foreign = false): string | null {
  if (answer.status !== s.status) return `status ${answer.status}, expected ${s.status}${snippet(answer.body)}`
  const headers = foreign ? null : headerProblem(answer, s)
  if (headers !== null) return headers
  if (expected.sha256 !== null) {
    const got = sha256(answer.body)
    if (got !== expected.sha256) {
      return `body sha256 ${got.slice(0, 12)}… (${answer.body.length} bytes) differs from ${expected.sha256.slice(0, 12)}… (${expected.bytes} bytes, ${expected.source})`
    }
  }
  if (mode === 'close' && !/\bclose\b/i.test(answer.headers.connection ?? '')) {
    return `asked Connection: close but the answer says Connection: ${answer.headers.connection ?? '(absent)'}`
  }
  return null
}

/** What our own servers must send with every answer (DESIGN.md "Shared HTTP rules"), or null. */
function headerProblem(answer: Exchange, s: Scenario): string | null {
  const missing = REQUIRED_HEADERS.filter((name) => answer.headers[name] === undefined)
  if (missing.length > 0) return `missing header${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`
  const length = Number(answer.headers['content-length'])
  if (length !== answer.body.length) return `Content-Length ${answer.headers['content-length']} but the body has ${answer.body.length} bytes`
  const contentType = answer.headers['content-type']!
  if (s.contentType !== undefined && !contentType.toLowerCase().startsWith(s.contentType)) {
    return `Content-Type ${contentType}, expected ${s.contentType}`
  }
  const date = answer.headers.date!
  if (!IMF_FIXDATE.test(date)) return `Date ${JSON.stringify(date)} is not an IMF-fixdate (RFC 9110 §5.6.7)`
  if (Math.abs(Date.parse(date) - Date.now()) > DATE_SLACK_MS) return `Date ${date} is more than ${DATE_SLACK_MS / 1000} s off the clock`
  return null
}

function fail(req: LoadRequest, problem: string, checked: string[]): Verification {
  return { ok: false, failure: `verification failed: ${req.method} ${req.path}: ${problem}`, checked }
}

function snippet(body: Buffer): string {
  const text = body.subarray(0, 80).toString('utf8').replace(/\s+/g, ' ').trim()
  return text === '' ? '' : ` (body: ${JSON.stringify(text)})`
}
