import { describe, expect, it } from 'vitest'
import { MODEL_NAMES } from '../../../servers/models/names.js'
import { type Cell, cellKey, expandGroups, expandMatrix, roundOrder, roundsOf } from '../../../bench/driver/matrix.js'
import { parseBenchArgs } from '../../../bench/cli/bench-args.js'
import { type BenchConfig, connectionsFor } from '../../../bench/driver/bench-config.js'
import { sliceSeconds } from '../../../bench/driver/run-bench.js'

function config(argv: string[]): BenchConfig {
  const parsed = parseBenchArgs(argv)
  if (!(typeof parsed === 'object' && !(parsed instanceof Error))) throw new Error(`expected a config, got ${String(parsed)}`)
  return parsed
}

const cellsOf = (c: BenchConfig): Cell[] =>
  expandMatrix({ models: c.models, scenarios: c.scenarios, modes: c.modes, connectionsFor: (m, s) => connectionsFor(c, m, s), repeat: c.repeat })

describe('matrix expansion', () => {
  it('measures a group in rounds, every model once per round in an order that rotates, before the next group', () => {
    const spec = { models: ['eventloop', 'coroutines', 'node-http'], scenarios: ['hello', 'static'], modes: ['keepalive'] as const, connectionsFor: () => [16], repeat: 3 }
    expect(expandGroups(spec).map((g) => `${g.scenario}:${g.models.join(',')}`)).toEqual(['hello:eventloop,coroutines,node-http', 'static:eventloop,coroutines,node-http'])
    const cells = expandMatrix(spec)
    expect(cells).toHaveLength(2 * 3 * 3)
    expect(cells.slice(0, 9).map((c) => `${c.repeat}:${c.model}`)).toEqual([
      '1:eventloop', '1:coroutines', '1:node-http',
      '2:coroutines', '2:node-http', '2:eventloop',
      '3:node-http', '3:eventloop', '3:coroutines',
    ])
    expect(new Set(cells.slice(9).map((c) => c.scenario))).toEqual(new Set(['static']))
    expect(new Set(cells.map(cellKey)).size).toBe(6) // 2 scenarios × 3 models, each in 3 rounds
  })

  it('measures a model alone in its group in one round of the whole time: there is nothing to pair it with', () => {
    const cells = expandMatrix({ models: ['fork', 'eventloop', 'node-http'], scenarios: ['hello'], modes: ['keepalive'], connectionsFor: (m) => (m === 'fork' ? [4] : [16]), repeat: 3 })
    expect(cells.filter((c) => c.model === 'fork').map((c) => c.repeat)).toEqual([1])
    expect(cells.filter((c) => c.model === 'eventloop').map((c) => c.repeat)).toEqual([1, 2, 3])
    expect(roundsOf({ models: ['fork'] }, 3)).toBe(1)
  })

  it('rotates so each model leads one round', () => {
    expect([1, 2, 3, 4].map((r) => roundOrder(['a', 'b', 'c'], r)[0])).toEqual(['a', 'b', 'c', 'a'])
    expect(roundOrder([], 2)).toEqual([])
  })

  it('varies the model fastest so the models of one comparison run back to back', () => {
    const cells = expandMatrix({ models: ['blocking', 'eventloop', 'node-http'], scenarios: ['hello'], modes: ['keepalive', 'close'], connectionsFor: () => [16], repeat: 1 })
    expect(cells.map((c) => `${c.mode}:${c.model}`)).toEqual([
      'keepalive:blocking', 'keepalive:eventloop', 'keepalive:node-http', 'close:blocking', 'close:eventloop', 'close:node-http',
    ])
  })

  it('gives a model only its own concurrency levels, and none to a pair left out', () => {
    const cells = expandMatrix({ models: ['fork', 'eventloop'], scenarios: ['hello', 'static'], modes: ['keepalive'], connectionsFor: (m, s) => (s === 'static' ? [] : m === 'fork' ? [4] : [16]), repeat: 1 })
    expect(cells.map((c) => `${c.model}@${c.connections}`)).toEqual(['fork@4', 'eventloop@16'])
  })

  it('expands --model=all --mode=both on the memory store to 8 models × 5 scenarios × 2 modes, skipping db', () => {
    const c = config(['--model=all', '--mode=both'])
    expect(c.models).toEqual([...MODEL_NAMES])
    expect(c.scenarios).toEqual(['hello', 'static', 'static-large', 'template', 'write'])
    expect(c.skipped.map((s) => s.scenario)).toEqual(['db'])
    // less write on the three models whose memory store is per process
    expect(c.skippedCells.map((s) => `${s.model}×${s.scenario}`)).toEqual(['fork×write', 'prefork×write', 'threads×write'])
    // 3 rounds each, but fork runs alone at its own c=4 (8 cells): nothing to pair, one round
    expect(cellsOf(c)).toHaveLength((8 * 5 * 2 - 3 * 2 - 8) * 3 + 8)
  })

  it('runs write for every model on mysql, where the store is shared', () => {
    const c = config(['--model=all', '--scenario=write', '--db=mysql://root@127.0.0.1:3306/stock_db'])
    expect(c.skippedCells).toEqual([])
    expect(cellsOf(c)).toHaveLength(8 * 2 * 3)
  })

  it('runs write at one connection whatever --connections says, and says so', () => {
    const c = config(['--model=eventloop', '--scenario=hello,write', '--connections=1,16', '--mode=keepalive', '--repeat=1'])
    expect(cellsOf(c).map((cell) => `${cell.scenario}@${cell.connections}:${cell.model}`)).toEqual([
      'hello@1:eventloop', 'hello@1:node-http', 'hello@16:eventloop', 'hello@16:node-http', 'write@1:eventloop', 'write@1:node-http',
    ])
    expect(c.notes.join('\n')).toMatch(/write runs at c=1 only/)
  })

  it('adds the db scenario when --db is a mysql URL', () => {
    const c = config(['--model=eventloop', '--db=mysql://root@127.0.0.1:3306/stock_db'])
    expect(c.scenarios).toContain('db')
    expect(c.skipped).toEqual([])
  })

  it('measures every default cell in 3 interleaved rounds of 1 s, the 3 s one run used to take', () => {
    const c = config(['--model=all'])
    expect(c.repeat).toBe(3)
    expect(sliceSeconds(c)).toBe(1)
    expect(config(['--smoke']).repeat).toBe(1)
  })

  it('refuses rounds too short to measure anything but a client ramping up', () => {
    expect(parseBenchArgs(['--duration=1', '--repeat=10'])).toEqual(new Error('--duration=1 over 10 rounds gives 0.1 s slices; each round needs at least 0.25 s (raise --duration or lower --repeat)'))
  })

  it('gives fork fewer connections by default, but an explicit --connections wins', () => {
    expect(config(['--model=fork,eventloop']).connections).toEqual({ fork: [4], eventloop: [16], 'node-http': [16] })
    expect(config(['--model=fork', '--connections=1,8']).connections.fork).toEqual([1, 8])
  })

  it('adds node-http as the reference when other models are asked for, unless --no-reference', () => {
    const c = config(['--model=eventloop'])
    expect(c.models).toEqual(['eventloop', 'node-http'])
    expect(c.notes.join('\n')).toMatch(/node-http added as the reference/)
    expect(config(['--model=eventloop', '--no-reference']).models).toEqual(['eventloop'])
  })

  it('makes --smoke tiny: the first connection level, one second, one round', () => {
    const c = config(['--smoke', '--model=eventloop', '--connections=4,64', '--repeat=5', '--duration=30'])
    expect(c.connections).toEqual({ eventloop: [4], 'node-http': [4] })
    expect(c.durationSec).toBe(1)
    expect(c.repeat).toBe(1)
    expect(cellsOf(c)).toHaveLength(2 * 5 * 2)
    expect(cellsOf(c).filter((cell) => cell.scenario === 'write').map((cell) => cell.connections)).toEqual([1, 1, 1, 1])
  })
})
