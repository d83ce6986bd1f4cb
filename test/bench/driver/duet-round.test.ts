import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runDuetRound } from '../../../bench/driver/duet-round.js'
import { cpuUsPerRequest } from '../../../bench/driver/run-metrics.js'

const stub = resolve(import.meta.dirname, '../fixtures/stub-serve.mjs')

describe('a duet round (the stub server imports the compiled knob; npm test builds dist/ first)', () => {
  it('measures every server in alternating slices and slows only the model given the knob', async () => {
    const group = { scenario: 'hello', mode: 'keepalive' as const, connections: 4 }
    const runs = await runDuetRound(group, ['node-http', 'eventloop'], {
      durationSec: 1, sliceSec: 0.25, warmupSec: 0.2, driver: 'autocannon', serveEntry: stub,
      envFor: (model) => (model === 'eventloop' ? { ...process.env, HTTPMODELS_SLOWDOWN_US: '200' } : undefined),
    })
    const reference = runs.get('node-http')!
    const slowed = runs.get('eventloop')!
    expect(reference.ok).toBe(true)
    expect(slowed.ok).toBe(true)
    expect(reference.load!.requests).toBeGreaterThan(100)
    expect(reference.load!.durationSec).toBeGreaterThan(0.8)
    // 200 µs of burnt CPU per request dwarfs a stub's own cost of a few tens of µs
    expect(cpuUsPerRequest(slowed) - cpuUsPerRequest(reference)).toBeGreaterThan(120)
  }, 60_000)

  it('fails only the server that answers wrong or does not stop cleanly, each with its reason, and measures the others', async () => {
    const fakeServe = resolve(import.meta.dirname, '../fixtures/fake-serve.mjs')
    const fault: Record<string, string> = { eventloop: 'wrong-hello', coroutines: 'exit-on-stop' }
    const runs = await runDuetRound({ scenario: 'hello', mode: 'keepalive', connections: 2 }, ['node-http', 'eventloop', 'coroutines'], {
      durationSec: 0.5, sliceSec: 0.25, warmupSec: 0, driver: 'autocannon', serveEntry: fakeServe,
      envFor: (model) => (fault[model] !== undefined ? { ...process.env, FAKE_SERVE_FAULT: fault[model] } : undefined),
    })
    expect(runs.get('node-http')).toMatchObject({ ok: true })
    expect(runs.get('node-http')!.slices).toHaveLength(2)
    expect(runs.get('eventloop')).toMatchObject({ ok: false, failure: expect.stringMatching(/^verification failed: GET \/hello: body sha256 .* differs from/) })
    expect(runs.get('coroutines')).toMatchObject({ ok: false, failure: expect.stringMatching(/^server exited with code 3 when stopped/) })
  }, 30_000)

  it('reports a server that does not start as a failed run, not a number', async () => {
    const runs = await runDuetRound({ scenario: 'hello', mode: 'keepalive', connections: 2 }, ['node-http'], {
      durationSec: 0.5, sliceSec: 0.25, warmupSec: 0, driver: 'autocannon', serveEntry: resolve(import.meta.dirname, '../fixtures/no-such-serve.mjs'),
    })
    expect(runs.get('node-http')).toMatchObject({ ok: false, failure: expect.stringMatching(/server did not start/) })
  }, 30_000)
})
