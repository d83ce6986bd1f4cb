// The stock data the app reads and writes, behind one interface with two implementations:
// `memory` (embedded, answers synchronously) and `mysql` (a mysql2 pool, answers with promises).
//
// Every method returns `T | Promise<T>`: the memory store hands back plain values, so a request
// served from it never allocates a promise (the servers keep a synchronous fast path, see
// gateway.ts), while the SQL store returns promises. `whenReady` continues either kind.

/** A value now, or later. */
export type MaybePromise<T> = T | Promise<T>

/** One row of table `info` (the course's stock_db). Money and percentages are numbers with two
 * decimals (DECIMAL(…,2) in SQL); `time` is a calendar date, `YYYY-MM-DD`. */
export interface Stock {
  readonly id: number
  /** Six digits, unique. */
  readonly code: string
  /** The stock's short name. */
  readonly short: string
  /** Percent change. */
  readonly chg: number
  /** Percent turnover. */
  readonly turnover: number
  readonly price: number
  readonly highs: number
  readonly time: string
}

/** A followed stock: a row of `focus` joined with its `info` row. */
export interface FollowedStock extends Stock {
  /** focus.note_info */
  readonly note: string
}

/** What follow/unfollow did: `changed` wrote one row; `unchanged` found it already in the asked
 * state (already followed / not followed); `unknown` found no stock with that code. */
export type WriteOutcome = 'changed' | 'unchanged' | 'unknown'

export interface StockRepository {
  /** `memory` or `mysql`, for logs and reports. */
  readonly kind: 'memory' | 'mysql'
  /** All stocks, by id. */
  listStocks(): MaybePromise<readonly Stock[]>
  /** The followed stocks, in the order they were followed (focus.id). */
  listFollowed(): MaybePromise<readonly FollowedStock[]>
  follow(code: string): MaybePromise<WriteOutcome>
  unfollow(code: string): MaybePromise<WriteOutcome>
  /** Number of rows in `focus`. */
  countFollowed(): MaybePromise<number>
  /** Release connections; the repository is unusable afterwards. */
  close(): Promise<void>
}

/** Continue with `value` right away when it is ready, or after it settles when it is a promise:
 * no promise is created on the synchronous path. */
export function whenReady<T, R>(value: MaybePromise<T>, next: (value: T) => R): R | Promise<Awaited<R>> {
  if (value instanceof Promise) return value.then(next) as Promise<Awaited<R>>
  return next(value)
}
