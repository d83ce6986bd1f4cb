// Realtime scheduling for the open-loop client while it runs, so that the instrument is not made
// late by what it measures.
//
// What was seen (2026-12-06, this 2-core Firecracker VM, kernel 6.18 built PREEMPT_NONE, HZ=250,
// booted with sched_vcpu_pack): the open-loop client at 1,000 requests/s against the null server,
// at ~0.15 of a core, was late by 2–9 ms several times a second, in bursts of consecutive requests
// (its lateness p99 1.3–2.4 ms in 3 s runs, over the 1 ms it may be). Not garbage collection (two
// scavenges in the window), not connection set-up (the pool was full before the window), not the
// wake thread's spin (0 µs of spin: the same), not steal time (0 in /proc/stat). A plain thread
// sleeping alone had an oversleep p99 of ~70 µs; beside the client and the server, 0.5 ms and a
// p99.9 of 4 ms: the guest's scheduler kept the waking thread behind a running one. Niceness −10
// or −19 lowered the p99 (0.4–0.9 ms) but not the multi-ms stalls; SCHED_FIFO brought the p99 to
// 0.35–0.43 ms and the max mostly under 2 ms, and at 16,000/s a p99 of 56 µs (/tmp experiments,
// 5 rates, one run each). A realtime thread preempts an ordinary one the moment it wakes; that is
// what a load generator needs (wrk2's advice is a core of its own, which a 2-core machine lacks).
//
// Safe by the kernel's own guard: realtime threads get at most sched_rt_runtime_us of each
// sched_rt_period_us (95% by default), and the client gives its policy back when its run ends.
// It needs root or CAP_SYS_NICE and util-linux's `chrt` (Node has no sched_setscheduler); where
// either is missing the client runs at its ordinary priority and its result says why.

import { spawnSync } from 'node:child_process'

export const CHRT = 'chrt'
/** SCHED_FIFO priority: the lowest band above ordinary threads, below the kernel's own (50, 99). */
export const CLIENT_RT_PRIORITY = 10

export interface RealtimeGrant {
  readonly realtime: boolean
  /** What the client ran at: `SCHED_FIFO 10`, or `normal (why realtime was not granted)`. */
  readonly scheduling: string
  /** Give the ordinary policy back to every thread of the process. */
  restore(): void
}

type Chrt = (args: string[]) => { ok: boolean; why: string }

function runChrt(args: string[]): { ok: boolean; why: string } {
  const r = spawnSync(CHRT, args, { encoding: 'utf8' })
  if (r.error !== undefined) return { ok: false, why: `${CHRT}: ${r.error.message}` }
  return { ok: r.status === 0, why: (r.stderr || `${CHRT} exited ${r.status}`).trim().split('\n')[0]! }
}

/** The grant of a client left at its ordinary priority, and why. */
export function ordinaryScheduling(why: string): RealtimeGrant {
  return { realtime: false, scheduling: `normal (${why})`, restore: () => {} }
}

/** Put the main thread of process `pid` (and the threads it starts later: the client's wake thread)
 * under SCHED_FIFO. Not every thread (`chrt -a`): V8's helper threads under FIFO, with the client
 * pinned to one CPU, left the client hung (the load worker's 40 s watchdog killed it). */
export function raiseToRealtime(pid = process.pid, platform = process.platform, chrt: Chrt = runChrt): RealtimeGrant {
  if (platform !== 'linux') return ordinaryScheduling(`realtime scheduling is set with ${CHRT} on Linux; this is ${platform}`)
  const raised = chrt(['-f', '-p', String(CLIENT_RT_PRIORITY), String(pid)])
  if (!raised.ok) return ordinaryScheduling(raised.why)
  return {
    realtime: true,
    scheduling: `SCHED_FIFO ${CLIENT_RT_PRIORITY}`,
    restore: () => {
      const back = chrt(['-o', '-p', '0', String(pid)])
      if (!back.ok) throw new Error(`${CHRT} could not give process ${pid} its ordinary scheduling back: ${back.why}`)
    },
  }
}
