// One suite, every StockRepository (hono's pattern: one interface, several implementations, one
// conformance suite). `open` must give a repository in the fixture's state each time.

import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadStockFixture } from '../../../servers/app/repositories/stock-fixture.js'
import type { StockRepository, WriteOutcome } from '../../../servers/app/repositories/stock-repository.js'

const fixture = loadStockFixture()
const byId = new Map(fixture.info.map((row) => [row.id, row]))
const followedIds = new Set(fixture.focus.map((row) => row.info_id))
const notFollowed = fixture.info.filter((row) => !followedIds.has(row.id))
const firstFollowed = byId.get([...fixture.focus].sort((a, b) => a.id - b.id)[0]!.info_id)!

export function describeStockRepositoryConformance(name: string, open: () => Promise<StockRepository>): void {
  describe(`${name} (StockRepository conformance)`, () => {
    let repository: StockRepository
    beforeEach(async () => {
      repository = await open()
    })
    afterEach(async () => {
      await repository.close()
    })

    it('lists every fixture stock, by id, with the fixture values', async () => {
      const stocks = await repository.listStocks()
      expect(stocks.length).toBeGreaterThanOrEqual(100)
      expect(stocks.map((s) => ({ ...s }))).toEqual([...fixture.info].sort((a, b) => a.id - b.id))
    })

    it('lists the followed stocks joined with their info rows, in focus order, with their notes', async () => {
      const expected = [...fixture.focus].sort((a, b) => a.id - b.id).map((f) => ({ ...byId.get(f.info_id)!, note: f.note_info }))
      expect((await repository.listFollowed()).map((s) => ({ ...s }))).toEqual(expected)
      expect(await repository.countFollowed()).toBe(fixture.focus.length)
    })

    it('follows a stock once: changed, then unchanged, and it is listed last with an empty note', async () => {
      const stock = notFollowed[0]!
      expect(await repository.follow(stock.code)).toBe('changed')
      expect(await repository.follow(stock.code)).toBe('unchanged')
      expect(await repository.countFollowed()).toBe(fixture.focus.length + 1)
      const followed = await repository.listFollowed()
      expect({ ...followed.at(-1)! }).toEqual({ ...stock, note: '' })
    })

    it('unfollows a followed stock once: changed, then unchanged, and it leaves the list', async () => {
      expect(await repository.unfollow(firstFollowed.code)).toBe('changed')
      expect(await repository.unfollow(firstFollowed.code)).toBe('unchanged')
      expect(await repository.countFollowed()).toBe(fixture.focus.length - 1)
      expect((await repository.listFollowed()).map((s) => s.code)).not.toContain(firstFollowed.code)
    })

    it('answers unknown for a code no stock has, including SQL-looking text, and writes nothing', async () => {
      for (const code of ['999999', "000001' OR '1'='1", '', '<b>']) {
        expect(await repository.follow(code)).toBe('unknown')
        expect(await repository.unfollow(code)).toBe('unknown')
      }
      expect(await repository.countFollowed()).toBe(fixture.focus.length)
    })

    it('lets exactly one of many simultaneous follows of one stock change it', async () => {
      const code = notFollowed[1]!.code
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => repository.follow(code)))
      expect(outcomes.filter((o) => o === 'changed')).toHaveLength(1)
      expect(outcomes.filter((o) => o === 'unchanged')).toHaveLength(19)
    })

    it('keeps the focus row count equal to the changed follows minus the changed unfollows under interleaved writes', async () => {
      const codes = notFollowed.slice(0, 4).map((s) => s.code).concat(firstFollowed.code)
      const writes: Array<Promise<[string, WriteOutcome]>> = []
      for (let i = 0; i < 60; i++) {
        const code = codes[i % codes.length]!
        const add = i % 3 !== 2
        writes.push(Promise.resolve(add ? repository.follow(code) : repository.unfollow(code)).then((o) => [add ? 'add' : 'del', o]))
      }
      const done = await Promise.all(writes)
      const added = done.filter(([a, o]) => a === 'add' && o === 'changed').length
      const removed = done.filter(([a, o]) => a === 'del' && o === 'changed').length
      expect(added + removed).toBeGreaterThan(0)
      expect(await repository.countFollowed()).toBe(fixture.focus.length + added - removed)
    })
  })
}
