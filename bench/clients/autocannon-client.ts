// Keep-alive load through autocannon's programmatic API, with latency at µs resolution.
// autocannon's own latency histogram has a 1 ms lowest discernible value (lib/histUtil.js), so
// sub-ms loopback responses all read 0. Its instance emits 'response' (client, statusCode, resBytes,
// responseTime) for every completed response, where responseTime is a float in ms taken with
// process.hrtime (lib/pipelinedRequestsQueue.js terminateRequest → lib/httpClient.js → lib/run.js
// onResponse), so this client records each one into its own µs HDR histogram and reports that.
// Counts (requests, errors, timeouts, non-2xx, bytes) come from autocannon's result.
//
// Never used for close-per-request: with reconnectRate it drops the response that triggers the
// reconnect, with `Connection: close` its latency leaks stale start times (research/bench-anchors.md §0).
import autocannon from 'autocannon'
import { performance } from 'node:perf_hooks'
import { loopbackTarget } from './close-client.js'
import { createLatencyHistogram, recordMs, summarizeHistogram } from '../stats/latency-histogram.js'
import type { LoadClient } from './load-client.js'
import type { LoadResult, LoadSpec } from '../types.js'

export const autocannonClient: LoadClient = {
  name: 'autocannon',
  modes: ['keepalive'],
  unavailable: () => null, // an npm dependency
  run: (spec) => runAutocannon(spec),
}

export async function runAutocannon(spec: LoadSpec): Promise<LoadResult> {
  if (spec.mode !== 'keepalive') {
    throw new Error("autocannon cannot measure close-per-request (research/bench-anchors.md §0): use mode 'keepalive', or the close-client / wrk driver")
  }
  const target = loopbackTarget(spec.origin)
  const latency = createLatencyHistogram()
  const perSecond: number[] = []
  const start = performance.now()

  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({
      url: `http://${target.hostHeader}${spec.path}`,
      method: spec.method as autocannon.Request['method'],
      headers: spec.headers,
      ...(spec.body === undefined ? {} : { body: spec.body }),
      // A request cycle (the write scenario): every connection walks the list in turn.
      ...(spec.requests === undefined ? {} : {
        requests: spec.requests.map((r) => ({
          method: r.method as autocannon.Request['method'],
          path: r.path,
          headers: { ...spec.headers, ...r.headers },
          ...(r.body === undefined ? {} : { body: r.body }),
        })),
      }),
      connections: spec.connections,
      pipelining: spec.pipelining,
      duration: spec.durationSec,
      // autocannon takes whole seconds, at least 1 (lib/validate.js), so timeouts round up.
      timeout: Math.max(1, Math.ceil(spec.timeoutMs / 1000)),
      // The run ends at the first sample tick after the deadline; 100 ms ticks keep the overshoot small.
      sampleInt: 100,
    }, (error, done) => (error ? reject(error) : resolve(done)))
    instance.on('response', (_client, _statusCode, _resBytes, responseTime) => {
      recordMs(latency, responseTime)
      const second = Math.floor((performance.now() - start) / 1000)
      perSecond[second] = (perSecond[second] ?? 0) + 1
    })
  })
  const durationSec = (performance.now() - start) / 1000
  const requests = result.requests.total

  return {
    driver: 'autocannon',
    mode: 'keepalive',
    durationSec,
    requests,
    requestsPerSec: requests / durationSec,
    non2xx: result.non2xx,
    // autocannon counts a timeout as an error too (lib/run.js onTimeout); ours are disjoint.
    errors: result.errors - result.timeouts,
    timeouts: result.timeouts,
    bytesRead: result.throughput.total,
    latencyUs: summarizeHistogram(latency, 'autocannon response events, µs'),
    clientCpuSec: 0, // measured by the process that runs the client (run-load)
    perSecond: Array.from(perSecond, (count) => count ?? 0),
  }
}
