// The measuring loop of `bench:check`: rounds in which, per group, node-http and each checked model
// are measured together (duet-round.ts: fresh servers, alternating slices), and every model's
// numbers are divided by node-http's from the same round (the duet idea of bench-anchors.md §5:
// noise the two share cancels in the ratio). The order within a group rotates every round so the
// reference is not always first.

import { type CheckGroup } from './plan.js'
import { cpuUsPerRequest, requestsPerSec, unusableReason, type MeasuredRun } from '../driver/run-metrics.js'
import { median } from '../stats/descriptive.js'
import { type CellSpec, REFERENCE_MODEL, cellKey } from '../driver/matrix.js'




/** Measure one group in one round; `order` is the reference and the models, rotated. Returns a
 * run per model (aggregated over its slices). */
export type RunGroupRound = (group: CheckGroup, round: number, order: readonly string[]) => Promise<Map<string, MeasuredRun>>

/** Everything measured for one checked cell, across rounds. */
export interface RatioSamples {
  cell: CellSpec
  /** model req/s ÷ node-http req/s, one per successful round. */
  throughput: number[]
  /** model server-CPU-per-request ÷ node-http's, one per successful round. */
  cpu: number[]
  /** Absolute numbers, kept for the record (never compared across machines). */
  modelReqPerSec: number[]
  modelCpuUs: number[]
  referenceReqPerSec: number[]
  referenceCpuUs: number[]
  /** One line per failed run that touched this cell (its own or its round's reference). */
  failures: string[]
  /** One line per round that was measured a second time because a run in it failed. */
  retries: string[]
}

export type SampleSet = Map<string, RatioSamples>

const NOT_MEASURED: MeasuredRun = { ok: false, failure: 'not measured' }

export function emptySamples(cell: CellSpec): RatioSamples {
  return { cell, throughput: [], cpu: [], modelReqPerSec: [], modelCpuUs: [], referenceReqPerSec: [], referenceCpuUs: [], failures: [], retries: [] }
}

/** A round's ratios taken slice by slice (each model slice against the reference slice next to it
 * in time) and reduced by their median, so a burst of load from a neighbour that hits one slice
 * moves the round's ratio less than it would move a ratio of totals. Undefined when the runs carry
 * no comparable slices (then the ratio of totals is used). */
export function sliceRatios(run: MeasuredRun, reference: MeasuredRun): { throughput: number; cpu: number } | undefined {
  const a = run.slices
  const b = reference.slices
  if (a === undefined || b === undefined || a.length === 0 || a.length !== b.length) return undefined
  if ([...a, ...b].some((s) => s.requests <= 0 || s.seconds <= 0)) return undefined
  return {
    throughput: median(a.map((s, i) => s.requests / s.seconds / (b[i]!.requests / b[i]!.seconds))),
    cpu: median(a.map((s, i) => s.cpuSec / s.requests / (b[i]!.cpuSec / b[i]!.requests))),
  }
}

/** Why a group round cannot be used (the first failed run), or undefined. */
function roundFailure(runs: Map<string, MeasuredRun>, everyone: readonly string[]): string | undefined {
  for (const model of everyone) {
    const bad = unusableReason(runs.get(model) ?? NOT_MEASURED)
    if (bad !== undefined) return `${model}: ${bad}`
  }
  return undefined
}

/** Run `rounds` rounds (numbered from `firstRound`) and add their ratios to `into`.
 * A round in which any run failed is measured once more with fresh servers before its failure
 * counts: on a shared machine a neighbour can briefly exhaust the loopback ports or the memory
 * (seen here: every server of a round refusing thousands of connections for a few seconds while
 * another process ran a close-per-request benchmark). A bug that makes a server fail fails the
 * retry too; the retry is reported either way. */
export async function runCheckRounds(
  groups: readonly CheckGroup[],
  rounds: number,
  runGroupRound: RunGroupRound,
  into: SampleSet = new Map(),
  firstRound = 1,
): Promise<SampleSet> {
  for (let r = 0; r < rounds; r++) {
    const round = firstRound + r
    for (const group of groups) {
      const everyone = [REFERENCE_MODEL, ...group.models]
      const shift = (round - 1) % everyone.length
      const order = [...everyone.slice(shift), ...everyone.slice(0, shift)]
      let runs = await runGroupRound(group, round, order)
      const firstFailure = roundFailure(runs, everyone)
      if (firstFailure !== undefined) runs = await runGroupRound(group, round, order)
      const reference = runs.get(REFERENCE_MODEL) ?? NOT_MEASURED
      const referenceBad = unusableReason(reference)
      for (const model of group.models) {
        const spec: CellSpec = { model, scenario: group.scenario, mode: group.mode, connections: group.connections }
        const key = cellKey(spec)
        let samples = into.get(key)
        if (samples === undefined) {
          samples = emptySamples(spec)
          into.set(key, samples)
        }
        if (firstFailure !== undefined) samples.retries.push(`round ${round} measured again after ${firstFailure}`)
        const run = runs.get(model) ?? NOT_MEASURED
        const bad = unusableReason(run)
        if (bad !== undefined) samples.failures.push(`round ${round}: ${model} failed: ${bad}`)
        if (referenceBad !== undefined) samples.failures.push(`round ${round}: ${REFERENCE_MODEL} failed: ${referenceBad}`)
        if (bad !== undefined || referenceBad !== undefined) continue
        const rps = requestsPerSec(run)
        const cpu = cpuUsPerRequest(run)
        const refRps = requestsPerSec(reference)
        const refCpu = cpuUsPerRequest(reference)
        const paired = sliceRatios(run, reference)
        samples.throughput.push(paired?.throughput ?? rps / refRps)
        samples.cpu.push(paired?.cpu ?? cpu / refCpu)
        samples.modelReqPerSec.push(rps)
        samples.modelCpuUs.push(cpu)
        samples.referenceReqPerSec.push(refRps)
        samples.referenceCpuUs.push(refCpu)
      }
    }
  }
  return into
}
