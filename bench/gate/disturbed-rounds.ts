// Rounds measured while the shared machine was disturbed, told apart by the reference's own cost,
// and left out of what `bench:check` judges and what `--update` calibrates on.
//
// What was seen (2026-12-01, this 2-core VM, two `--update` runs of four A/A sessions): for a
// minute or two at a time every server got slower, but not alike: node-http's CPU per request
// rose 60–90% (hello 23 → 40 µs, static 30 → 56 µs) while eventloop's rose 25–30%. Their ratio,
// which the gate compares, fell by a quarter in those rounds (0.87 → 0.64), in the "faster"
// direction. Such rounds cannot fail unchanged code, but they hide a real regression (a 25%
// slowdown measured in them still looks faster than the baseline), and at `--update` one such
// session stretched the A/A spread past the ceiling, so CPU per request was capped as too noisy
// to gate on. Ratios cancel what slows both servers alike; they cannot cancel what slows one
// more than the other.
//
// The tell: in quiet rounds the reference's CPU per request stayed within ~15% of its lowest
// value in the same run (22.8–26.2 µs on hello); in disturbed rounds it was 1.5–1.9× that. A round
// whose reference cost more than DISTURBED_ABOVE over the run's quiet level is left out. The quiet
// level is the cell's lowest reference CPU per request in the run, or the baseline's when that is
// lower and the baseline was recorded on this kind of machine (same CPU model, cores and Node):
// during the gate's calibration whole checks were disturbed from first round to last (node-http
// at 33–47 µs on hello, never near its quiet 24 µs), which the run's own rounds cannot show. On
// another kind of machine absolute numbers mean nothing (DESIGN.md), so only the run's own rounds
// count there. A cell left with too few quiet rounds is measured again while the budget allows;
// failing that it is judged on the quiet rounds it has, even one. A suspect whose confirmation
// rounds were all disturbed cannot be cleared, so the check fails it as unconfirmed, as it does a
// suspect the budget leaves no time to confirm (gate/confirm-suspects.ts). A first pass with no quiet round
// at all is judged on every round, as before, and the check says so: it can then pass a slowdown.

import type { RatioSamples } from './rounds.js'

// DISTURBED_ABOVE (0.3) is shared with every bench run: stats/noise-rules.ts.
import { DISTURBED_ABOVE } from '../stats/noise-rules.js'
export { DISTURBED_ABOVE }

/** Fewer undisturbed rounds than this and a cell is measured again while the budget allows (a
 * median of one round is a thin estimate). */
export const MIN_QUIET_ROUNDS = 2

/** The lowest reference CPU per request among these samples' rounds (Infinity when none). */
export function quietLevel(samples: readonly RatioSamples[]): number {
  let level = Infinity
  for (const s of samples) for (const us of s.referenceCpuUs) if (us > 0 && us < level) level = us
  return level
}

/** Indices of the rounds of `samples` that were not disturbed at `level`. */
function quietIndices(samples: RatioSamples, level: number): number[] {
  const limit = level * (1 + DISTURBED_ABOVE)
  const kept: number[] = []
  samples.referenceCpuUs.forEach((us, i) => {
    if (us <= limit) kept.push(i)
  })
  return kept
}

/** How many of the rounds were undisturbed at `level`. */
export function countQuiet(samples: RatioSamples, level: number): number {
  return quietIndices(samples, level).length
}

/** The samples without their disturbed rounds, how many were kept, and one line saying what was
 * left out. Even a single quiet round is judged on alone: the disturbed ones read a slowdown as a
 * speed-up, so they cannot be mixed back in to make up the numbers (seen on 2026-12-01: a slowed
 * check with one quiet round of eight read +13.5% CPU/request there and −5% on all eight). With
 * no quiet round at all the samples come back unchanged, and the line says they were judged on
 * every round. */
export function withoutDisturbed(samples: RatioSamples, level: number): { samples: RatioSamples; quiet: number; note?: string } {
  const kept = quietIndices(samples, level)
  const total = samples.referenceCpuUs.length
  if (kept.length === total) return { samples, quiet: total }
  const limit = level * (1 + DISTURBED_ABOVE)
  const costs = samples.referenceCpuUs.map((us) => us.toFixed(1)).join(', ')
  const why = `(node-http µs CPU/request ${costs}; quiet ≤ ${limit.toFixed(1)})`
  if (kept.length === 0) {
    return { samples, quiet: 0, note: `no round of ${total} undisturbed ${why}: judged on all of them` }
  }
  const pick = <T>(xs: readonly T[]): T[] => kept.map((i) => xs[i]!)
  return {
    samples: {
      ...samples,
      throughput: pick(samples.throughput),
      cpu: pick(samples.cpu),
      modelReqPerSec: pick(samples.modelReqPerSec),
      modelCpuUs: pick(samples.modelCpuUs),
      referenceReqPerSec: pick(samples.referenceReqPerSec),
      referenceCpuUs: pick(samples.referenceCpuUs),
    },
    quiet: kept.length,
    note: kept.length < MIN_QUIET_ROUNDS
      ? `only ${kept.length} of ${total} rounds undisturbed ${why}: judged on that one alone`
      : `left out ${total - kept.length} of ${total} rounds as disturbed ${why}`,
  }
}

/** `--update`'s A/A sessions of one cell with their disturbed rounds left out, at the quiet level
 * of all of them; a session left with fewer than MIN_QUIET_ROUNDS rounds is dropped. Unchanged
 * (with a line saying why) when fewer than two sessions would remain. */
export function quietSessions(sessions: readonly RatioSamples[]): { sessions: RatioSamples[]; note?: string } {
  const level = quietLevel(sessions)
  const limit = level * (1 + DISTURBED_ABOVE)
  const kept: RatioSamples[] = []
  let dropped = 0
  let droppedSessions = 0
  for (const s of sessions) {
    const quiet = countQuiet(s, level)
    if (quiet < MIN_QUIET_ROUNDS) {
      droppedSessions++
      continue
    }
    dropped += s.referenceCpuUs.length - quiet
    kept.push(withoutDisturbed(s, level).samples)
  }
  if (dropped === 0 && droppedSessions === 0) return { sessions: [...sessions] }
  if (kept.length < 2) {
    return { sessions: [...sessions], note: `fewer than 2 sessions had ${MIN_QUIET_ROUNDS} undisturbed rounds (node-http quiet ≤ ${limit.toFixed(1)} µs CPU/request): calibrated on every round` }
  }
  return {
    sessions: kept,
    note: `left out ${dropped} disturbed round(s)${droppedSessions > 0 ? ` and ${droppedSessions} session(s) with fewer than ${MIN_QUIET_ROUNDS} undisturbed rounds` : ''} (node-http quiet ≤ ${limit.toFixed(1)} µs CPU/request)`,
  }
}
