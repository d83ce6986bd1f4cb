// The embedded stock store: the fixture held in memory, answering synchronously (no promise per
// request). One instance per process: prefork workers and worker threads each hold their own
// copy, so follow/unfollow are per process — use the mysql store to share writes.

import type { FollowedStock, Stock, StockRepository, WriteOutcome } from './stock-repository.js'
import type { StockFixture } from './stock-fixture.js'

interface Focus {
  id: number
  note: string
}

export class MemoryStockRepository implements StockRepository {
  readonly kind = 'memory'
  readonly #stocks: readonly Stock[]
  readonly #byCode = new Map<string, Stock>()
  /** info_id → focus row. A Map iterates in insertion order, which is focus.id order because ids
   * only grow — the same order as the SQL store's ORDER BY focus.id. */
  readonly #focus = new Map<number, Focus>()
  #nextFocusId: number
  /** listFollowed() result, rebuilt only after a write. */
  #followed: readonly FollowedStock[] | undefined

  constructor(fixture: StockFixture) {
    this.#stocks = Object.freeze(
      [...fixture.info].sort((a, b) => a.id - b.id).map((row) => Object.freeze({ ...row })),
    )
    for (const stock of this.#stocks) this.#byCode.set(stock.code, stock)
    for (const row of [...fixture.focus].sort((a, b) => a.id - b.id)) {
      this.#focus.set(row.info_id, { id: row.id, note: row.note_info })
    }
    // like AUTO_INCREMENT after the seed's explicit ids
    this.#nextFocusId = Math.max(0, ...fixture.focus.map((row) => row.id)) + 1
  }

  listStocks(): readonly Stock[] {
    return this.#stocks
  }

  listFollowed(): readonly FollowedStock[] {
    if (this.#followed === undefined) {
      const byId = new Map(this.#stocks.map((stock) => [stock.id, stock]))
      const rows: FollowedStock[] = []
      for (const [infoId, focus] of this.#focus) {
        rows.push(Object.freeze({ ...byId.get(infoId)!, note: focus.note }))
      }
      this.#followed = Object.freeze(rows)
    }
    return this.#followed
  }

  follow(code: string): WriteOutcome {
    const stock = this.#byCode.get(code)
    if (stock === undefined) return 'unknown'
    if (this.#focus.has(stock.id)) return 'unchanged'
    this.#focus.set(stock.id, { id: this.#nextFocusId++, note: '' })
    this.#followed = undefined
    return 'changed'
  }

  unfollow(code: string): WriteOutcome {
    const stock = this.#byCode.get(code)
    if (stock === undefined) return 'unknown'
    if (!this.#focus.delete(stock.id)) return 'unchanged'
    this.#followed = undefined
    return 'changed'
  }

  countFollowed(): number {
    return this.#focus.size
  }

  close(): Promise<void> {
    return Promise.resolve()
  }
}
