// bench:outage's flags: the runs they make (model × scenario, phases in ms, prefork's workers) and
// one clear line for anything wrong.
import { describe, expect, it } from 'vitest'
import { parseOutageArgs } from '../../../bench/cli/outage-args.js'

describe('parseOutageArgs', () => {
  it('makes one run per model and scenario, with the phases in ms and two workers for prefork', () => {
    const config = parseOutageArgs(['--model=eventloop,prefork', '--scenario=write', '--cut=4', '--added-latency=50'])
    expect(config).toMatchObject({
      runs: [
        { model: 'eventloop', scenario: 'write', connections: 64, steadyMs: 2000, latencyMs: 2000, addedLatencyMs: 50, cutMs: 4000, afterMs: 3000, requestTimeoutMs: 5000, serveArgs: [] },
        { model: 'prefork', scenario: 'write', serveArgs: ['--workers=2'] },
      ],
    })
    expect((config as { out: string }).out).toMatch(/results\/faults$/)
  })

  it('answers every bad flag with one line', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--model=nope'], /^--model: unknown value "nope"/],
      [['--scenario=hello'], /^--scenario: unknown value "hello" \(one of: db, write\)/],
      [['--connections=500'], /^--connections must be an integer from 1 to 100/],
      [['--db-server=mysql://root@127.0.0.1:3306/stock_db'], /^--db-server must be mysql:\/\/user:pass@host:port \(no database: each run makes its own\)/],
      [['--cut=0'], /^--cut must be a number from 0\.1 to 60/],
      [['--bogus'], /^unknown flag --bogus/],
    ]
    for (const [argv, message] of cases) {
      const result = parseOutageArgs(argv)
      expect(result, argv.join(' ')).toBeInstanceOf(Error)
      expect((result as Error).message).toMatch(message)
    }
  })
})
