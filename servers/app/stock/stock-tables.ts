// The HTML tables of the stock pages. Every value goes through escapeHtml, numbers included
// (they are formatted first, so the page shows exactly two decimals as the database stores them).

import type { FollowedStock, Stock } from '../repositories/stock-repository.js'
import { escapeHtml } from './escape-html.js'

const money = (x: number): string => escapeHtml(x.toFixed(2))
const percent = (x: number): string => escapeHtml(`${x.toFixed(2)}%`)

/** A form button posting to /add/<code>.html or /del/<code>.html. */
function writeButton(action: 'add' | 'del', code: string, label: string): string {
  return `<form method="post" action="/${action}/${escapeHtml(code)}.html"><button type="submit">${label}</button></form>`
}

const STOCK_HEAD =
  '<thead><tr><th>#</th><th>Code</th><th>Name</th><th>Change</th><th>Turnover</th><th>Price</th><th>High</th><th>Date</th><th></th></tr></thead>'

/** All stocks, one row each, with a follow button. */
export function stocksTable(stocks: readonly Stock[]): string {
  let rows = ''
  for (const s of stocks) {
    rows +=
      `<tr><td>${escapeHtml(s.id)}</td><td>${escapeHtml(s.code)}</td><td>${escapeHtml(s.short)}</td>` +
      `<td>${percent(s.chg)}</td><td>${percent(s.turnover)}</td><td>${money(s.price)}</td><td>${money(s.highs)}</td>` +
      `<td>${escapeHtml(s.time)}</td><td>${writeButton('add', s.code, 'Follow')}</td></tr>\n`
  }
  return `<table class="stocks">${STOCK_HEAD}<tbody>\n${rows}</tbody></table>`
}

const FOLLOWED_HEAD =
  '<thead><tr><th>Code</th><th>Name</th><th>Change</th><th>Turnover</th><th>Price</th><th>High</th><th>Note</th><th></th></tr></thead>'

/** The followed stocks with their notes and an unfollow button; a sentence when there are none. */
export function followedTable(stocks: readonly FollowedStock[]): string {
  if (stocks.length === 0) return '<p class="empty">No followed stocks yet: follow some on <a href="/stocks.html">the stock list</a>.</p>'
  let rows = ''
  for (const s of stocks) {
    rows +=
      `<tr><td>${escapeHtml(s.code)}</td><td>${escapeHtml(s.short)}</td><td>${percent(s.chg)}</td>` +
      `<td>${percent(s.turnover)}</td><td>${money(s.price)}</td><td>${money(s.highs)}</td>` +
      `<td>${escapeHtml(s.note)}</td><td>${writeButton('del', s.code, 'Unfollow')}</td></tr>\n`
  }
  return `<table class="followed">${FOLLOWED_HEAD}<tbody>\n${rows}</tbody></table>`
}
