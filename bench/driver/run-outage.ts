// A database that goes away under load: the `db` scenario (GET /stocks.html) or the `write`
// scenario (follow/unfollow, one stock per connection, every write's fate in a WriteLedger) on one
// model, its pool reaching MariaDB through a FaultProxy. The load runs steady, then the proxy adds
// latency, then cuts every connection and refuses new ones, then comes back; the load keeps going
// throughout and a while after. The run seeds a database of its own and drops it afterwards.
//
// What it returns: the figures of each phase (stats/outage-figures.ts), the write audit, whether
// the server lived through it (its process and, for prefork, its workers), and how it stopped.

import { randomBytes } from 'node:crypto'
import { parseDatabaseUrl } from '../../servers/app/repositories/database-url.js'
import { dropDatabase, seedDatabase } from '../../servers/app/seed.js'
import { RequestLogLoad, type RequestPlan } from '../clients/request-log-load.js'
import { listProcessTree } from '../host/process-tree.js'
import { outageFigures, type OutageFigures, type OutageMarks } from '../stats/outage-figures.js'
import { FaultProxy } from './fault-proxy.js'
import { writeCodes } from './scenarios.js'
import { startServerProcess, type ServerExit } from './server-process.js'
import { WriteLedger, type WriteLedgerAudit } from './write-ledger.js'

export const OUTAGE_SCENARIOS = ['db', 'write'] as const
export type OutageScenario = (typeof OUTAGE_SCENARIOS)[number]

export interface OutageOptions {
  model: string
  scenario: OutageScenario
  connections: number
  /** mysql://user:pass@host:port of the MariaDB server; the run makes its own database there. */
  server: string
  steadyMs: number
  latencyMs: number
  /** Added each way by the proxy during the latency phase. */
  addedLatencyMs: number
  cutMs: number
  afterMs: number
  /** A request unanswered this long counts as a hang. */
  requestTimeoutMs: number
  /** Extra serve flags (e.g. --workers=2). */
  serveArgs?: string[]
}

export interface OutageRun {
  model: string
  scenario: OutageScenario
  connections: number
  phasesMs: { steady: number; latency: number; addedLatency: number; cut: number; after: number }
  requestTimeoutMs: number
  marks: OutageMarks
  figures: OutageFigures
  /** Connections the proxy destroyed at the cut (the pool's, all workers'). */
  poolConnectionsCut: number
  audit?: WriteLedgerAudit
  /** The server's process ran through the whole load; for prefork, its workers too (same pids). */
  serverSurvived: boolean
  workersBefore: number
  workersAfter: number
  exit: { code: number | null; signal: string | null; leftoverPids: number[] }
  stderrTail: string
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const MAX_CONNECTIONS = 100 // the write scenario needs a free stock per connection (the fixture has 115)

class ReadPlan implements RequestPlan {
  next() {
    return { method: 'GET' as const, path: '/stocks.html' }
  }
}

export async function runOutage(options: OutageOptions): Promise<OutageRun> {
  if (options.connections < 1 || options.connections > MAX_CONNECTIONS) throw new Error(`connections must be 1–${MAX_CONNECTIONS}, got ${options.connections}`)
  const server = new URL(options.server)
  const name = `httpmodels_outage_${process.pid}_${randomBytes(4).toString('hex')}`
  const db = `${options.server.replace(/\/+$/, '')}/${name}`
  parseDatabaseUrl(db)
  await seedDatabase(db)
  const proxy = await FaultProxy.start({ host: server.hostname, port: Number(server.port || 3306) })
  const viaProxy = new URL(db)
  viaProxy.hostname = '127.0.0.1'
  viaProxy.port = String(proxy.port)
  try {
    const serve = await startServerProcess({ args: [`--model=${options.model}`, '--port=0', '--host=127.0.0.1', `--db=${viaProxy.href}`, ...(options.serveArgs ?? [])] })
    const workers = (): number[] => listProcessTree(serve.pid).slice(1).map((p) => p.pid)
    const workersBefore = workers()
    const ledger = options.scenario === 'write' ? new WriteLedger(writeCodes(options.connections)) : undefined
    const load = RequestLogLoad.start(serve.origin, { connections: options.connections, plan: ledger ?? new ReadPlan(), requestTimeoutMs: options.requestTimeoutMs })
    let serverSurvived = true
    let workersAfter: number[] = []
    let marks: OutageMarks
    try {
      await sleep(options.steadyMs)
      const latencyAtMs = load.now()
      proxy.setLatency(options.addedLatencyMs)
      await sleep(options.latencyMs)
      const cutAtMs = load.now()
      await proxy.cut()
      await sleep(options.cutMs)
      proxy.setLatency(0)
      await proxy.restore()
      const restoredAtMs = load.now()
      await sleep(options.afterMs)
      workersAfter = workers()
      serverSurvived = listProcessTree(serve.pid).length > 0 && workersBefore.every((pid) => workersAfter.includes(pid))
      await load.stop()
      marks = { latencyAtMs, cutAtMs, restoredAtMs, endMs: load.stoppedAtMs }
    } finally {
      await load.stop()
    }
    const audit = ledger?.readTable(await followedCodes(db))
    const exit: ServerExit = await serve.stop()
    return {
      model: options.model,
      scenario: options.scenario,
      connections: options.connections,
      phasesMs: { steady: options.steadyMs, latency: options.latencyMs, addedLatency: options.addedLatencyMs, cut: options.cutMs, after: options.afterMs },
      requestTimeoutMs: options.requestTimeoutMs,
      marks,
      figures: outageFigures(load.exchanges, marks),
      poolConnectionsCut: proxy.cutConnections,
      ...(audit !== undefined ? { audit } : {}),
      serverSurvived,
      workersBefore: workersBefore.length,
      workersAfter: workersAfter.length,
      exit: { code: exit.code, signal: exit.signal, leftoverPids: exit.leftoverPids },
      stderrTail: exit.stderr.split('\n').slice(-5).join('\n'),
    }
  } finally {
    await proxy.close()
    await dropDatabase(db)
  }
}

/** The stock codes `focus` holds, read straight from MariaDB (not through the proxy or the app). */
async function followedCodes(db: string): Promise<Set<string>> {
  const { createConnection } = await import('mysql2/promise')
  const url = parseDatabaseUrl(db)
  const connection = await createConnection({ host: url.host, port: url.port, user: url.user, password: url.password, database: url.database })
  try {
    const [rows] = await connection.query('SELECT i.code FROM focus f JOIN info i ON i.id = f.info_id')
    return new Set((rows as Array<{ code: string }>).map((r) => r.code))
  } finally {
    await connection.end()
  }
}
