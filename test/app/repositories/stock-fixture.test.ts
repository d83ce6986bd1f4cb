import { describe, expect, it } from 'vitest'
import { checkStockFixture, loadStockFixture } from '../../../servers/app/repositories/stock-fixture.js'

const good = () => ({
  info: [{ id: 1, code: '000001', short: 'A', chg: 1.5, turnover: 2, price: 10.25, highs: 11, time: '2017-07-18' }],
  focus: [{ id: 1, note_info: '', info_id: 1 }],
})

describe('the stock fixture', () => {
  it('has at least 100 stocks with unique six-digit codes and a few followed ones', () => {
    const fixture = loadStockFixture()
    expect(fixture.info.length).toBeGreaterThanOrEqual(100)
    expect(new Set(fixture.info.map((r) => r.code)).size).toBe(fixture.info.length)
    expect(fixture.focus.length).toBeGreaterThan(0)
  })

  it('reads the same data every time', () => {
    expect(loadStockFixture()).toEqual(loadStockFixture())
  })

  it('accepts a well-formed fixture as it is', () => {
    expect(checkStockFixture(good())).toEqual(good())
  })

  it.each([
    ['a code that is not six digits', (f: any) => (f.info[0].code = '1'), /info\[0\]\.code/],
    ['a price with three decimals', (f: any) => (f.info[0].price = 1.234), /info\[0\]: price/],
    ['a date that is not a date', (f: any) => (f.info[0].time = 'yesterday'), /info\[0\]\.time/],
    ['a name longer than the column', (f: any) => (f.info[0].short = 'x'.repeat(21)), /info\[0\]\.short/],
    ['a duplicate id', (f: any) => f.info.push({ ...f.info[0], code: '000002' }), /info\[1\]\.id/],
    ['a focus row naming no stock', (f: any) => (f.focus[0].info_id = 9), /focus\[0\]\.info_id 9 names no info row/],
    ['a stock followed twice', (f: any) => f.focus.push({ id: 2, note_info: '', info_id: 1 }), /followed twice/],
  ])('rejects %s, naming the row', (_, spoil, message) => {
    const fixture = good()
    spoil(fixture)
    expect(() => checkStockFixture(fixture, 'test.json')).toThrow(message)
    expect(() => checkStockFixture(fixture, 'test.json')).toThrow(/^test\.json: /)
  })

  it('rejects a file that is missing or not JSON with one line naming the file', () => {
    expect(() => loadStockFixture('/nonexistent/stocks.json')).toThrow(/^cannot read stock fixture \/nonexistent\/stocks\.json: ENOENT/)
  })
})
