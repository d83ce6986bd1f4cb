import { describe, expect, it } from 'vitest'
import { parseBenchArgs } from '../../../bench/cli/bench-args.js'
import { splitScenarioFlag } from '../../../bench/cli/crowd-args.js'
import type { BenchConfig } from '../../../bench/driver/bench-config.js'
import { crowdCellSkip, crowdFitRefusal } from '../../../bench/driver/crowd-scenarios.js'

function parse(argv: string[]): BenchConfig {
  const c = parseBenchArgs(argv)
  if (c === 'help' || c instanceof Error) throw new Error(String(c))
  return c
}

describe('crowd flags', () => {
  it('runs every closed-loop scenario and the idle crowd at N = 1,000 when --scenario is not given', () => {
    const c = parse([])
    expect(c.scenarios).toContain('hello')
    expect(c.crowd).toMatchObject({ scenarios: ['idle'], levels: [1000], maxProcs: 64, probe: { ratePerSec: 20, timeoutMs: 3000 } })
    expect(c.notes.join('\n')).toMatch(/open files: /)
    expect(c.notes.join('\n')).toMatch(/fork is not run at N = 1000: above --max-procs = 64/)
  })

  it('splits --scenario into closed-loop and crowd scenarios, so crowds can run alone', () => {
    const c = parse(['--scenario=idle,slowloris', '--idle=1000,100,100'])
    expect(c.scenarios).toEqual([])
    expect(c.crowd).toMatchObject({ scenarios: ['idle', 'slowloris'], levels: [100, 1000] })
    expect(parse(['--scenario=hello']).crowd).toBeUndefined()
    expect(parse(['--scenario=all']).crowd!.scenarios).toEqual(['idle', 'slowloris', 'slow-reader'])
    expect(splitScenarioFlag('hello,slow-reader')).toEqual({ closedLoop: 'hello', crowds: ['slow-reader'] })
  })

  it('keeps a smoke run\'s crowd tiny', () => {
    expect(parse(['--smoke', '--scenario=idle', '--idle=5000']).crowd).toMatchObject({ levels: [20], baselineSec: 0.2 })
  })

  it.each([
    [['--scenario=idle', '--idle=0'], /--idle must list whole numbers of connections from 1 to 1,000,000, not "0"/],
    [['--scenario=idle', '--idle=100,lots'], /--idle must list whole numbers/],
    [['--scenario=hello', '--idle=100'], /--idle sets the crowd sizes of idle, slowloris, slow-reader: add one of them to --scenario/],
    [['--scenario=slowlorris'], /unknown scenario "slowlorris" \(known: hello, .*, idle, slowloris, slow-reader, all\)/],
    [['--scenario=idle', '--idle=900000'], /--idle=900000 needs 900,256 (open files in the server and in the crowd client|local ports to one server)/],
  ])('refuses %j in one line', (argv, message) => {
    const c = parseBenchArgs(argv)
    expect(c).toBeInstanceOf(Error)
    expect((c as Error).message).toMatch(message)
    expect((c as Error).message).not.toContain('\n')
  })
})

describe('what fits', () => {
  it('refuses an N whose connections and reserve exceed the open-file limit or the port range, naming both numbers', () => {
    expect(crowdFitRefusal([100, 1000], 20_000, 28_232)).toBeNull()
    expect(crowdFitRefusal([100, 19_745], 20_000, 28_232)).toMatch(/--idle=19745 needs 20,001 open files .* may open 20,000/)
    expect(crowdFitRefusal([30_000], 1_000_000, 28_232)).toMatch(/--idle=30000 needs 30,256 local ports .* holds 28,232/)
  })

  it('leaves fork out only above --max-procs, saying why', () => {
    expect(crowdCellSkip('fork', 64, 64)).toBeNull()
    expect(crowdCellSkip('fork', 65, 64)).toMatch(/above --max-procs = 64/)
    expect(crowdCellSkip('threads', 10_000, 64)).toBeNull()
  })
})
