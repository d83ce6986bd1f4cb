// The scenarios as data: what each one requests, which store it runs against, and how its answer
// is checked before any load (status, required headers, body). Each one isolates one cost:
// server overhead, file serving, bandwidth, handler CPU, waiting on a database, writes.

import { readFileSync } from 'node:fs'
import { stockFixturePath } from '../host/paths.js'
import type { LoadRequest } from '../types.js'

export const SCENARIO_NAMES = ['hello', 'static', 'static-large', 'template', 'db', 'write'] as const
export type ScenarioName = (typeof SCENARIO_NAMES)[number]

export const isScenarioName = (name: string): name is ScenarioName =>
  (SCENARIO_NAMES as readonly string[]).includes(name)

/** DESIGN.md "Shared HTTP rules": every response carries these (TechEmpower's verifier fails
 * a test without Server, Date or Content-Type; we frame by Content-Length, so it is required too). */
export const REQUIRED_HEADERS = ['date', 'server', 'content-type', 'content-length'] as const

/** The ≥ 256 KB file of fixtures/www that the static helper provides for the bandwidth scenario. */
export const LARGE_FILE = 'large.bin'

/** How a scenario's body is known to be right. Every kind says where the truth came from. */
export type BodyCheck =
  /** sha256 of a string the app must answer verbatim. */
  | { kind: 'literal'; text: string }
  /** sha256 of a file under the document root, read from disk by the driver. */
  | { kind: 'file'; file: string }
  /** sha256 of the reference model's answer, fetched once per run from its own server process
   * (a rendered page: the driver does not re-implement the template engine). */
  | { kind: 'reference' }
  /** The body depends on state; the scenario is checked another way (`why`). */
  | { kind: 'none'; why: string }

export interface Scenario {
  name: ScenarioName
  /** What the scenario measures, for --help and the report. */
  summary: string
  /** Which store the server runs with: always memory, always the --db mysql URL, or whatever --db says. */
  store: 'memory' | 'mysql' | 'run'
  /** One request, or a cycle every connection walks through in turn. */
  requests: LoadRequest[]
  status: number
  /** Expected Content-Type prefix (parameters such as charset may follow). */
  contentType?: string
  body: BodyCheck
  /** After the load, audit the focus table: writes must land exactly (see write-audit.ts). */
  auditsWrites?: boolean
  /** Concurrency levels this scenario always runs at, whatever --connections says, and why. */
  connections?: { levels: readonly number[]; why: string }
}

const get = (path: string): LoadRequest => ({ method: 'GET', path, headers: {} })
const post = (path: string): LoadRequest => ({ method: 'POST', path, headers: {} })

export function scenario(name: ScenarioName): Scenario {
  switch (name) {
    case 'hello':
      return {
        name, summary: 'GET /hello: a 13-byte text answer, so the cost is the server itself', store: 'memory',
        requests: [get('/hello')], status: 200, contentType: 'text/plain', body: { kind: 'literal', text: 'Hello, World!' },
      }
    case 'static':
      return {
        name, summary: 'GET /: the small static home page (file serving)', store: 'memory',
        requests: [get('/')], status: 200, contentType: 'text/html', body: { kind: 'file', file: 'index.html' },
      }
    case 'static-large':
      return {
        name, summary: `GET /${LARGE_FILE}: a ≥ 256 KB file (bandwidth, partial writes)`, store: 'memory',
        requests: [get(`/${LARGE_FILE}`)], status: 200, body: { kind: 'file', file: LARGE_FILE },
      }
    case 'template':
      return {
        name, summary: 'GET /stocks.html from the memory store: CPU spent rendering in the handler', store: 'memory',
        requests: [get('/stocks.html')], status: 200, contentType: 'text/html', body: { kind: 'reference' },
      }
    case 'db':
      return {
        name, summary: 'GET /stocks.html from MySQL: waiting on I/O', store: 'mysql',
        requests: [get('/stocks.html')], status: 200, contentType: 'text/html', body: { kind: 'reference' },
      }
    case 'write': {
      const code = writeCodes(1)[0]!
      return {
        name, summary: `POST /add/${code}.html then /del/${code}.html in turn: writes`, store: 'run',
        requests: [post(`/add/${code}.html`), post(`/del/${code}.html`)], status: 200,
        body: { kind: 'none', why: 'the page depends on the follow state; the write audit counts rows instead' },
        auditsWrites: true,
        // The app answers 200 only for a write that changed a row and 409 when the stock already was
        // in the asked state (servers/app/stock/stock-app.ts). Every connection walks the same cycle,
        // so two connections would race on one stock and the loser would (correctly) get 409s.
        connections: { levels: [1], why: 'one connection alternates follow/unfollow of one stock, so every write must answer 200; the audit after the load writes concurrently' },
      }
    }
  }
}

/** Why a scenario cannot run with this --db, or null when it can. */
export function skipReason(name: ScenarioName, db: string): string | null {
  if (scenario(name).store === 'mysql' && !db.startsWith('mysql://')) {
    return 'db needs --db=mysql://user:pass@host:port/db (e.g. mysql://root@127.0.0.1:3306/stock_db); the run uses the memory store'
  }
  return null
}

/**
 * Models that keep one memory store per process or thread (servers/app/repositories/
 * memory-stock-repository.ts: "follow/unfollow are per process"): a follow and the unfollow after
 * it may reach different copies, so on the memory store their writes cannot be checked.
 */
export const PER_PROCESS_STORE: Readonly<Record<string, string>> = {
  fork: 'a new child process, with its own memory store, per connection',
  prefork: 'one memory store per cluster worker',
  threads: 'one memory store per worker thread',
}

/** Why one model cannot run one scenario with this --db (the cell is left out), or null. */
export function cellSkipReason(model: string, name: ScenarioName, db: string): string | null {
  if (!scenario(name).auditsWrites || db.startsWith('mysql://')) return null
  const why = PER_PROCESS_STORE[model]
  return why === undefined ? null : `${model} × ${name} needs --db=mysql://…: ${model} keeps ${why}, so writes cannot be checked on the memory store`
}

/** The --db value a server for this scenario gets. */
export const storeFor = (s: Scenario, db: string): string => (s.store === 'memory' ? 'memory' : db)

interface StockFixtureFile {
  info: Array<{ id: number; code: string }>
  focus: Array<{ info_id: number }>
}

let fixture: StockFixtureFile | undefined
export function stockFixture(): StockFixtureFile {
  fixture ??= JSON.parse(readFileSync(stockFixturePath(), 'utf8')) as StockFixtureFile
  return fixture
}

/** The first `n` stock codes the fixture does not follow: writes that start from a known state. */
export function writeCodes(n: number, skip = 0): string[] {
  const { info, focus } = stockFixture()
  const followed = new Set(focus.map((f) => f.info_id))
  const free = info.filter((s) => !followed.has(s.id)).map((s) => s.code)
  if (free.length < skip + n) throw new Error(`the stock fixture has only ${free.length} unfollowed stocks, need ${skip + n}`)
  return free.slice(skip, skip + n)
}
