// The results file: everything a run measured, with enough context (machine, Node, commit, the
// whole configuration) to judge it later. Tables and charts are always rendered from this file,
// never from memory (DESIGN.md "Benchmark method"). results/README.md documents the schema.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { RESULTS_SCHEMA, type RunResults } from '../driver/run-results.js'

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
