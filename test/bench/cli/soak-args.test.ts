// The soak's flags: durations in s and m, one model, scenarios that the store allows, and one clear
// line for anything wrong.
import { describe, expect, it } from 'vitest'
import { parseDurationSec, parseSoakArgs } from '../../../bench/cli/soak-args.js'

describe('parseSoakArgs', () => {
  it('shows its own help, even after a --soak with no value', () => {
    expect(parseSoakArgs(['--soak', '--help'])).toBe('help')
  })

  it('reads a 10-minute soak of one model with the default mixed load', () => {
    const config = parseSoakArgs(['--soak=10m', '--model=eventloop'])
    expect(config).toMatchObject({ soak: { model: 'eventloop', durationSec: 600, scenarios: ['hello', 'static', 'template', 'write'], connections: 16, sliceSec: 10, sampleSec: 2, db: 'memory' }, notes: [] })
  })

  it('leaves the default write out on the memory store for a model with a store per process, and says so', () => {
    const config = parseSoakArgs(['--soak=3m', '--model=prefork'])
    expect(config).toMatchObject({ soak: { scenarios: ['hello', 'static', 'template'] } })
    expect((config as { notes: string[] }).notes[0]).toMatch(/^leaving out write: prefork × write needs --db=mysql/)
  })

  it('answers every bad flag with one line', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--soak=10x', '--model=eventloop'], /^--soak must be a duration from 5 s to 60 min/],
      [['--soak=2', '--model=eventloop'], /^--soak must be a duration/],
      [['--soak=2h', '--model=eventloop'], /^--soak must be a duration/],
      [['--soak=3m'], /^--soak needs one --model/],
      [['--soak=3m', '--model=eventloop,prefork'], /^--model must be one of .* \(one model per soak\)/],
      [['--soak=3m', '--model=eventloop', '--scenario=db'], /^--scenario=db cannot run: db needs --db=mysql/],
      [['--soak=3m', '--model=prefork', '--scenario=write'], /^--scenario=write cannot run/],
      [['--soak=3m', '--model=eventloop', '--sample=60'], /^--sample=60 leaves fewer than 4 samples/],
      [['--soak=3m', '--model=eventloop', '--db=postgres://x'], /^--db must be memory or mysql:/],
      [['--soak=3m', '--model=eventloop', '--bogus'], /^unknown flag --bogus/],
    ]
    for (const [argv, message] of cases) {
      const result = parseSoakArgs(argv)
      expect(result, argv.join(' ')).toBeInstanceOf(Error)
      expect((result as Error).message, argv.join(' ')).toMatch(message)
      expect((result as Error).message).not.toContain('\n')
    }
  })

  it('reads durations in seconds and minutes', () => {
    expect(['10m', '180s', '90', '1.5m', '3min', 'x', '5h'].map(parseDurationSec)).toEqual([600, 180, 90, 90, 180, undefined, undefined])
  })
})
