// Pinning the load client and the server under test to separate CPUs, for `bench:check`.
//
// What was seen (2026-12-01, this 2-core VM, `ps -o psr` sampled once a second during a run):
// for minutes at a time the guest scheduler kept the server and the load client on the same CPU
// while the other one was mostly idle (this kernel boots with `sched_vcpu_pack`, which packs tasks
// onto fewer vCPUs). Those were the "disturbed" rounds of disturbed-rounds.ts: node-http's CPU per
// request went from ~25 µs to 40–45 µs and eventloop's from ~20 to 22–25 µs, so their ratio fell
// by a quarter. In the same minutes, with the client on CPU 0 and the server on CPU 1, node-http
// cost 26–33 µs and eventloop 19–25 µs (8 interleaved pairs of pinned and free runs). Pinning
// takes the scheduler's choice out of the measurement; what is left is the host's own load.
//
// It is opt-in (`bench:check -- --update --pin`, then recorded in the baseline), not the default:
// the first pinned `--update` here, an hour later, still saw node-http at 33–60 µs in some
// rounds, and in others a regime the disturbed-round rule does not catch (node-http only ~10%
// dearer, its ratio to eventloop off by 20%), so all four tolerances came out capped as too noisy.
// Whether pinning helps on balance is not settled by what was measured here.
//
// Only the gate can pin: its models are single-threaded. `npm run bench` does not, since prefork and
// threads need every core. Linux only, through util-linux's `taskset` (Node has no affinity API);
// where it is missing or there is one CPU the check runs unpinned and says so.

import { spawnSync } from 'node:child_process'
import { availableParallelism } from 'node:os'

export interface CpuPinning {
  /** The CPU of this process (the load client runs in it, and wrk inherits it). */
  client: number
  /** The CPU of every server under test. */
  server: number
}

export const TASKSET = 'taskset'

/** CPU 0 for the client, CPU 1 for the servers; or why that cannot be done here. */
export function planPinning(cpus = availableParallelism(), platform = process.platform, hasTaskset = tasksetWorks): CpuPinning | { unavailable: string } {
  if (platform !== 'linux') return { unavailable: `CPU pinning needs Linux (this is ${platform})` }
  if (cpus < 2) return { unavailable: `CPU pinning needs 2 CPUs (this process may use ${cpus})` }
  if (!hasTaskset()) return { unavailable: `CPU pinning needs \`${TASKSET}\` (util-linux), which is not on PATH` }
  return { client: 0, server: 1 }
}

function tasksetWorks(): boolean {
  const r = spawnSync(TASKSET, ['-p', String(process.pid)], { encoding: 'utf8' })
  return r.status === 0
}

/** Bind every thread of this process (and so the threads and children it starts later) to `cpu`. */
export function pinThisProcess(cpu: number): void {
  const r = spawnSync(TASKSET, ['-a', '-p', '-c', String(cpu), String(process.pid)], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`${TASKSET} could not pin this process to CPU ${cpu}: ${(r.stderr || r.error?.message || '').trim()}`)
}

/** The command line that runs `file args…` bound to `cpu` (taskset execs it: same pid). */
export function pinnedCommand(cpu: number, file: string, args: readonly string[]): { file: string; args: string[] } {
  return { file: TASKSET, args: ['-c', String(cpu), file, ...args] }
}
