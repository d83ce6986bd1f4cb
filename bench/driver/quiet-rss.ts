// The server's memory as the crowd alone makes it: the probe paused, its connections ended, and the
// server's process tree left to settle before the reading. A reading taken with the probe running
// counts the probe too, and for fork that is not noise: each probe connection is a Node process of
// ~54 MiB while it lives, and at 20 probes/s the held window's peak RSS carried several of them,
// which put fork's "RSS per connection" at 143 MiB for children of 54 MiB (2026-12-06).
import { listProcessTree, treeRssBytes } from '../host/process-tree.js'
import type { CrowdWorker } from '../clients/run-crowd.js'

/** The tree counts as settled when its membership has not changed over this long… */
const STABLE_MS = 300
/** …read this often; a tree that never settles is read after SETTLE_CAP_MS anyway. */
const POLL_MS = 100
const SETTLE_CAP_MS = 10_000

export interface QuietRss {
  bytes: number
  /** Processes in the server's tree at the reading. */
  processes: number
  /** From pausing the probe to the reading. */
  waitedMs: number
  /** The tree was still changing when the cap ran out. */
  unsettled: boolean
}

/** Pause the probe, wait for the server's tree to settle, read its RSS, resume the probe. */
export async function quietRss(pid: number, probe: CrowdWorker, probeTimeoutMs: number): Promise<QuietRss> {
  const start = performance.now()
  await probe.pauseProbe(probeTimeoutMs)
  try {
    let members = memberKey(pid)
    let stableSince = performance.now()
    while (performance.now() - stableSince < STABLE_MS && performance.now() - start < SETTLE_CAP_MS) {
      await sleep(POLL_MS)
      const now = memberKey(pid)
      if (now !== members) {
        members = now
        stableSince = performance.now()
      }
    }
    const tree = listProcessTree(pid)
    return { bytes: treeRssBytes(tree), processes: tree.length, waitedMs: Math.round(performance.now() - start), unsettled: performance.now() - stableSince < STABLE_MS }
  } finally {
    await probe.resumeProbe()
  }
}

/** The tree's living members, as one comparable string (zombies are on their way out). */
function memberKey(pid: number): string {
  return listProcessTree(pid).filter((p) => p.state !== 'Z').map((p) => p.pid).sort((a, b) => a - b).join(',')
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
