// Flags of `npm run bench:compare`. Defaults follow the recommended gate of bench-anchors.md §5:
// ≥ 10 short interleaved runs per side (Node's compare.js uses 30; 10 × 2 sides × (0.5 s start +
// 1 s warm-up + 2 s measured) ≈ 70 s per cell keeps a one-cell comparison near a minute here).

import { DEFAULT_THRESHOLDS, type CompareThresholds } from '../compare/verdict.js'
import { FlagError, listFlag, numberFlag, readFlags, stringFlag } from './flags.js'
import type { CellSpec } from '../driver/matrix.js'
import { MODEL_NAMES, isModelName } from '../../servers/models/names.js'
import { SCENARIO_NAMES, isScenarioName } from '../driver/scenarios.js'
import type { ConnectionMode } from '../types.js'



export interface CompareArgs {
  base: string
  cells: CellSpec[]
  runs: number
  durationSec: number
  warmupSec: number
  /** auto: wrk for keep-alive where installed (else autocannon), the close-client for close, as `bench` does. */
  driver: 'auto' | 'autocannon' | 'wrk'
  db: string
  thresholds: CompareThresholds
  json: boolean
  /** Folder for the raw JSON record; '' = do not write one. */
  out: string
}

const FLAGS = {
  base: 'value', model: 'value', scenario: 'value', mode: 'value', connections: 'value', runs: 'value',
  duration: 'value', warmup: 'value', driver: 'value', db: 'value', 'throughput-threshold': 'value',
  'p99-threshold': 'value', alpha: 'value', json: 'boolean', out: 'value', help: 'boolean',
} as const

export const COMPARE_USAGE = `usage: npm run bench:compare -- --base=<git-ref> [options]
  --base=<ref>               commit to compare against (built in a temporary git worktree)
  --model=a,b                models (default eventloop; any of ${MODEL_NAMES.join(', ')})
  --scenario=a,b             scenarios (default hello; any of ${SCENARIO_NAMES.join(', ')})
  --mode=keepalive|close|both  connection mode (default keepalive)
  --connections=16,64        concurrency levels (default 16)
  --runs=N                   runs per side, interleaved base/current (default 10, at least 2)
  --duration=S --warmup=S    seconds measured / warmed up per run (default 2 / 1)
  --driver=auto|autocannon|wrk  keep-alive load client (default auto: wrk where installed, as bench)
  --db=memory|mysql://…      store (default memory)
  --throughput-threshold=P   % fewer req/s that counts as a regression (default 10)
  --p99-threshold=P          % higher p99 that counts as a regression (default 20)
  --alpha=A                  significance level (default 0.01)
  --out=DIR                  where the raw JSON goes (default results/; --out=none to skip)
  --json                     print the JSON record instead of the table
Exit status: 0 no regression, 1 a cell is significantly and practically worse (or failed), 2 bad flags.`

/** Parse argv; 'help' for --help; throws FlagError (one line) on bad input. */
export function parseCompareArgs(argv: readonly string[], defaultOut: string): CompareArgs | 'help' {
  const flags = readFlags(argv, FLAGS)
  if (flags.has('help')) return 'help'
  const base = stringFlag(flags, 'base')
  if (base === undefined) throw new FlagError('--base=<git-ref> is required (e.g. --base=HEAD~1 or --base=main)')
  const models = listFlag(flags, 'model', ['eventloop'], isModelName, MODEL_NAMES)
  const scenarios = listFlag(flags, 'scenario', ['hello'], isScenarioName, SCENARIO_NAMES)
  const modeFlag = stringFlag(flags, 'mode') ?? 'keepalive'
  if (!['keepalive', 'close', 'both'].includes(modeFlag)) throw new FlagError(`--mode must be keepalive, close or both, got "${modeFlag}"`)
  const modes: ConnectionMode[] = modeFlag === 'both' ? ['keepalive', 'close'] : [modeFlag as ConnectionMode]
  const connections = listFlag(flags, 'connections', ['16'], (s) => /^[1-9]\d{0,4}$/.test(s), ['integers 1–99999']).map(Number)
  const driver = stringFlag(flags, 'driver') ?? 'auto'
  if (driver !== 'auto' && driver !== 'autocannon' && driver !== 'wrk') throw new FlagError(`--driver must be auto, autocannon or wrk, got "${driver}"`)
  const db = stringFlag(flags, 'db') ?? 'memory'
  if (db !== 'memory' && !db.startsWith('mysql://')) throw new FlagError(`--db must be memory or a mysql:// URL, got "${db}"`)
  const out = flags.get('out')
  const cells: CellSpec[] = []
  for (const scenario of scenarios) {
    for (const mode of modes) {
      for (const c of connections) for (const model of models) cells.push({ model, scenario, mode, connections: c })
    }
  }
  return {
    base,
    cells,
    runs: numberFlag(flags, 'runs', 10, { min: 2, max: 1000, integer: true }),
    durationSec: numberFlag(flags, 'duration', 2, { min: 0.2, max: 600 }),
    warmupSec: numberFlag(flags, 'warmup', 1, { min: 0, max: 600 }),
    driver,
    db,
    thresholds: {
      throughput: numberFlag(flags, 'throughput-threshold', DEFAULT_THRESHOLDS.throughput * 100, { min: 0, max: 100 }) / 100,
      p99: numberFlag(flags, 'p99-threshold', DEFAULT_THRESHOLDS.p99 * 100, { min: 0, max: 10_000 }) / 100,
      alpha: numberFlag(flags, 'alpha', DEFAULT_THRESHOLDS.alpha, { min: 1e-9, max: 0.5 }),
    },
    json: flags.has('json'),
    out: out === undefined ? defaultOut : out === 'none' ? '' : String(out),
  }
}
