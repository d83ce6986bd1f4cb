// The bench CLI's flags (node:util parseArgs), validated into one BenchConfig. Like autocannon's
// lib/validate.js, parsing returns an Error instead of throwing; cli/bench.ts prints its message as one
// line and exits 2. The defaults live in driver/matrix.ts with the arithmetic that keeps them in budget;
// the config's shape in driver/bench-config.ts.

import { existsSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { parseDatabaseUrl } from '../../servers/app/repositories/database-url.js'
import { MODEL_NAMES, isModelName } from '../../servers/models/names.js'
import { CONNECTION_MODES, MATRIX_DEFAULTS, MODEL_DEFAULTS, REFERENCE_MODEL, SMOKE } from '../driver/matrix.js'
import { defaultResultsDir } from '../host/paths.js'
import { WRK_PATH } from '../clients/wrk-client.js'
import type { BenchConfig } from '../driver/bench-config.js'
import { chooseReference, parseTargets } from './target-args.js'
import { SCENARIO_NAMES, cellSkipReason, isScenarioName, scenario, skipReason } from '../driver/scenarios.js'
import { crowdConfigFrom, splitScenarioFlag } from './crowd-args.js'
import { openLoopConfigFrom } from './open-loop-args.js'
import { AUTO_LADDER, LATENCY_CURVE, OPEN_LOOP_DEFAULTS } from '../driver/open-loop-config.js'
import { CROWD_DEFAULTS, CROWD_SCENARIO_NAMES } from '../driver/crowd-scenarios.js'
import type { ConnectionMode } from '../types.js'



/** run-load.ts MAX_CONNECTIONS: each connection holds one fd and the usual soft RLIMIT_NOFILE is 1024. */
const MAX_CONNECTIONS = 1000
/** run-load.ts MAX_DURATION_SEC: load is always bounded in time. */
const MAX_DURATION_SEC = 600
/** Shortest measured slice of one model in one round: a load client needs a few hundred ms to
 * reach a steady rate after its connections open (autocannon samples every second, wrk reports
 * whole seconds), so shorter slices measure the ramp, not the server. */
const MIN_SLICE_SEC = 0.25
/** Node's benchmark/compare.js runs 30 by default; 100 is past any sensible interleaved run. */
const MAX_REPEAT = 100
/**
 * Seconds per driver ceiling (driver/driver-ceiling.ts): issue 12's budget of 2–3 s per driver keeps
 * the default run's four (wrk and the close-client, each at fork's c=4 and everyone's c=16) near
 * 10 s of a ~7-minute run. Smoke: wrk's shortest run (it rounds -d to whole seconds, at least 1).
 */
const CEILING_SEC = 2
const SMOKE_CEILING_SEC = 1
/** Neither node:cluster nor piscina caps workers; on a 2-core machine more than 256 is a typo. */
const MAX_WORKERS = 256

export const BENCH_USAGE = `usage: npm run bench -- [options]
  --model=LIST        models, comma-separated, or all (default all): ${MODEL_NAMES.join(', ')}
  --scenario=LIST     scenarios, comma-separated, or all (default: every one of ${SCENARIO_NAMES.join(', ')}, and ${CROWD_DEFAULTS.scenarios.join(', ')});
                      many connections: ${CROWD_SCENARIO_NAMES.join(', ')} (held crowds, with a probe)
  --idle=LIST         crowd sizes N for ${CROWD_SCENARIO_NAMES.join(', ')} (default ${CROWD_DEFAULTS.levels.join(',')}; e.g. 100,1000,10000)
  --mode=MODE         keepalive, close or both (default both)
  --connections=LIST  concurrency levels, e.g. 1,16,64,256 (default ${MATRIX_DEFAULTS.connections.join(',')}; fork ${MODEL_DEFAULTS.fork?.connections.join(',')})
  --duration=SEC      measured seconds per cell, split over its rounds (default ${MATRIX_DEFAULTS.durationSec})
  --warmup=SEC        unrecorded warm-up seconds per cell (default ${MATRIX_DEFAULTS.warmupSec})
  --repeat=N          interleaved rounds per cell, each measuring duration/N s of every model in turn (default ${MATRIX_DEFAULTS.repeat})
  --db=URL            memory, or mysql://user:pass@host:port/db (adds the db scenario)
  --workers=N         worker processes/threads for prefork and threads (default: serve's, the CPU count)
  --driver=NAME       auto (default: wrk for keep-alive where installed, else autocannon; close-per-request on the
                      project's close-client), autocannon (keep-alive; close on the close-client) or wrk (both modes)
  --timeout=MS        a request unanswered this long counts as a timeout (default ${MATRIX_DEFAULTS.timeoutMs})
  --ceiling=SEC       seconds each driver's ceiling is measured against the null server before the cells
                      (default ${CEILING_SEC}, smoke ${SMOKE_CEILING_SEC}; 0 = do not measure)
  --target=[NAME=]URL a server the bench did not start, measured beside the models (repeatable); URL is
                      http://HOST:PORT on loopback or 198.18.0.0/15; with --target, --model defaults to none
  --target-stats=[NAME=]URL  that target's stats endpoint (npm run serve -- --stats-port=P): CPU and RSS columns
  --reference=NAME    the model or target every ratio divides by (default ${REFERENCE_MODEL}, added when missing)
  --no-reference      do not add ${REFERENCE_MODEL} for ratios when it is not among the models
  --rate=LIST|auto    open loop (requests on a schedule, latency from the intended send time): the cells run at
                      these rates in req/s instead of closed loop, e.g. 500,2000,8000; auto = ${AUTO_LADDER.join(', ')} × each
                      model's closed-loop capacity measured first in the same run; then each model's sustainable
                      rate under --slo is searched for. Without --rate or --scenario the run ends with a short
                      latency curve (hello, keep-alive, ${LATENCY_CURVE.fractions.join('/')} × capacity)
  --arrivals=KIND     poisson (exponential gaps, the default) or uniform (equal gaps)
  --slo=pP:BOUND      the latency target of the sustainable rate (default ${OPEN_LOOP_DEFAULTS.slo}; any percentile, µs/us/ms/s)
  --max-connections=N open loop: the keep-alive pool's cap, one request in flight each (default ${OPEN_LOOP_DEFAULTS.maxConnections})
  --app=MODULE:EXPORT a gateway app for every server, as npm run serve -- --app= (default: the stock app)
  --soak=DURATION     a soak instead: one --model under a mixed load for DURATION, RSS and open fds
                      sampled, their slopes and a leak verdict (npm run bench -- --soak --help)
  --smoke             everything tiny: first connection level, ${SMOKE.durationSec} s, 1 round (for tests)
  --out=DIR           where the results JSON, report and charts go (default results/)
  --json              print the results JSON to stdout (tables go to stderr)
  --help              this text`

/** Parse argv into a config, 'help', or an Error whose message is the one line to print. */
export function parseBenchArgs(argv: string[]): BenchConfig | Error | 'help' {
  let values: Record<string, string | boolean | string[] | undefined>
  try {
    const str = { type: 'string' } as const
    const bool = { type: 'boolean' } as const
    values = parseArgs({
      args: argv, strict: true, allowPositionals: false,
      options: {
        model: str, scenario: str, mode: str, connections: str, duration: str, warmup: str, repeat: str, db: str,
        workers: str, driver: str, timeout: str, ceiling: str, idle: str, 'no-reference': bool,
        rate: str, arrivals: str, slo: str, 'max-connections': str, app: str,
        target: { type: 'string', multiple: true }, 'target-stats': { type: 'string', multiple: true }, reference: str, smoke: bool, out: str, json: bool, help: bool,
      },
    }).values
  } catch (error) {
    return new Error((error as Error).message.split('\n')[0])
  }
  if (values.help === true) return 'help'
  try {
    return buildConfig(values)
  } catch (error) {
    return error as Error
  }
}

function buildConfig(v: Record<string, string | boolean | string[] | undefined>): BenchConfig {
  const str = (name: string): string | undefined => v[name] as string | undefined
  const notes: string[] = []
  const smoke = v.smoke === true
  const targetFlags = (v.target as string[] | undefined) ?? []
  // the models this bench starts: with targets, only the ones asked for
  const models = targetFlags.length > 0 && str('model') === undefined ? [] : list('model', str('model'), MODEL_NAMES, isModelName)
  const targets = parseTargets(targetFlags, (v['target-stats'] as string[] | undefined) ?? [], models)
  const reference = chooseReference({ ...(str('reference') !== undefined ? { reference: str('reference')! } : {}), noReference: v['no-reference'] === true }, models, targets, notes)

  const db = str('db') ?? 'memory'
  if (db !== 'memory') {
    if (!db.startsWith('mysql://')) throw new Error(`--db must be memory or mysql://user:pass@host:port/db, not ${JSON.stringify(db)}`)
    parseDatabaseUrl(db) // throws one clear line
  }
  const split = splitScenarioFlag(str('scenario'))
  // an open-loop run measures what it names: no default crowd beside it
  if (str('rate') !== undefined && str('scenario') === undefined) split.crowds = []
  const asked = split.closedLoop === null ? [] : list('scenario', split.closedLoop, SCENARIO_NAMES, isScenarioName)
  const skipped: BenchConfig['skipped'] = []
  const scenarios = asked.filter((name) => {
    const why = skipReason(name, db)
    if (why !== null) skipped.push({ scenario: name, reason: why })
    return why === null
  })
  for (const s of skipped) notes.push(`skipping ${s.scenario}: ${s.reason}`)
  if (scenarios.length === 0 && split.crowds.length === 0) throw new Error(`nothing to run: ${skipped.map((s) => s.reason).join('; ')}`)

  const mode = str('mode') ?? 'both'
  if (mode !== 'both' && !(CONNECTION_MODES as readonly string[]).includes(mode)) {
    throw new Error(`--mode must be keepalive, close or both, not ${JSON.stringify(mode)}`)
  }
  const modes = mode === 'both' ? [...CONNECTION_MODES] : [mode as ConnectionMode]

  const given = str('connections')
  const levels = given === undefined ? undefined : numberList('connections', given, 1, MAX_CONNECTIONS)
  const connections: Record<string, number[]> = {}
  for (const model of models) {
    const fallback = MODEL_DEFAULTS[model]
    let chosen = levels ?? [...(fallback?.connections ?? MATRIX_DEFAULTS.connections)]
    if (smoke) chosen = chosen.slice(0, 1)
    connections[model] = chosen
    if (levels === undefined && fallback !== undefined) notes.push(`${model} runs at c=${chosen.join(',')} by default: ${fallback.why}`)
  }

  for (const t of targets) connections[t.name] = smoke ? (levels ?? [...MATRIX_DEFAULTS.connections]).slice(0, 1) : levels ?? [...MATRIX_DEFAULTS.connections]

  const skippedCells: BenchConfig['skippedCells'] = []
  for (const name of scenarios) {
    for (const model of models) {
      // targets are checked when their cells open: whether one is ours is known only by asking it
      const why = cellSkipReason(model, name, db)
      if (why !== null) skippedCells.push({ model, scenario: name, reason: why })
    }
    const fixed = scenario(name).connections
    if (fixed !== undefined && (levels ?? MATRIX_DEFAULTS.connections).some((c) => !fixed.levels.includes(c))) {
      notes.push(`${name} runs at c=${fixed.levels.join(',')} only: ${fixed.why}`)
    }
  }
  for (const s of skippedCells) notes.push(`leaving out ${s.reason}`)

  const durationSec = smoke ? SMOKE.durationSec : seconds('duration', str('duration'), MATRIX_DEFAULTS.durationSec, false)
  const warmupSec = smoke ? SMOKE.warmupSec : seconds('warmup', str('warmup'), MATRIX_DEFAULTS.warmupSec, true)
  const repeat = smoke ? SMOKE.repeat : integer('repeat', str('repeat'), MATRIX_DEFAULTS.repeat, 1, MAX_REPEAT)
  // --rate=LIST runs no closed-loop rounds: its --duration is each open-loop point's
  const roundsRun = str('rate') === undefined || str('rate')!.trim() === 'auto'
  if (roundsRun && durationSec / repeat < MIN_SLICE_SEC) {
    throw new Error(`--duration=${durationSec} over ${repeat} rounds gives ${+(durationSec / repeat).toFixed(3)} s slices; each round needs at least ${MIN_SLICE_SEC} s (raise --duration or lower --repeat)`)
  }
  const workersFlag = str('workers')
  const workers = workersFlag === undefined ? undefined : integer('workers', workersFlag, 1, 1, MAX_WORKERS)
  const timeoutMs = integer('timeout', str('timeout'), MATRIX_DEFAULTS.timeoutMs, 1, MAX_DURATION_SEC * 1000)

  const driver = str('driver') ?? 'auto'
  if (driver !== 'auto' && driver !== 'autocannon' && driver !== 'wrk') throw new Error(`--driver must be auto, autocannon or wrk, not ${JSON.stringify(driver)}`)
  if (driver === 'wrk' && !existsSync(WRK_PATH)) throw new Error(`--driver=wrk needs ${WRK_PATH} (apt-get install wrk)`)
  if (driver === 'auto' && !existsSync(WRK_PATH)) notes.push(`keep-alive cells use autocannon: wrk is not installed (apt-get install wrk), and autocannon needs a whole core well before the fastest models do`)

  const ceilingSec = seconds('ceiling', str('ceiling'), smoke ? SMOKE_CEILING_SEC : CEILING_SEC, true)

  const outFlag = str('out')
  if (outFlag === '') throw new Error('--out needs a directory')
  const out = outFlag === undefined ? defaultResultsDir() : isAbsolute(outFlag) ? outFlag : resolve(outFlag)

  const crowd = crowdConfigFrom(split.crowds, str('idle'), { smoke, models, notes })
  const openLoop = openLoopConfigFrom(
    { rate: str('rate'), arrivals: str('arrivals'), slo: str('slo'), maxConnections: str('max-connections') },
    { smoke, scenarioGiven: str('scenario') !== undefined, scenarios, modes, durationSec, warmupSec, notes },
  )
  const app = str('app') === undefined ? undefined : appFlag(str('app')!)

  return {
    ...(crowd !== undefined ? { crowd } : {}),
    ...(openLoop !== undefined ? { openLoop } : {}),
    ...(app !== undefined ? { app } : {}),
    models, scenarios, skipped, modes, connections, skippedCells, durationSec, warmupSec, repeat, db, ...(workers !== undefined ? { workers } : {}),
    ...(targets.length > 0 ? { targets } : {}),
    driver, timeoutMs, ceilingSec, smoke, reference, notes, out, json: v.json === true,
  }
}

function list<T extends string>(flag: string, value: string | undefined, all: readonly T[], known: (s: string) => s is T): T[] {
  if (value === undefined || value === 'all') return [...all]
  const names = value.split(',').map((s) => s.trim())
  const seen = new Set<T>()
  for (const name of names) {
    if (name === 'all') return [...all]
    if (!known(name)) throw new Error(`unknown ${flag} ${JSON.stringify(name)} (known: ${all.join(', ')}, all)`)
    seen.add(name)
  }
  if (seen.size === 0) throw new Error(`--${flag} needs at least one name`)
  return [...seen]
}

function numberList(flag: string, value: string, min: number, max: number): number[] {
  const out = value.split(',').map((s) => integer(flag, s.trim(), 0, min, max))
  return [...new Set(out)].sort((a, b) => a - b)
}

function integer(flag: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback
  if (!/^[0-9]+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new Error(`--${flag} must be a whole number from ${min} to ${max}, not ${JSON.stringify(value)}`)
  }
  return Number(value)
}

function seconds(flag: string, value: string | undefined, fallback: number, zeroOk: boolean): number {
  if (value === undefined) return fallback
  const n = /^[0-9]+(\.[0-9]+)?$/.test(value) ? Number(value) : NaN
  if (!(n >= 0 && n <= MAX_DURATION_SEC) || (!zeroOk && n === 0)) {
    throw new Error(`--${flag} must be a number of seconds ${zeroOk ? 'from 0' : 'above 0'} up to ${MAX_DURATION_SEC}, not ${JSON.stringify(value)}`)
  }
  return n
}

/** `--app=module:export` as serve takes it (servers/app/load-app.ts), a relative path made absolute
 * so every server process finds it whatever its working directory. */
function appFlag(value: string): string {
  if (!/^[^:]+:[A-Za-z_$][\w$]*$/.test(value)) throw new Error(`--app must be module:export (e.g. ./my-app.js:application), not ${JSON.stringify(value)}`)
  const colon = value.lastIndexOf(':')
  const module = value.slice(0, colon)
  if (!module.startsWith('.')) return value
  if (!existsSync(resolve(module))) throw new Error(`--app=${value}: no file ${resolve(module)}`)
  return `${resolve(module)}${value.slice(colon)}`
}
