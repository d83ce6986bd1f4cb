// What one crowd cell recorded (RunResults.crowds, results/README.md): a model holding N
// connections of one kind — how long taking them in took, what became of each, what the probe
// waited in every phase, the server's memory and CPU while it held them.

import type { ServerExitInfo } from './cell-server.js'
import type { CrowdScenarioName } from './crowd-scenarios.js'
import type { CrowdBurst, CrowdCounts, CrowdReport } from '../clients/crowd-spec.js'
import type { ProbePhaseReport } from '../clients/probe-client.js'
import type { OpenFileLimit } from '../host/open-files.js'
import type { QuietRss } from './quiet-rss.js'
import type { ServerSweeps } from './server-sweeps.js'
import type { Settle } from './settle-backlog.js'
import type { LoadResult } from '../types.js'

export interface CrowdCell {
  model: string
  scenario: CrowdScenarioName
  /** N: connections in the crowd. */
  connections: number
  repeat: number
}

export interface HeldServer {
  /** What the crowd held when the held window began. */
  counts: CrowdCounts
  /** The server's whole process tree before the crowd (end of the baseline) and with the crowd held
   * (end of the held window), each read with the probe paused and the tree settled (quiet-rss.ts). */
  rssBeforeBytes: number
  rssHeldBytes: number
  /** The highest RSS sampled during the held window, the probe running (fork: its processes included). */
  rssPeakBytes?: number
  /** The two quiet readings in full, and the connections open at the second. */
  quiet?: { before: QuietRss; held: QuietRss; open: number }
  /** (held − before) / connections open at the held reading; null when the server held none. */
  rssPerConnectionBytes: number | null
  /** Kernel TCP buffer memory per open connection over the same span (machine-wide counter, both ends of loopback). */
  kernelTcpBytesPerConnection: number | null
  /** Server CPU over the held window (the probe running) and that window's length. */
  cpuSec: number
  windowSec: number
}

export interface CrowdCellResult {
  cell: CrowdCell
  /** False when the cell could not be measured (server did not verify, a worker failed, unclean stop) or was not run. */
  ok: boolean
  /** Not run, and why: fork above --max-procs, an N the server's open-file limit cannot hold. */
  skipped?: string
  failure?: string
  startedAt: string
  wallSec: number
  /** Flags the server ran with beyond the usual ones, so the crowd could be held (crowd-scenarios.ts). */
  serveFlags: string[]
  openFiles?: { server: OpenFileLimit | null; client: OpenFileLimit | null }
  /** Taking the crowd in. listenOverflows: kernel drops of a connection attempt at a full accept queue meanwhile (machine-wide). */
  burst?: CrowdBurst & { listenOverflows: number | null }
  /** Between the burst and the held window: how long the server took to empty its accept queue. */
  settle?: Settle
  /** nonblocking's sweep over N idle sockets, timed in the crowd client (sweep-replica.ts), µs. */
  sweepUs?: number | null
  /** nonblocking's sweeps over the held crowd as the server itself timed them (server-sweeps.ts). */
  serverSweeps?: ServerSweeps | null
  probe?: { ratePerSec: number; timeoutMs: number; phases: ProbePhaseReport[] }
  held?: HeldServer
  /** idle: the small active keep-alive load while the crowd was held, or why it has none. */
  active?: LoadResult | { failure: string }
  /** What became of every crowd connection by the end of the cell. */
  end?: CrowdReport
  exit?: ServerExitInfo
  notes: string[]
}
