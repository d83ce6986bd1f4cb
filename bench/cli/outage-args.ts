// `npm run bench:outage` flags (cli/flags.ts reader), validated into the options of each
// driver/run-outage.ts run. A bad flag is an Error whose message is the one line to print.

import { MODEL_NAMES, isModelName } from '../../servers/models/names.js'
import { OUTAGE_SCENARIOS } from '../driver/run-outage.js'
import type { OutageOptions, OutageScenario } from '../driver/run-outage.js'
import { join } from 'node:path'
import { defaultResultsDir } from '../host/paths.js'
import { FlagError, listFlag, numberFlag, readFlags, stringFlag } from './flags.js'

export const OUTAGE_USAGE = `usage: npm run bench:outage -- [options]
  A database that goes away under a keep-alive load: steady, then the proxy between the app's pool and
  MariaDB adds latency, then cuts every connection and refuses new ones, then comes back.
  --model=LIST        models, comma-separated (default eventloop,prefork): ${MODEL_NAMES.join(', ')}
  --scenario=LIST     db (GET /stocks.html), write (follow/unfollow, every write audited) (default db,write)
  --connections=N     keep-alive connections (default 64, at most 100)
  --db-server=URL     the MariaDB server, mysql://user:pass@host:port; each run makes and drops its own
                      database there (default mysql://root@127.0.0.1:3306)
  --steady=SEC        load before any fault (default 2)
  --latency=SEC       then with latency added (default 2)
  --added-latency=MS  added each way by the proxy (default 20)
  --cut=SEC           then with every connection cut and new ones refused (default 3)
  --after=SEC         then with the database back (default 3)
  --timeout=MS        a request unanswered this long is a hang (default 5000)
  --workers=N         prefork's and threads' workers (default 2)
  --out=DIR           where the JSON and the Markdown report go (default results/faults)
  --help              this text`

export interface OutageConfig {
  runs: OutageOptions[]
  out: string
}

const FLAGS = {
  model: 'value', scenario: 'value', connections: 'value', 'db-server': 'value', steady: 'value', latency: 'value',
  'added-latency': 'value', cut: 'value', after: 'value', timeout: 'value', workers: 'value', out: 'value', help: 'boolean',
} as const

export function parseOutageArgs(argv: string[]): OutageConfig | Error | 'help' {
  try {
    const flags = readFlags(argv, FLAGS)
    if (flags.get('help') === true) return 'help'
    const models = listFlag(flags, 'model', ['eventloop', 'prefork'], isModelName, MODEL_NAMES)
    const scenarios = listFlag(flags, 'scenario', OUTAGE_SCENARIOS, (s) => (OUTAGE_SCENARIOS as readonly string[]).includes(s), OUTAGE_SCENARIOS) as OutageScenario[]
    const server = stringFlag(flags, 'db-server') ?? 'mysql://root@127.0.0.1:3306'
    if (!/^mysql:\/\/[^/]+\/?$/.test(server)) throw new FlagError(`--db-server must be mysql://user:pass@host:port (no database: each run makes its own), not ${JSON.stringify(server)}`)
    const sec = (name: string, fallback: number) => numberFlag(flags, name, fallback, { min: 0.1, max: 60 }) * 1000
    const workers = numberFlag(flags, 'workers', 2, { min: 1, max: 64, integer: true })
    const base = {
      connections: numberFlag(flags, 'connections', 64, { min: 1, max: 100, integer: true }),
      server,
      steadyMs: sec('steady', 2),
      latencyMs: sec('latency', 2),
      addedLatencyMs: numberFlag(flags, 'added-latency', 20, { min: 0, max: 1000 }),
      cutMs: sec('cut', 3),
      afterMs: sec('after', 3),
      requestTimeoutMs: numberFlag(flags, 'timeout', 5000, { min: 100, max: 60_000, integer: true }),
    }
    const runs = models.flatMap((model) =>
      scenarios.map((scenario) => ({ ...base, model, scenario, serveArgs: model === 'prefork' || model === 'threads' ? [`--workers=${workers}`] : [] })),
    )
    return { runs, out: stringFlag(flags, 'out') ?? join(defaultResultsDir(), 'faults') }
  } catch (error) {
    if (error instanceof FlagError) return new Error(error.message)
    throw error
  }
}
