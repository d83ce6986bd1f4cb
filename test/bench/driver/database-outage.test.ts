// A database that goes away under load (bench/driver/run-outage.ts): 64 keep-alive connections on
// the db and write scenarios, the pool reaching MariaDB through a fault proxy that adds 20 ms each
// way, then cuts every connection and refuses new ones for 1.5 s, then comes back. Every answer
// during the cut is a 503, nothing hangs to the request timeout, the server and its workers live
// through it, the pool serves again by itself, and every write's fate is audited one by one.
// Needs MariaDB at 127.0.0.1:3306 (HTTPMODELS_TEST_MARIADB): skipped with the reason elsewhere,
// required under CI=true. About 5 s per run.
import { describe, expect, it } from 'vitest'
import { runOutage, type OutageScenario } from '../../../bench/driver/run-outage.js'
import { MARIADB_SERVER, mariadbUnavailable } from '../../app/repositories/mariadb-test-database.js'

const unavailable = await mariadbUnavailable()
const REQUEST_TIMEOUT_MS = 3000
const MODELS: Array<[string, string[]]> = [['eventloop', []], ['prefork', ['--workers=2']]]

describe.skipIf(unavailable !== undefined)(`a database that goes away under a keep-alive load${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  for (const [model, serveArgs] of MODELS) {
    for (const scenario of ['db', 'write'] as OutageScenario[]) {
      it(`${model}, ${scenario}: answers 503 during the cut, never hangs or crashes, and serves again by itself after it`, async () => {
        const run = await runOutage({
          model, scenario, serveArgs, connections: 64, server: MARIADB_SERVER, requestTimeoutMs: REQUEST_TIMEOUT_MS,
          steadyMs: 800, latencyMs: 700, addedLatencyMs: 20, cutMs: 1500, afterMs: 1500,
        })
        const { phases, ...rest } = run.figures
        console.info(`database outage, ${model} ${scenario}: ${JSON.stringify({ phases, ...rest, audit: run.audit, poolConnectionsCut: run.poolConnectionsCut })}`)

        // never a crash: the process and its workers ran throughout, and it stopped cleanly
        expect(run.serverSurvived).toBe(true)
        expect(run.workersAfter).toBe(run.workersBefore)
        expect(run.exit).toEqual({ code: 0, signal: null, leftoverPids: [] })
        // never a hang, never a dropped connection, never a status other than 200, 409 and 503
        expect(run.figures.timeouts).toBe(0)
        for (const phase of Object.values(phases)) expect(phase).toMatchObject({ lost: 0, answeredOther5xx: 0 })
        expect(phases.steady.answered).toBeGreaterThan(0)
        // no 503 before the cut (a request sent late in the steady phase can wait through the
        // latency phase and be cut: counted by its send time, it is a steady-phase 503)
        expect(run.figures.first503AtMs).toBeGreaterThanOrEqual(run.marks.cutAtMs)
        // the cut took the pool's connections and answered 503s
        expect(run.poolConnectionsCut).toBeGreaterThan(0)
        expect(phases.cut.answered503).toBeGreaterThan(phases.cut.answered)
        expect(phases.cut.longestMs).toBeLessThan(REQUEST_TIMEOUT_MS)
        // the pool came back by itself within the second after the restore
        expect(run.figures.firstAnswerAfterRestoreMs).toBeLessThan(1000)
        expect(run.figures.recoveredAfterMs).toBeDefined()
        expect(phases.after.answered).toBeGreaterThan(phases.after.answered503)
        if (scenario === 'write') {
          expect(run.audit).toMatchObject({ ok: true, twoxxMissing: 0, fivexxApplied: 0, writesOther: 0 })
          expect(run.audit!.writes2xx).toBeGreaterThan(0)
          expect(run.audit!.writes5xx).toBeGreaterThan(0)
        }
      }, 60_000)
    }
  }
})
