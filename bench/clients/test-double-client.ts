// A load client that sends almost no load, for testing the driver's own logic (matrix, verification,
// failure handling, tables, reports) fast and deterministically, as Node's benchmark/ does with its
// test-double benchmarker. It makes one real request per connection (so a dead server is still an
// error), then reports made-up numbers: `requestsPerSec` requests per second for the whole
// duration, a fixed latency, and whatever faults HTTPMODELS_TEST_DOUBLE asks for (JSON, read in the
// load worker: {"requestsPerSec":1000,"latencyUs":100,"errors":0,"non2xx":0,"timeouts":0,"starved":0};
// `starved` connections get no response at all and are left with one request outstanding, the
// others share the requests evenly).
// Never a measurement: its results say driver 'test-double'.

import { performance } from 'node:perf_hooks'
import { exchange } from './http-exchange.js'
import type { LoadClient } from './load-client.js'
import { createLatencyHistogram, summarizeHistogram } from '../stats/latency-histogram.js'
import type { LoadResult, LoadSpec } from '../types.js'

export const TEST_DOUBLE_ENV = 'HTTPMODELS_TEST_DOUBLE'

interface Script {
  requestsPerSec: number
  latencyUs: number
  errors: number
  non2xx: number
  timeouts: number
  starved: number
}

function script(): Script {
  const given = JSON.parse(process.env[TEST_DOUBLE_ENV] || '{}') as Partial<Script>
  return { requestsPerSec: 1000, latencyUs: 100, errors: 0, non2xx: 0, timeouts: 0, starved: 0, ...given }
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  const plan = script()
  const started = performance.now()
  let errors = plan.errors
  let non2xx = plan.non2xx
  await Promise.all(Array.from({ length: Math.min(spec.connections, 4) }, async () => {
    try {
      const reply = await exchange(spec.origin, { method: spec.method, path: spec.path, headers: spec.headers, ...(spec.body !== undefined ? { body: spec.body } : {}) }, { timeoutMs: spec.timeoutMs })
      if (reply.status > 299) non2xx++
    } catch {
      errors++
    }
  }))
  const requests = Math.round(plan.requestsPerSec * spec.durationSec)
  const latency = createLatencyHistogram()
  if (requests > 0) latency.recordValueWithCount(plan.latencyUs, requests)
  const perSecond = Array.from({ length: Math.ceil(spec.durationSec) }, () => plan.requestsPerSec)
  // per connection: the first `starved` got nothing; the rest split the requests evenly
  const starved = Math.min(plan.starved, spec.connections)
  const served = spec.connections - starved
  const durationUs = Math.round(spec.durationSec * 1e6)
  const perConnection = Array.from({ length: spec.connections }, (_, i) => (i < starved ? 0 : Math.floor(requests / served) + (i - starved < requests % served ? 1 : 0)))
  const outstanding = Array.from({ length: starved }, (_, i) => ({ connection: i, ageUs: durationUs }))
  if (starved > 0) latency.recordValueWithCount(durationUs, starved)
  return {
    driver: 'test-double',
    mode: spec.mode,
    durationSec: spec.durationSec,
    requests,
    requestsPerSec: plan.requestsPerSec,
    non2xx,
    errors,
    timeouts: plan.timeouts,
    bytesRead: 0,
    latencyUs: { ...summarizeHistogram(latency, 'test double (made-up numbers)'), lowerBounds: starved },
    clientCpuSec: (performance.now() - started) / 1e6, // next to nothing, as this client does next to nothing
    perSecond,
    perConnection,
    longestGapUs: perConnection.map((n) => (n === 0 ? durationUs : Math.round(durationUs / (n + 1)))),
    longestWaitUs: starved > 0 ? durationUs : plan.latencyUs,
    outstanding,
  }
}

export const testDoubleClient: LoadClient = {
  name: 'test-double',
  modes: ['keepalive', 'close'],
  unavailable: () => null,
  run,
}
