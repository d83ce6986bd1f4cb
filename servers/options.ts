// The serve CLI's options as one table (gunicorn's Setting idea): each option's flag, type,
// default and help in one place; parsing, the config file and --help all read it.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import type { ServeOptions } from './models/model.js'
import { MODEL_NAMES, isModelName } from './models/names.js'

interface OptionSpec {
  key: keyof ServeOptions
  type: 'string' | 'integer'
  help: string
  /** A default, a function of the environment for the ones that depend on the machine, or null
   * for an option that is off unless given. */
  default: string | number | (() => number) | null
}

/** Flags are the kebab-case form of the key (`--max-procs` → maxProcs). */
export const SERVE_OPTIONS: OptionSpec[] = [
  { key: 'model', type: 'string', default: '', help: `concurrency model: ${MODEL_NAMES.join(', ')}` },
  { key: 'port', type: 'integer', default: 8080, help: 'TCP port; 0 picks a free one (the ready line tells which)' },
  { key: 'host', type: 'string', default: '127.0.0.1', help: 'address to bind' },
  { key: 'root', type: 'string', default: 'fixtures/www', help: 'document root for static files' },
  { key: 'db', type: 'string', default: 'memory', help: 'stock store: memory, or mysql://user:pass@host:port/db' },
  { key: 'app', type: 'string', default: '', help: 'gateway app as module:export (default: the built-in stock app)' },
  { key: 'workers', type: 'integer', default: () => availableParallelism(), help: 'worker processes or threads (prefork, threads)' },
  { key: 'maxProcs', type: 'integer', default: 64, help: 'most live child processes at once (fork); more connections wait' },
  // Node's server.headersTimeout is 60 s; nginx's client_header_timeout is 60 s.
  { key: 'headersTimeoutMs', type: 'integer', default: 60_000, help: 'ms a started request head may take before 408' },
  // Node's server.keepAliveTimeout is 5 s.
  { key: 'keepAliveTimeoutMs', type: 'integer', default: 5_000, help: 'ms an idle keep-alive connection stays open' },
  { key: 'statsPort', type: 'integer', default: null, help: "serve the process tree's CPU and RSS as JSON on this port, same host (0 picks one); for a load driver on another host" },
]

const flagOf = (key: string): string => key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)

export function serveUsage(): string {
  const lines = SERVE_OPTIONS.map((o) => {
    const def = typeof o.default === 'function' ? 'CPU count' : JSON.stringify(o.default)
    return `  --${flagOf(o.key).padEnd(24)} ${o.help}${o.default === '' || o.default === null ? '' : ` (default ${def})`}`
  })
  return [
    'usage: npm run serve -- --model=<name> [options]',
    ...lines,
    `  --${'config'.padEnd(24)} JSON file with any of the options above (flags win); may also set "limits"`,
    `  --${'help'.padEnd(24)} this text`,
  ].join('\n')
}

/** Parse serve's argv into options, or return an Error whose message is the one line to print. */
export function parseServeArgs(argv: string[]): ServeOptions | Error | 'help' {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        ...Object.fromEntries(SERVE_OPTIONS.map((o) => [flagOf(o.key), { type: 'string' as const }])),
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (error) {
    return new Error((error as Error).message.split('\n')[0])
  }
  const values = parsed.values as Record<string, string | boolean | undefined>
  if (values.help) return 'help'

  let fromFile: Record<string, unknown> = {}
  if (typeof values.config === 'string') {
    try {
      fromFile = JSON.parse(readFileSync(values.config, 'utf8'))
    } catch (error) {
      return new Error(`cannot read --config=${values.config}: ${(error as Error).message}`)
    }
    if (typeof fromFile !== 'object' || fromFile === null || Array.isArray(fromFile)) {
      return new Error(`--config=${values.config} must hold a JSON object`)
    }
  }

  const known = new Set<string>([...SERVE_OPTIONS.map((o) => o.key), 'limits'])
  for (const key of Object.keys(fromFile)) {
    if (!known.has(key)) return new Error(`unknown option "${key}" in --config=${values.config}`)
  }

  const options: Record<string, unknown> = {}
  for (const spec of SERVE_OPTIONS) {
    const flag = flagOf(spec.key)
    const raw = values[flag] ?? fromFile[spec.key]
    if (raw === undefined) {
      if (spec.default === null) continue
      options[spec.key] = typeof spec.default === 'function' ? spec.default() : spec.default
      continue
    }
    if (spec.type === 'integer') {
      const text = String(raw)
      if (!/^\d+$/.test(text)) return new Error(`--${flag} must be a non-negative integer, got "${text}"`)
      options[spec.key] = Number(text)
    } else {
      if (typeof raw !== 'string') return new Error(`--${flag} must be a string`)
      options[spec.key] = raw
    }
  }
  const limits = fromFile.limits ?? {}
  if (typeof limits !== 'object' || limits === null) return new Error('"limits" in the config file must be an object')
  options.limits = limits

  return validate(options as unknown as ServeOptions)
}

function validate(o: ServeOptions): ServeOptions | Error {
  if (o.model === '') return new Error(`--model is required (one of: ${MODEL_NAMES.join(', ')})`)
  if (!isModelName(o.model)) return new Error(`unknown model "${o.model}" (one of: ${MODEL_NAMES.join(', ')})`)
  if (o.port > 65535) return new Error(`--port must be 0–65535, got ${o.port}`)
  if (o.statsPort !== undefined && o.statsPort > 65535) return new Error(`--stats-port must be 0–65535, got ${o.statsPort}`)
  if (o.statsPort !== undefined && o.statsPort !== 0 && o.statsPort === o.port) return new Error(`--stats-port must differ from --port (both ${o.port})`)
  if (o.host === '') return new Error('--host must not be empty')
  if (o.workers < 1) return new Error('--workers must be at least 1')
  if (o.maxProcs < 1) return new Error('--max-procs must be at least 1')
  o.root = resolve(o.root)
  if (!existsSync(o.root) || !statSync(o.root).isDirectory()) return new Error(`--root=${o.root} is not a directory`)
  if (o.db !== 'memory' && !o.db.startsWith('mysql://')) {
    return new Error(`--db must be "memory" or a mysql://user:pass@host:port/db URL, got "${o.db}"`)
  }
  if (o.app !== '' && !/^[^:]+:[A-Za-z_$][\w$]*$/.test(o.app)) {
    return new Error(`--app must be module:export (e.g. ./my-app.js:application), got "${o.app}"`)
  }
  return o
}
