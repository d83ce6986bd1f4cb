// The two numbers that tell noise from a finding on this shared machine, measured for the CI gate
// and used by every bench run alike (gate/disturbed-rounds.ts and gate/tolerance.ts tell their
// history: 2026-12-01, this 2-core VM, four `--update` A/A sessions and 26 clean A/A checks).

/** A round whose reference CPU per request is over (1 + this) × the quiet level (the lowest of the
 * run) was disturbed: quiet rounds spread over ~15%, disturbed ones cost 1.5–1.9× (twice the one,
 * half the other). */
export const DISTURBED_ABOVE = 0.3

/** How far per-round ratios of an unchanged model strayed from their median in repeated A/A
 * checks (req/s 12%, CPU per request 9%): a cell whose rounds disagree by more is noise, not a number. */
export const A_A_FLOOR = { throughput: 0.12, cpu: 0.09 } as const
