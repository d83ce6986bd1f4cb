import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { followedTable, stocksTable, twoDecimals } from '../../../servers/app/stock/stock-tables.js'

const stock = { id: 7, code: '600519', short: 'A&B', chg: -1.5, turnover: 0.05, price: 1234.5, highs: 1300, time: '2017-07-18' }

describe('twoDecimals', () => {
  it('formats every two-decimal value exactly like toFixed(2)', () => {
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), (cents) => twoDecimals(cents / 100) === (cents / 100).toFixed(2)))
  })

  it('formats any finite number like toFixed(2) except that it never writes -0.00', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), (x) => {
        expect(twoDecimals(x)).toBe(x.toFixed(2).replace(/^-(0\.00)$/, '$1'))
      }),
    )
  })

  it('writes only digits, a point and a minus sign, so its text needs no HTML escaping', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => /^-?\d+\.\d\d$|^-?\d(\.\d+)?e\+\d+$/.test(twoDecimals(x))))
  })
})

describe('the stock tables', () => {
  it('shows a stock row with two-decimal numbers, percent signs and an escaped name', () => {
    expect(stocksTable([stock])).toContain(
      '<tr><td>7</td><td>600519</td><td>A&amp;B</td><td>-1.50%</td><td>0.05%</td><td>1234.50</td><td>1300.00</td><td>2017-07-18</td>' +
        '<td><form method="post" action="/add/600519.html"><button type="submit">Follow</button></form></td></tr>',
    )
  })

  it('shows a followed row with its note and an unfollow button', () => {
    expect(followedTable([{ ...stock, note: 'hold' }])).toContain('<td>hold</td><td><form method="post" action="/del/600519.html">')
  })

  it('renders an empty stock table as a table without rows', () => {
    expect(stocksTable([])).not.toContain('<tr><td>')
  })
})
