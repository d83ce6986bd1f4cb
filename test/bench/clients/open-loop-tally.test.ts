import { describe, expect, it } from 'vitest'
import { EVENT_LOOP_BUSY_LIMIT, OpenLoopTally } from '../../../bench/clients/open-loop-tally.js'

const options = { mode: 'keepalive' as const, arrivals: 'poisson' as const, targetRate: 1000, timeoutMs: 2000, clientCpuSec: 0.5 }

/** A tally of a 1 s window in which every one of `n` requests went out on time and was answered in 100 µs. */
function keptSchedule(n: number): OpenLoopTally {
  const tally = new OpenLoopTally(0, 1)
  for (let i = 0; i < n; i++) {
    const intended = (i * 1000) / n
    tally.dispatched(intended, intended + 0.01)
    tally.response(intended, intended + 0.01, intended + 0.1, 200)
  }
  return tally
}

describe('the open-loop tally\'s client-lagging verdict', () => {
  it('keeps a client that sent on time with an event loop mostly idle', () => {
    const tally = keptSchedule(1000)
    tally.eventLoopBusy = 0.4
    const result = tally.result(options)
    expect(result.clientLagging).toBeUndefined()
    expect(result.clientEventLoopBusy).toBe(0.4)
  })

  it(`flags a client whose event loop was busy over ${EVENT_LOOP_BUSY_LIMIT * 100}% of the schedule, though it sent on time: answers waited to be read`, () => {
    const tally = keptSchedule(1000)
    tally.eventLoopBusy = 0.95
    expect(tally.result(options).clientLagging).toBe('client-lagging: its event loop was busy 95% of the schedule (> 90%): answers waited for the client')
  })

  it('flags a client whose own lateness p99 passed 1 ms', () => {
    const tally = new OpenLoopTally(0, 1)
    for (let i = 0; i < 1000; i++) tally.dispatched(i, i + (i % 50 === 0 ? 3 : 0.01))
    expect(tally.result(options).clientLagging).toMatch(/^client-lagging: its own lateness p99 \d+ µs > 1000 µs$/)
  })
})
