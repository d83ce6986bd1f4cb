// The blocking model really serializes: while one connection waits on its app, the next
// connection is not even read. Two slow requests on two connections take the sum of their times
// (the eventloop model, as the control, takes the max), and waiting connections are answered in
// the order they arrived.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exchange, type RawResponse } from '../helpers/raw-http.js'
import { startServe, type ServeProcess } from '../helpers/serve-process.js'

const SLOW_APP = '--app=./test/fixtures/slow-app.mjs:application'
const SLEEP_MS = 400

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface Timed {
  response: RawResponse | undefined
  /** ms from the start of the test to the server's close of this connection. */
  at: number
}

function slowRequest(port: number, ms: number, start: number): Promise<Timed> {
  return exchange(port, [`GET /?ms=${ms} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n`]).then((result) => ({
    response: result.responses[0],
    at: performance.now() - start,
  }))
}

/** Two slow requests on two connections, the second connecting 20 ms after the first. */
async function twoSlowRequests(port: number): Promise<{ first: Timed; second: Timed }> {
  const start = performance.now()
  const first = slowRequest(port, SLEEP_MS, start)
  await sleep(20)
  const second = slowRequest(port, SLEEP_MS, start)
  return { first: await first, second: await second }
}

describe('the blocking model serializes connections', () => {
  let blocking: ServeProcess
  let eventloop: ServeProcess
  beforeAll(async () => {
    ;[blocking, eventloop] = await Promise.all([
      startServe(['--model=blocking', SLOW_APP]),
      startServe(['--model=eventloop', SLOW_APP]),
    ])
  })
  afterAll(async () => {
    await Promise.all([blocking?.stop(), eventloop?.stop()])
  })

  it('takes the sum of two slow requests on two connections, not the max', async () => {
    const { first, second } = await twoSlowRequests(blocking.port)
    expect(first.response?.body.toString()).toBe(`slept ${SLEEP_MS}\n`)
    expect(second.response?.body.toString()).toBe(`slept ${SLEEP_MS}\n`)
    console.info(`blocking: first answered at ${first.at.toFixed(0)} ms, second at ${second.at.toFixed(0)} ms (each sleeps ${SLEEP_MS} ms)`)
    expect(first.at).toBeGreaterThanOrEqual(SLEEP_MS)
    // The second began its sleep only after the first was answered: about 2 × 400 ms in all.
    expect(second.at).toBeGreaterThanOrEqual(2 * SLEEP_MS)
  })

  it('takes only the max on the eventloop model (the control: the timing can tell them apart)', async () => {
    const { first, second } = await twoSlowRequests(eventloop.port)
    expect(first.response?.status).toBe(200)
    expect(second.response?.status).toBe(200)
    console.info(`eventloop: first answered at ${first.at.toFixed(0)} ms, second at ${second.at.toFixed(0)} ms`)
    expect(second.at).toBeLessThan(2 * SLEEP_MS - 100)
  })

  it('answers waiting connections in the order they connected', async () => {
    const start = performance.now()
    const order: number[] = []
    const requests: Array<Promise<void>> = []
    // the first is slow, so the other four queue up behind it; each is shorter than the one before
    for (const [i, ms] of [200, 80, 60, 40, 20].entries()) {
      requests.push(slowRequest(blocking.port, ms, start).then((timed) => {
        expect(timed.response?.status).toBe(200)
        order.push(i)
      }))
      await sleep(15)
    }
    await Promise.all(requests)
    expect(order).toEqual([0, 1, 2, 3, 4])
  })
})
