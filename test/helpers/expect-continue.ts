// A client that uploads the way curl does with `Expect: 100-continue`: send the head, wait for
// `100 Continue` (or a final answer) up to curl's --expect100-timeout (1 s by default), then send
// the body, unless a final status came first. It records what arrived before the body went out,
// so a test can tell a server that answered from one whose silence curl's timer had to break.
import net from 'node:net'
import { parseResponses, type RawResponse } from './raw-http.js'

/** curl's default --expect100-timeout: how long it waits for 100 before sending the body anyway. */
export const CURL_EXPECT_100_TIMEOUT_MS = 1000

export interface ContinueUpload {
  /** Bytes received before the body was sent (or before the end, when it never was). */
  beforeBody: string
  /** The body was sent because a 100 came (false: the timer fired, or a final status came). */
  continued: boolean
  bodySent: boolean
  /** Interim 100 responses seen in the whole exchange. */
  interims: number
  /** The final responses, in order. */
  responses: RawResponse[]
  closed: boolean
  /** From connect to the last response (or close), ms. */
  elapsedMs: number
}

const INTERIM = /^HTTP\/1\.1 100 [^\r\n]*\r\n\r\n/

/** The responses `text` holds; none when it is not what parseResponses understands (a chunked
 * answer): the test then sees no final response instead of an exception in a socket callback. */
function finalsOf(text: string): RawResponse[] {
  try {
    return parseResponses(Buffer.from(text, 'latin1'))
  } catch {
    return []
  }
}

export function uploadExpectingContinue(
  port: number,
  head: string,
  body: Buffer,
  options: { waitMs?: number; timeoutMs?: number; /** Stop after this many final responses (default: wait for close). */ responses?: number } = {},
): Promise<ContinueUpload> {
  const { waitMs = CURL_EXPECT_100_TIMEOUT_MS, timeoutMs = 5000, responses: wanted = Infinity } = options
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1', noDelay: true })
    let received = ''
    let beforeBody: string | undefined
    let continued = false
    let interims = 0
    let done = false
    let started = 0
    let waitTimer: NodeJS.Timeout | undefined
    /** received without its interim responses; counts them. */
    const finalsText = (): string => {
      let text = received
      let n = 0
      for (let m = INTERIM.exec(text); m; m = INTERIM.exec(text)) {
        n++
        text = text.slice(m[0].length)
      }
      interims = n
      return text
    }
    const finish = (closed: boolean): void => {
      if (done) return
      done = true
      clearTimeout(deadline)
      clearTimeout(waitTimer)
      socket.destroy()
      const responses = finalsOf(finalsText())
      resolve({ beforeBody: beforeBody ?? received, continued, bodySent: beforeBody !== undefined, interims, responses, closed, elapsedMs: performance.now() - started })
    }
    const sendBody = (): void => {
      if (beforeBody !== undefined || done) return
      clearTimeout(waitTimer)
      beforeBody = received
      socket.write(body)
    }
    const deadline = setTimeout(() => finish(false), timeoutMs)
    socket.on('connect', () => {
      started = performance.now()
      socket.write(head)
      waitTimer = setTimeout(sendBody, waitMs)
    })
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1')
      const finals = finalsOf(finalsText())
      if (beforeBody === undefined) {
        if (interims > 0) {
          continued = true
          sendBody()
        } else if (finals.length > 0) {
          clearTimeout(waitTimer) // a final status before the body: curl does not send it
        }
      }
      if (finals.length >= wanted) finish(false)
    })
    socket.on('close', () => finish(true))
    socket.on('error', () => finish(true))
  })
}
