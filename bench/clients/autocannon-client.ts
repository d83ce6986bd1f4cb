// Keep-alive load through autocannon's programmatic API, with latency at µs resolution.
// autocannon's own latency histogram has a 1 ms lowest discernible value (lib/histUtil.js), so
// sub-ms loopback responses all read 0. Its instance emits 'response' (client, statusCode, resBytes,
// responseTime) for every completed response, where responseTime is a float in ms taken with
// process.hrtime (lib/pipelinedRequestsQueue.js terminateRequest → lib/httpClient.js → lib/run.js
// onResponse), so this client records each one into its own µs HDR histogram and reports that.
// Counts (requests, errors, timeouts, non-2xx, bytes) come from autocannon's result.
//
// Per connection (issue 14): every autocannon Client is one connection slot (it reconnects itself
// after a timeout), numbered as setupClient sees it built; its 'response' events feed a
// ConnectionLedger. Requests still unanswered at the end are read from each Client's queue at the
// last 'tick', which autocannon emits just before it destroys the clients (lib/run.js
// tickInterval), and go into the histogram at their age as lower bounds, as do timed-out ones.
//
// Never used for close-per-request: with reconnectRate it drops the response that triggers the
// reconnect, with `Connection: close` its latency leaks stale start times (research/bench-anchors.md §0).
import autocannon from 'autocannon'
import { performance } from 'node:perf_hooks'
import { loadTarget } from './load-target.js'
import { ConnectionLedger } from '../stats/connection-ledger.js'
import { createLatencyHistogram, recordMs, summarizeHistogram } from '../stats/latency-histogram.js'
import type { LoadClient } from './load-client.js'
import type { LoadResult, LoadSpec, OutstandingRequest } from '../types.js'

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
  const target = loadTarget(spec.origin)
  const latency = createLatencyHistogram()
  const perSecond: number[] = []
  const start = performance.now()
  const ledger = new ConnectionLedger(spec.connections, start)
  const slots = new Map<autocannon.Client, number>()
  // autocannon takes whole seconds, at least 1 (lib/validate.js), so timeouts round up.
  const timeoutSec = Math.max(1, Math.ceil(spec.timeoutMs / 1000))
  let timedOut = 0
  let last: { at: number; outstanding: OutstandingRequest[] } = { at: start, outstanding: [] }

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
      timeout: timeoutSec,
      // The run ends at the first sample tick after the deadline; 100 ms ticks keep the overshoot small.
      sampleInt: 100,
      setupClient: (client) => {
        slots.set(client, slots.size)
        const events: NodeJS.EventEmitter = client // 'timeout' is not in @types/autocannon
        // a timed-out request is dropped and sent again on a new connection: its wait counts too
        events.on('timeout', () => {
          timedOut++
          recordMs(latency, timeoutSec * 1000)
        })
      },
    }, (error, done) => (error ? reject(error) : resolve(done)))
    instance.on('response', (client, _statusCode, _resBytes, responseTime) => {
      recordMs(latency, responseTime)
      const now = performance.now()
      ledger.response(slots.get(client)!, now)
      const second = Math.floor((now - start) / 1000)
      perSecond[second] = (perSecond[second] ?? 0) + 1
    })
    instance.on('tick', () => {
      last = { at: performance.now(), outstanding: [...slots].flatMap(([client, i]) => pendingAges(client).map((ageUs) => ({ connection: i, ageUs }))) }
    })
  })
  const durationSec = (performance.now() - start) / 1000
  const requests = result.requests.total
  for (const { ageUs } of last.outstanding) recordMs(latency, ageUs / 1000)
  const summary = summarizeHistogram(latency, 'autocannon response events, µs')

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
    latencyUs: { ...summary, lowerBounds: last.outstanding.length + timedOut },
    clientCpuSec: 0, // measured by the process that runs the client (run-load)
    perSecond: Array.from(perSecond, (count) => count ?? 0),
    ...ledger.close(last.at),
    longestWaitUs: summary.max,
    outstanding: last.outstanding,
  }
}

/**
 * Ages in µs of the requests a Client has sent and not had answered: its PipelinedRequestsQueue
 * (lib/pipelinedRequestsQueue.js, each entry's startTime a process.hrtime() taken as it was sent).
 * Not public API, so checked: autocannon is pinned in package.json, and a change here fails loudly.
 */
function pendingAges(client: autocannon.Client): number[] {
  const queue = (client as unknown as { pipelinedRequests?: { toArray?: () => Array<{ startTime?: [number, number] }> } }).pipelinedRequests
  if (typeof queue?.toArray !== 'function') throw new Error('autocannon Client has no pipelinedRequests queue: its internals changed (see autocannon-client.ts)')
  return queue.toArray().map(({ startTime }) => {
    const [sec, ns] = process.hrtime(startTime)
    return Math.round(sec * 1e6 + ns / 1e3)
  })
}
