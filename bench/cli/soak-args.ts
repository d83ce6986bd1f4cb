// `npm run bench -- --soak=DURATION --model=M` flags (cli/flags.ts reader): a soak of one model
// under a mixed load (driver/run-soak.ts). A bad flag is an Error whose message is the one line
// to print.

import { join } from 'node:path'
import { parseDatabaseUrl } from '../../servers/app/repositories/database-url.js'
import { MODEL_NAMES, isModelName } from '../../servers/models/names.js'
import type { DriverChoice } from '../clients/load-client.js'
import type { SoakConfig } from '../driver/run-soak.js'
import { SCENARIO_NAMES, cellSkipReason, isScenarioName, skipReason, type ScenarioName } from '../driver/scenarios.js'
import { defaultResultsDir } from '../host/paths.js'
import { FlagError, listFlag, numberFlag, readFlags, stringFlag } from './flags.js'

export const SOAK_USAGE = `usage: npm run bench -- --soak=DURATION --model=M [options]
  A soak: one server under a mixed keep-alive load for DURATION, its process tree's RSS and open fds
  sampled throughout; the report gives both slopes and says whether they look like a leak.
  --soak=DURATION     how long: 10m, 180s, 90 (seconds); 5 s to 60 min
  --model=M           one model: ${MODEL_NAMES.join(', ')}
  --scenario=LIST     scenarios taking turns (default hello,static,template,write): ${SCENARIO_NAMES.join(', ')}
  --connections=N     keep-alive connections per slice (default 16; write always runs at 1)
  --slice=SEC         seconds of each scenario's turn (default 10)
  --sample=SEC        seconds between RSS/fd samples (default 2)
  --db=URL            memory (default) or mysql://user:pass@host:port/db (seeded: npm run db:seed)
  --driver=NAME       auto (default: wrk where installed), autocannon or wrk
  --timeout=MS        a request unanswered this long is a timeout (default 10000)
  --workers=N         workers for prefork and threads (default: serve's)
  --out=DIR           where the JSON and the Markdown report go (default results/soak)
  --help              this text`

export interface SoakCliConfig {
  soak: SoakConfig
  out: string
  /** What the flags changed from what was asked, one line each (printed before the soak). */
  notes: string[]
}

const FLAGS = {
  soak: 'value', model: 'value', scenario: 'value', connections: 'value', slice: 'value', sample: 'value', db: 'value',
  driver: 'value', timeout: 'value', workers: 'value', out: 'value', help: 'boolean',
} as const

/** 10m → 600, 180s → 180, 90 → 90, 1.5m → 90; undefined for anything else. */
export function parseDurationSec(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(s|m|min)?$/.exec(text.trim())
  if (match === null) return undefined
  return Number(match[1]) * (match[2] === 'm' || match[2] === 'min' ? 60 : 1)
}

export function parseSoakArgs(argv: string[]): SoakCliConfig | Error | 'help' {
  if (argv.includes('--help')) return 'help'
  try {
    const flags = readFlags(argv, FLAGS)
    const raw = stringFlag(flags, 'soak')
    if (raw === undefined) throw new FlagError('--soak needs a duration, e.g. --soak=10m')
    const durationSec = parseDurationSec(raw)
    if (durationSec === undefined || durationSec < 5 || durationSec > 3600) throw new FlagError(`--soak must be a duration from 5 s to 60 min (10m, 180s, 90), not "${raw}"`)
    const model = stringFlag(flags, 'model')
    if (model === undefined) throw new FlagError('--soak needs one --model (e.g. --model=eventloop)')
    if (!isModelName(model)) throw new FlagError(`--model must be one of ${MODEL_NAMES.join(', ')} (one model per soak), not "${model}"`)
    const db = stringFlag(flags, 'db') ?? 'memory'
    if (db !== 'memory') {
      if (!db.startsWith('mysql://')) throw new FlagError(`--db must be memory or mysql://user:pass@host:port/db, not ${JSON.stringify(db)}`)
      parseDatabaseUrl(db)
    }
    const notes: string[] = []
    const asked = listFlag(flags, 'scenario', ['hello', 'static', 'template', 'write'], isScenarioName, SCENARIO_NAMES) as ScenarioName[]
    const scenarios = asked.filter((name) => {
      const why = skipReason(name, db) ?? cellSkipReason(model, name, db)
      if (why === null) return true
      if (stringFlag(flags, 'scenario') !== undefined) throw new FlagError(`--scenario=${name} cannot run: ${why}`)
      notes.push(`leaving out ${name}: ${why}`)
      return false
    })
    const driver = stringFlag(flags, 'driver') ?? 'auto'
    if (!['auto', 'autocannon', 'wrk'].includes(driver)) throw new FlagError(`--driver must be auto, autocannon or wrk, not "${driver}"`)
    const workers = stringFlag(flags, 'workers')
    const sliceSec = numberFlag(flags, 'slice', 10, { min: 1, max: 600 })
    const sampleSec = numberFlag(flags, 'sample', 2, { min: 0.1, max: 60 })
    if (sampleSec > durationSec / 4) throw new FlagError(`--sample=${sampleSec} leaves fewer than 4 samples in a ${durationSec} s soak: sample more often`)
    return {
      soak: {
        model, durationSec, scenarios, db, sliceSec, sampleSec, driver: driver as DriverChoice,
        connections: numberFlag(flags, 'connections', 16, { min: 1, max: 1000, integer: true }),
        timeoutMs: numberFlag(flags, 'timeout', 10_000, { min: 100, max: 600_000, integer: true }),
        serveArgs: workers === undefined ? [] : [`--workers=${numberFlag(flags, 'workers', 0, { min: 1, max: 256, integer: true })}`],
      },
      out: stringFlag(flags, 'out') ?? join(defaultResultsDir(), 'soak'),
      notes,
    }
  } catch (error) {
    if (error instanceof FlagError || (error instanceof Error && /database|mysql/i.test(error.message))) return new Error(error.message)
    throw error
  }
}
