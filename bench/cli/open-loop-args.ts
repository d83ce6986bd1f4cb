// The bench flags of the open-loop phase (issue #10): --rate=LIST|auto, --arrivals, --slo,
// --max-connections, and the default run's short latency curve. bench-args.ts calls
// openLoopConfigFrom; like it, these throw an Error whose message is the one line to print.

import { AUTO_LADDER, LATENCY_CURVE, OPEN_LOOP_DEFAULTS, type OpenLoopConfig } from '../driver/open-loop-config.js'
import { scenario, type ScenarioName } from '../driver/scenarios.js'
import type { Slo } from '../stats/slo-verdict.js'
import type { Arrivals, ConnectionMode } from '../types.js'

/** Past any rate one machine's loopback can carry (the null server tops out near 100k/s here). */
const MAX_RATE = 10_000_000
/** run-load.ts's limit: each connection holds one fd and the usual soft RLIMIT_NOFILE is 1024. */
const MAX_POOL = 1000

/** `p99:10ms`, `p99.9:500us`, `p50:1s`: a percentile and a bound in µs, ms or s. */
export function parseSlo(value: string): Slo {
  const m = /^p([0-9]+(?:\.[0-9]+)?):([0-9]+(?:\.[0-9]+)?)(us|µs|ms|s)$/.exec(value.trim())
  const percentile = m === null ? NaN : Number(m[1])
  if (m === null || !(percentile > 0 && percentile < 100) || !(Number(m[2]) > 0)) {
    throw new Error(`--slo must be pPERCENTILE:BOUND with a unit, e.g. p99:10ms or p99.9:500us (percentile between 0 and 100, bound above 0), not ${JSON.stringify(value)}`)
  }
  const unit = { us: 1, µs: 1, ms: 1000, s: 1_000_000 }[m[3] as 'us' | 'µs' | 'ms' | 's']
  return { percentile, boundUs: Math.round(Number(m[2]) * unit), label: value.trim() }
}

/** `auto`, or a comma list of rates in requests/s (fractions allowed: fork closes ~5 connections/s). */
export function parseRates(value: string): number[] | 'auto' {
  if (value.trim() === 'auto') return 'auto'
  const rates = value.split(',').map((s) => {
    const t = s.trim()
    const n = /^[0-9]+(\.[0-9]+)?$/.test(t) ? Number(t) : NaN
    if (!(n > 0 && n <= MAX_RATE)) throw new Error(`--rate must be auto or a list of requests per second above 0 up to ${MAX_RATE.toLocaleString('en-US')}, not ${JSON.stringify(t)}`)
    return n
  })
  return [...new Set(rates)].sort((a, b) => a - b)
}

export interface OpenLoopFlags {
  rate?: string
  arrivals?: string
  slo?: string
  maxConnections?: string
}

export interface OpenLoopContext {
  smoke: boolean
  /** --scenario was given (the default curve runs only in a run of the default scenarios). */
  scenarioGiven: boolean
  scenarios: readonly ScenarioName[]
  modes: readonly ConnectionMode[]
  durationSec: number
  warmupSec: number
  notes: string[]
}

/** The open-loop phase's config, or undefined when the run has none. */
export function openLoopConfigFrom(flags: OpenLoopFlags, ctx: OpenLoopContext): OpenLoopConfig | undefined {
  const arrivals = flags.arrivals ?? OPEN_LOOP_DEFAULTS.arrivals
  if (arrivals !== 'poisson' && arrivals !== 'uniform') throw new Error(`--arrivals must be poisson or uniform, not ${JSON.stringify(arrivals)}`)
  const slo = parseSlo(flags.slo ?? OPEN_LOOP_DEFAULTS.slo)
  const maxConnections = pool(flags.maxConnections)
  const curve = flags.rate === undefined && !ctx.scenarioGiven && ctx.modes.includes('keepalive')
  if (flags.rate === undefined && !curve) {
    const stray = (['arrivals', 'slo', 'maxConnections'] as const).find((k) => flags[k] !== undefined)
    if (stray !== undefined) throw new Error(`--${stray === 'maxConnections' ? 'max-connections' : stray} applies to open-loop cells: add --rate=LIST or --rate=auto`)
    return undefined
  }
  const common = {
    arrivals: arrivals as Arrivals, slo, maxConnections,
    resolution: OPEN_LOOP_DEFAULTS.resolution, minSamples: OPEN_LOOP_DEFAULTS.minSamples, stopAfterFailures: OPEN_LOOP_DEFAULTS.stopAfterFailures,
  }
  if (curve) {
    return {
      ...common, kind: 'curve', fractions: ctx.smoke ? [LATENCY_CURVE.fractions[0]] : [...LATENCY_CURVE.fractions],
      scenarios: [...LATENCY_CURVE.scenarios], modes: [...LATENCY_CURVE.modes],
      durationSec: ctx.smoke ? 1 : LATENCY_CURVE.durationSec, warmupSec: ctx.smoke ? 0.2 : LATENCY_CURVE.warmupSec, searchSteps: 0,
    }
  }
  // writes change state: their audit belongs to closed-loop cells, where every request is accounted for
  const scenarios = ctx.scenarios.filter((name) => !scenario(name).auditsWrites)
  if (scenarios.length < ctx.scenarios.length) ctx.notes.push('write runs closed-loop only: its write audit is not done under open-loop load')
  if (scenarios.length === 0) throw new Error('--rate needs a scenario besides write (hello, static, static-large, template, db)')
  const rates = parseRates(flags.rate!)
  const smoke = ctx.smoke
  return {
    ...common,
    kind: rates === 'auto' ? 'auto' : 'list',
    ...(rates === 'auto' ? { fractions: smoke ? [AUTO_LADDER[0]] : [...AUTO_LADDER] } : { rates: smoke ? rates.slice(0, 1) : rates }),
    scenarios, modes: [...ctx.modes],
    durationSec: ctx.durationSec, warmupSec: ctx.warmupSec,
    searchSteps: smoke ? 0 : OPEN_LOOP_DEFAULTS.searchSteps,
  }
}

function pool(value: string | undefined): number {
  if (value === undefined) return OPEN_LOOP_DEFAULTS.maxConnections
  if (!/^[0-9]+$/.test(value) || Number(value) < 1 || Number(value) > MAX_POOL) {
    throw new Error(`--max-connections must be a whole number from 1 to ${MAX_POOL}, not ${JSON.stringify(value)}`)
  }
  return Number(value)
}
