// Flags of `npm run bench:check`. A check runs with the configuration stored in the baseline (its
// tolerances were calibrated for exactly those rounds and durations), so the measuring flags are
// accepted only with --update.

import { CHECK_CELLS, CHECK_DEFAULTS } from '../gate/plan.js'
import { FlagError, listFlag, numberFlag, readFlags, stringFlag } from './flags.js'
import type { CheckConfig } from '../gate/baseline.js'
import { MODEL_NAMES, isModelName } from '../../servers/models/names.js'

export interface CheckArgs {
  update: boolean
  /** Only these models' cells (default: all of the plan or baseline). */
  models?: string[]
  baselinePath: string
  budgetSec: number
  /** --update only: how to measure, and how many A/A sessions to calibrate on. */
  config: CheckConfig
  sessions: number
  /** TEST-ONLY: slow one model's server by this many µs of CPU per request. */
  injectSlowdown?: { model: string; us: number }
  /** Where to write the JSON record of this check ('' = nowhere). */
  out: string
}

const FLAGS = {
  update: 'boolean', model: 'value', baseline: 'value', budget: 'value', rounds: 'value', 'confirm-rounds': 'value',
  duration: 'value', slice: 'value', warmup: 'value', driver: 'value', sessions: 'value', pin: 'boolean', 'inject-slowdown': 'value', out: 'value', help: 'boolean',
} as const

const UPDATE_ONLY = ['rounds', 'confirm-rounds', 'duration', 'slice', 'warmup', 'driver', 'sessions', 'pin']

export const CHECK_USAGE = `usage: npm run bench:check -- [options]
  Compares each checked model's req/s and server CPU per request, as ratios to node-http measured
  in the same rounds, against results/baseline.json; a suspected regression is re-measured before
  the check fails. Cells: ${CHECK_CELLS.map((c) => `${c.model}/${c.scenario}`).join(', ')}.
  --update                   record a new baseline from --sessions A/A sessions of this build
  --model=a,b                check only these models' cells
  --baseline=FILE            default results/baseline.json
  --budget=S                 seconds the whole check may take (default ${CHECK_DEFAULTS.budgetSec})
  --out=FILE                 also write the JSON record of this check
  --inject-slowdown=MODEL:US TEST ONLY: that model's servers burn US µs more CPU per request
  with --update only:
  --sessions=N               A/A sessions to calibrate tolerances on (default ${CHECK_DEFAULTS.sessions})
  --rounds=N --confirm-rounds=N  rounds per check / per confirmation (default ${CHECK_DEFAULTS.rounds} / ${CHECK_DEFAULTS.confirmRounds})
  --duration=S --warmup=S    seconds measured / warmed up per server per round (default ${CHECK_DEFAULTS.durationSec} / ${CHECK_DEFAULTS.warmupSec})
  --slice=S                  the measured time alternates between servers in slices this long (default ${CHECK_DEFAULTS.sliceSec})
  --driver=autocannon|wrk    keep-alive load client (default autocannon)
  --pin                      load client on CPU 0, servers on CPU 1, via taskset (default: the
                             scheduler places them; see bench/host/cpu-pinning.ts)
Exit status: 0 pass, 1 a confirmed regression or a failed run, 2 bad flags or no usable baseline.`

export function parseCheckArgs(argv: readonly string[], defaultBaseline: string): CheckArgs | 'help' {
  const flags = readFlags(argv, FLAGS)
  if (flags.has('help')) return 'help'
  const update = flags.has('update')
  if (!update) {
    const misplaced = UPDATE_ONLY.find((f) => flags.has(f))
    if (misplaced !== undefined) throw new FlagError(`--${misplaced} only applies with --update (a check uses the baseline's configuration)`)
  }
  const driver = stringFlag(flags, 'driver') ?? 'autocannon'
  if (driver !== 'autocannon' && driver !== 'wrk') throw new FlagError(`--driver must be autocannon or wrk, got "${driver}"`)
  let injectSlowdown: CheckArgs['injectSlowdown']
  const inject = stringFlag(flags, 'inject-slowdown')
  if (inject !== undefined) {
    const m = /^([a-z-]+):(\d+(?:\.\d+)?)$/.exec(inject)
    if (m === null || !isModelName(m[1]!) || !(Number(m[2]) > 0)) {
      throw new FlagError(`--inject-slowdown must be MODEL:MICROSECONDS (e.g. eventloop:5), got "${inject}"`)
    }
    if (update) throw new FlagError('--inject-slowdown cannot be used with --update (a baseline of a slowed build is no baseline)')
    injectSlowdown = { model: m[1]!, us: Number(m[2]) }
  }
  const out = stringFlag(flags, 'out')
  return {
    update,
    ...(flags.has('model') ? { models: listFlag(flags, 'model', [], isModelName, MODEL_NAMES) } : {}),
    baselinePath: stringFlag(flags, 'baseline') ?? defaultBaseline,
    budgetSec: numberFlag(flags, 'budget', CHECK_DEFAULTS.budgetSec, { min: 10, max: 86_400 }),
    config: {
      rounds: numberFlag(flags, 'rounds', CHECK_DEFAULTS.rounds, { min: 2, max: 100, integer: true }),
      confirmRounds: numberFlag(flags, 'confirm-rounds', CHECK_DEFAULTS.confirmRounds, { min: 2, max: 100, integer: true }),
      durationSec: numberFlag(flags, 'duration', CHECK_DEFAULTS.durationSec, { min: 0.2, max: 600 }),
      sliceSec: numberFlag(flags, 'slice', CHECK_DEFAULTS.sliceSec, { min: 0.1, max: 600 }),
      warmupSec: numberFlag(flags, 'warmup', CHECK_DEFAULTS.warmupSec, { min: 0, max: 600 }),
      driver,
      pin: flags.has('pin'),
    },
    sessions: numberFlag(flags, 'sessions', CHECK_DEFAULTS.sessions, { min: 2, max: 50, integer: true }),
    ...(injectSlowdown !== undefined ? { injectSlowdown } : {}),
    out: out ?? '',
  }
}
