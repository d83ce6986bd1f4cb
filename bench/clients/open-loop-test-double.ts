// An open-loop "client" for testing the driver's open-loop phase, its search and its report fast
// and deterministically, as test-double-client.ts does for closed loop. It sends one real request
// (so a dead server is still an error), then computes the run instead of measuring it: arrivals at
// the target rate (seeded Poisson or uniform gaps) into one FIFO server with a fixed service time,
// each request's latency its wait plus its service — an M/D/1 (or D/D/1) queue, so latency climbs
// toward the server's capacity 1/S as a real one does. Never a measurement: its results say
// driver 'test-double'.

import { exchange } from './http-exchange.js'
import { createLatencyHistogram, summarizeHistogram } from '../stats/latency-histogram.js'
import type { OpenLoopResult, OpenLoopSpec } from '../types.js'

export interface OpenLoopDoubleScript {
  /** The simulated server's fixed service time, µs (capacity 1e6 / serviceUs req/s). */
  serviceUs: number
  /** Above this rate the client "cannot keep its schedule": achieved 80% of target, flagged. */
  lagAboveRate?: number
}

/** A deterministic PRNG (mulberry32) so a seed reproduces a run's gaps. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function openLoopTestDouble(script: OpenLoopDoubleScript): (spec: OpenLoopSpec) => Promise<OpenLoopResult> {
  return async (spec) => {
    let errors = 0
    let non2xx = 0
    try {
      const reply = await exchange(spec.origin, { method: spec.method, path: spec.path, headers: spec.headers }, { timeoutMs: spec.timeoutMs })
      if (reply.status > 299) non2xx++
    } catch {
      errors++
    }
    const lagging = script.lagAboveRate !== undefined && spec.rate > script.lagAboveRate
    const offered = lagging ? spec.rate * 0.8 : spec.rate
    const next = random(spec.seed ?? 1)
    const gapUs = 1e6 / offered
    const latency = createLatencyHistogram()
    const service = createLatencyHistogram()
    const lateness = createLatencyHistogram()
    const endUs = spec.durationSec * 1e6
    let arrival = 0
    let free = 0
    let count = 0
    let inSystemMax = 0
    const departures: number[] = []
    let head = 0 // departures before it have left
    for (;;) {
      arrival += spec.arrivals === 'poisson' ? -Math.log(1 - next()) * gapUs : gapUs
      if (arrival > endUs) break
      const start = Math.max(arrival, free)
      free = start + script.serviceUs
      latency.recordValue(Math.round(free - arrival))
      service.recordValue(script.serviceUs)
      lateness.recordValue(0)
      count++
      departures.push(free)
      while (head < departures.length && departures[head]! <= arrival) head++
      inSystemMax = Math.max(inSystemMax, departures.length - head)
    }
    const source = 'open-loop test double (simulated M/D/1 queue, made-up numbers)'
    return {
      driver: 'test-double',
      mode: spec.mode,
      arrivals: spec.arrivals,
      targetRate: spec.rate,
      achievedRate: count / spec.durationSec,
      durationSec: spec.durationSec,
      scheduled: Math.round(spec.rate * spec.durationSec),
      sent: count,
      requests: count,
      non2xx,
      errors,
      timeouts: 0,
      connectionsUsed: spec.mode === 'close' ? count : Math.min(inSystemMax, spec.maxConnections),
      latencyUs: summarizeHistogram(latency, source),
      serviceUs: summarizeHistogram(service, source),
      latenessUs: summarizeHistogram(lateness, source),
      ...(lagging ? { clientLagging: `achieved ${Math.round((100 * count) / spec.durationSec / spec.rate)}% of the target rate` } : {}),
      clientCpuSec: 0,
      perSecond: Array.from({ length: Math.ceil(spec.durationSec) }, () => Math.round(offered)),
    }
  }
}
