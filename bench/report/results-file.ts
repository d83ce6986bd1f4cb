// The results file: everything a run measured, with enough context (machine, Node, commit, the
// whole configuration) to judge it later. Tables and charts are always rendered from this file,
// never from memory (DESIGN.md "Benchmark method"). results/README.md documents the schema.

import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, freemem, hostname, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'
import type { BenchConfig } from './options.js'
import { repoRoot } from './paths.js'
import type { CellResult } from './run-cell.js'

export const RESULTS_SCHEMA = 'httpmodels-bench/1'

export interface Machine {
  cpuModel: string
  cores: number
  memoryBytes: number
  freeMemoryBytes: number
  /** 1, 5 and 15 minute load averages when the run started: a busy neighbour shows here. */
  loadAverage: number[]
  platform: string
  arch: string
  hostname: string
}

export interface RunResults {
  schema: typeof RESULTS_SCHEMA
  startedAt: string
  finishedAt: string
  machine: Machine
  node: string
  git: { commit: string | null; dirty: boolean | null }
  /** The configuration as run (BenchConfig without output-only fields). */
  config: Omit<BenchConfig, 'out' | 'json' | 'notes'>
  notes: string[]
  /** Every cell in run order, every repeat: the raw samples. */
  cells: CellResult[]
}

export function machineInfo(): Machine {
  const list = cpus()
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryBytes: totalmem(),
    freeMemoryBytes: freemem(),
    loadAverage: loadavg().map((n) => Math.round(n * 100) / 100),
    platform: process.platform,
    arch: process.arch,
    hostname: hostname(),
  }
}

/** The checkout's commit and whether its tracked files differ from it; nulls outside a git checkout. */
export function gitInfo(cwd = repoRoot()): RunResults['git'] {
  const git = (...args: string[]): string | null => {
    try {
      return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    } catch {
      return null
    }
  }
  const commit = git('rev-parse', 'HEAD')
  const status = commit === null ? null : git('status', '--porcelain', '--untracked-files=no')
  return { commit, dirty: status === null ? null : status !== '' }
}

/** `2026-11-22T04-50-00Z-1a2b3c4` (colons are not allowed in file names everywhere). */
export function resultsFileName(results: Pick<RunResults, 'startedAt' | 'git'>): string {
  const stamp = results.startedAt.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')
  const commit = results.git.commit?.slice(0, 7) ?? 'nogit'
  return `${stamp}-${commit}${results.git.dirty === true ? '-dirty' : ''}.json`
}

export function writeResults(dir: string, results: RunResults): string {
  mkdirSync(dir, { recursive: true })
  const path = join(dir, resultsFileName(results))
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`)
  return path
}

/** Read and minimally check a results file; one clear line when it is not one. */
export function readResults(path: string): RunResults {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new Error(`cannot read results ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  const r = parsed as Partial<RunResults> | null
  if (r === null || typeof r !== 'object' || r.schema !== RESULTS_SCHEMA || !Array.isArray(r.cells) || typeof r.config !== 'object') {
    throw new Error(`${path} is not a ${RESULTS_SCHEMA} results file`)
  }
  return r as RunResults
}
