import { describe, expect, it } from 'vitest'
import { MemoryStockRepository } from '../../../servers/app/repositories/memory-stock-repository.js'
import { loadStockFixture } from '../../../servers/app/repositories/stock-fixture.js'
import { describeStockRepositoryConformance } from './stock-repository-conformance.js'

describeStockRepositoryConformance('MemoryStockRepository', async () => new MemoryStockRepository(loadStockFixture()))

describe('MemoryStockRepository', () => {
  it('answers every read and write synchronously, never with a promise', () => {
    const repository = new MemoryStockRepository(loadStockFixture())
    const code = repository.listStocks()[0]!.code
    for (const value of [repository.listStocks(), repository.listFollowed(), repository.countFollowed(), repository.follow(code), repository.unfollow(code)]) {
      expect(value).not.toBeInstanceOf(Promise)
    }
  })

  it('keeps the fixture it was built from unchanged when it writes', () => {
    const fixture = loadStockFixture()
    const before = JSON.stringify(fixture)
    const repository = new MemoryStockRepository(fixture)
    repository.follow(fixture.info.find((r) => !fixture.focus.some((f) => f.info_id === r.id))!.code)
    repository.unfollow(fixture.info[fixture.focus[0]!.info_id - 1]!.code)
    expect(JSON.stringify(fixture)).toBe(before)
  })

  it('returns the same followed list again until a write changes it', () => {
    const repository = new MemoryStockRepository(loadStockFixture())
    const first = repository.listFollowed()
    expect(repository.listFollowed()).toBe(first)
    repository.unfollow(first[0]!.code)
    expect(repository.listFollowed()).not.toBe(first)
    expect(repository.listFollowed()).toHaveLength(first.length - 1)
  })
})
