// The stock_db fixture: fixtures/stock/stocks.json, the one source of truth that both the memory
// store and the SQL seed read. Validated on load so a bad edit fails with the row at fault
// instead of a wrong page or a half-seeded database.

import { readFileSync } from 'node:fs'
import { findProjectFile } from './project-file.js'

/** A row of table `info`, as in the fixture and in SQL. */
export interface InfoRow {
  id: number
  code: string
  short: string
  chg: number
  turnover: number
  price: number
  highs: number
  time: string
}

/** A row of table `focus`. */
export interface FocusRow {
  id: number
  note_info: string
  info_id: number
}

export interface StockFixture {
  info: InfoRow[]
  focus: FocusRow[]
}

/** fixtures/stock/stocks.json of this project. */
export function defaultFixturePath(): string {
  return findProjectFile('fixtures/stock/stocks.json')
}

/** Read and check a fixture file (the project's own by default). */
export function loadStockFixture(path: string = defaultFixturePath()): StockFixture {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new Error(`cannot read stock fixture ${path}: ${(err as Error).message}`)
  }
  return checkStockFixture(parsed, path)
}

// Column limits of the SQL schema (seed.ts): short VARCHAR(20), note_info VARCHAR(200),
// DECIMAL(6,2) for percentages and DECIMAL(10,2) for prices.
const isTwoDecimals = (x: unknown, max: number): boolean =>
  typeof x === 'number' && Number.isFinite(x) && Math.abs(x) < max && Math.abs(x * 100 - Math.round(x * 100)) < 1e-6
const isId = (x: unknown): boolean => Number.isInteger(x) && (x as number) > 0

/** Check the shape and the references of a parsed fixture; `source` names it in errors. */
export function checkStockFixture(data: unknown, source = 'stock fixture'): StockFixture {
  const fail = (what: string): never => {
    throw new Error(`${source}: ${what}`)
  }
  if (typeof data !== 'object' || data === null) fail('not a JSON object')
  const { info, focus } = data as Record<string, unknown>
  if (!Array.isArray(info) || !Array.isArray(focus)) fail('needs arrays "info" and "focus"')
  const ids = new Set<number>()
  const codes = new Set<string>()
  for (const [i, row] of (info as InfoRow[]).entries()) {
    const at = `info[${i}]`
    if (!isId(row.id) || ids.has(row.id)) fail(`${at}.id must be a unique positive integer`)
    if (typeof row.code !== 'string' || !/^\d{6}$/.test(row.code) || codes.has(row.code)) {
      fail(`${at}.code must be a unique 6-digit string`)
    }
    if (typeof row.short !== 'string' || row.short.length === 0 || row.short.length > 20) {
      fail(`${at}.short must be a string of 1 to 20 characters`)
    }
    if (!isTwoDecimals(row.chg, 1e4) || !isTwoDecimals(row.turnover, 1e4)) fail(`${at}: chg and turnover need two decimals, |x| < 10000`)
    if (!isTwoDecimals(row.price, 1e8) || !isTwoDecimals(row.highs, 1e8)) fail(`${at}: price and highs need two decimals, |x| < 1e8`)
    if (typeof row.time !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(row.time) || Number.isNaN(Date.parse(row.time))) {
      fail(`${at}.time must be a date YYYY-MM-DD`)
    }
    ids.add(row.id)
    codes.add(row.code)
  }
  const focusIds = new Set<number>()
  const followed = new Set<number>()
  for (const [i, row] of (focus as FocusRow[]).entries()) {
    const at = `focus[${i}]`
    if (!isId(row.id) || focusIds.has(row.id)) fail(`${at}.id must be a unique positive integer`)
    if (typeof row.note_info !== 'string' || row.note_info.length > 200) fail(`${at}.note_info must be a string of at most 200 characters`)
    if (!ids.has(row.info_id)) fail(`${at}.info_id ${row.info_id} names no info row`)
    if (followed.has(row.info_id)) fail(`${at}.info_id ${row.info_id} is followed twice`)
    focusIds.add(row.id)
    followed.add(row.info_id)
  }
  return data as StockFixture
}
