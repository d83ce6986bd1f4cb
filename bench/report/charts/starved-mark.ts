// How the charts draw a cell that starved connections (report/fairness-summary.ts): its req/s came
// from the connections it served, so it is never drawn as a plain value — a bar is a pale outline
// dashed in red with "✗ k/n" and "starved" above it, a point is a hollow red ring that breaks its line.

import { FAIL, esc, round, text } from './svg.js'

/** The bar of a starved cell, `w` wide and `h` high at x = `x` above `bottom`. */
export function starvedBar(x: number, bottom: number, w: number, h: number, bar: { cell: string; tooltip: string; fill: string; starved: string }): string {
  return `<g class="bar starved" data-cell="${esc(bar.cell)}"><title>${esc(bar.tooltip)}</title>`
    + `<rect x="${round(x)}" y="${round(bottom - h)}" width="${w}" height="${round(h)}" fill="${bar.fill}" fill-opacity="0.3" stroke="${FAIL}" stroke-width="1.5" stroke-dasharray="3 2"/>`
    // two short lines, not one long one, so the label stays near its own bar
    + bar.starved.split('\n').reverse().map((part, i) => text(x + w / 2, bottom - h - 4 - i * 10, part, { size: 9, anchor: 'middle', fill: FAIL, weight: 'bold' })).join('')
    + '</g>'
}

/** The point of a starved cell in a line chart. */
export function starvedPoint(x: number, y: number, cell: string, title: string): string {
  return `<g class="point starved" data-cell="${esc(cell)}"><title>${esc(title)}</title><circle cx="${round(x)}" cy="${round(y)}" r="4" fill="#fff" stroke="${FAIL}" stroke-width="2"/></g>`
}

/** The legend entry for either. */
export const STARVED_LEGEND = {
  label: '✗ starved k/n: req/s from the served connections only',
  swatch: `<rect width="12" height="12" fill="#fff" stroke="${FAIL}" stroke-width="1.5" stroke-dasharray="3 2"/>`,
}
