import { describe, expect, it } from 'vitest'
import { ConnectionLedger } from '../../../bench/stats/connection-ledger.js'
import { connectionFairness, jainIndex, STARVED_SHARE, starvedConnections } from '../../../bench/stats/fairness.js'

describe('the connection ledger', () => {
  it('counts responses per connection and keeps each one\'s longest silence, the end of the run included', () => {
    const ledger = new ConnectionLedger(3, 1000)
    ledger.response(0, 1100) // 100 ms after the start
    ledger.response(0, 1150)
    ledger.response(0, 1900) // 750 ms gap
    ledger.response(1, 1600) // 600 ms before its first
    expect(ledger.close(2000)).toEqual({
      perConnection: [3, 1, 0],
      longestGapUs: [750_000, 600_000, 1_000_000], // connection 2 never answered: the whole run
    })
  })

  it('counts the silence after the last response up to the end', () => {
    const ledger = new ConnectionLedger(1, 0)
    ledger.response(0, 10)
    expect(ledger.close(3000).longestGapUs).toEqual([2_990_000])
  })
})

describe("Jain's fairness index", () => {
  it('is 1 when every connection got the same and 1/n when one got everything', () => {
    expect(jainIndex([5, 5, 5, 5])).toBe(1)
    expect(jainIndex([20, 0, 0, 0])).toBe(0.25)
  })

  it('matches the formula (Σx)² / (n·Σx²) in between', () => {
    expect(jainIndex([1, 2, 3])).toBeCloseTo(36 / 42, 12)
  })

  it('is undefined (null) when no connection got anything', () => {
    expect(jainIndex([0, 0])).toBeNull()
    expect(jainIndex([])).toBeNull()
  })
})

describe('the starvation rule', () => {
  it('starves a connection that went without a response for more than half the measured time, and no other', () => {
    expect(STARVED_SHARE).toBe(0.5)
    expect(starvedConnections([1_500_001, 1_500_000, 10, 3_000_000], 3_000_000)).toEqual([0, 3])
  })

  it('summarizes a cell like the issue\'s threads run: two connections served, fourteen starved', () => {
    const perConnection = [11716, 12494, ...new Array<number>(14).fill(0)]
    const longestGapUs = [900, 1200, ...new Array<number>(14).fill(3_000_000)]
    expect(connectionFairness({ perConnection, longestGapUs }, 3)).toEqual({
      connections: 16, served: 2, servedShare: 0.125, minResponses: 0, medianResponses: 0, maxResponses: 12494,
      jain: jainIndex(perConnection), starved: 14,
    })
    expect(jainIndex(perConnection)).toBeCloseTo(0.125, 2)
  })

  it('finds nothing starved when every connection was answered all along', () => {
    const f = connectionFairness({ perConnection: [100, 101, 99], longestGapUs: [20_000, 15_000, 30_000] }, 3)
    expect(f).toMatchObject({ served: 3, servedShare: 1, minResponses: 99, medianResponses: 100, maxResponses: 101, starved: 0 })
    expect(f.jain).toBeGreaterThan(0.999)
  })

  it('refuses an account whose gaps do not match its connections', () => {
    expect(() => connectionFairness({ perConnection: [1, 2], longestGapUs: [1] }, 1)).toThrow(/one longest gap per connection/)
  })
})
