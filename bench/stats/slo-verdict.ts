// Whether one open-loop point meets a latency target such as "p99 ≤ 10 ms" (mutilate's --search
// criterion; issue #10). The verdict is read from the point's own percentile; the confidence band
// (percentile-band.ts) says when it is too close to the bound to tell. A point whose client could
// not keep its schedule neither passes nor fails: its latency is the client's as much as the
// server's. Pure.

export interface Slo {
  /** e.g. 99 or 99.9 */
  percentile: number
  /** The bound, µs. */
  boundUs: number
  /** As given, e.g. "p99:10ms". */
  label: string
}

/** What a point measured, as far as the SLO is concerned. */
export interface SloInput {
  /** The SLO's percentile of latency from the intended send time, µs; null when nothing answered. */
  valueUs: number | null
  /** Its 95% band, where the histogram gave one. */
  band?: { lowUs: number; highUs: number }
  samples: number
  errors: number
  non2xx: number
  timeouts: number
  /** The client's own reason it could not keep its schedule, when it could not. */
  clientLagging?: string
}

export type SloOutcome = 'pass' | 'fail' | 'client-lagging'

export interface SloVerdict {
  outcome: SloOutcome
  /** One line: why. */
  why: string
  /** The band straddles the bound: another run of the same point could come out the other way. */
  marginal: boolean
  /** Fewer samples than MIN_SAMPLES_FOR_P99-style quoting wants (the caller decides the floor). */
  fewSamples: boolean
}

export function sloVerdict(point: SloInput, slo: Slo, minSamples: number): SloVerdict {
  const fewSamples = point.samples < minSamples
  if (point.clientLagging !== undefined) {
    return { outcome: 'client-lagging', why: `the client could not keep its schedule (${point.clientLagging}): neither pass nor fail`, marginal: false, fewSamples }
  }
  const lost = [
    point.errors > 0 ? `${point.errors} error${point.errors === 1 ? '' : 's'}` : '',
    point.timeouts > 0 ? `${point.timeouts} timeout${point.timeouts === 1 ? '' : 's'}` : '',
    point.non2xx > 0 ? `${point.non2xx} non-2xx` : '',
  ].filter((s) => s !== '')
  if (lost.length > 0) return { outcome: 'fail', why: `${lost.join(', ')}: requests not served are not within any latency bound`, marginal: false, fewSamples }
  if (point.valueUs === null || point.samples === 0) return { outcome: 'fail', why: 'no response measured', marginal: false, fewSamples }
  const pass = point.valueUs <= slo.boundUs
  const marginal = point.band !== undefined && point.band.lowUs <= slo.boundUs && point.band.highUs > slo.boundUs
  return {
    outcome: pass ? 'pass' : 'fail',
    why: `p${slo.percentile} ${pass ? '≤' : '>'} ${slo.boundUs} µs bound (${point.valueUs} µs${marginal ? ', within its confidence band of the bound' : ''})`,
    marginal,
    fewSamples,
  }
}
