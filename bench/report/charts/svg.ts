// The few SVG pieces every chart shares, hand-written (no dependency): escaping, one colour per
// model that stays the same in every chart, nice axis ticks, text, a legend, and the document
// wrapper. Charts are plain strings so they can be diffed and tested as XML.

import { MODEL_NAMES } from '../../../servers/models/names.js'

export const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"'
export const INK = '#222'
export const MUTED = '#666'
export const GRID = '#e3e3e3'
export const FAIL = '#c0392b'

/**
 * Tableau 10, in the course's order: the fast single-process models in blue/green, the ones that
 * pay per connection in warm colours, the reference (not ours) in neutral grey.
 */
const MODEL_COLORS: Record<string, string> = {
  blocking: '#e15759',
  fork: '#b07aa1',
  prefork: '#f28e2b',
  threads: '#c9a400',
  nonblocking: '#76b7b2',
  eventloop: '#4e79a7',
  coroutines: '#59a14f',
  'node-http': '#8c8c8c',
}
const SPARE = ['#9c755f', '#ff9da7', '#17becf', '#bcbd22']

export function modelColor(model: string): string {
  const known = MODEL_COLORS[model]
  if (known !== undefined) return known
  let hash = 0
  for (const ch of model) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0
  return SPARE[hash % SPARE.length]!
}

/** Models in the project's canonical order first, unknown ones after in first-seen order. */
export function orderModels(models: Iterable<string>): string[] {
  const seen = [...new Set(models)]
  const rank = (m: string): number => {
    const i = (MODEL_NAMES as readonly string[]).indexOf(m)
    return i === -1 ? MODEL_NAMES.length + seen.indexOf(m) : i
  }
  return seen.sort((a, b) => rank(a) - rank(b))
}

export const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

export const round = (n: number): string => String(Math.round(n * 10) / 10)

/** Ticks 0, step, 2·step… covering max with 3–6 intervals, step a 1/2/5 × 10ⁿ number. */
export function niceTicks(max: number): number[] {
  if (!(max > 0)) return [0, 1]
  const rough = max / 4
  const power = 10 ** Math.floor(Math.log10(rough))
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => max / s <= 5) ?? 10 * power
  const ticks: number[] = []
  for (let v = 0; v < max + step * 0.999; v += step) ticks.push(Math.round(v * 1e6) / 1e6)
  return ticks
}

export interface TextOptions {
  size?: number
  anchor?: 'start' | 'middle' | 'end'
  fill?: string
  weight?: 'normal' | 'bold'
  rotate?: number
}

export function text(x: number, y: number, content: string, o: TextOptions = {}): string {
  const rotate = o.rotate === undefined ? '' : ` transform="rotate(${o.rotate} ${round(x)} ${round(y)})"`
  return `<text x="${round(x)}" y="${round(y)}" font-size="${o.size ?? 12}" text-anchor="${o.anchor ?? 'start'}" fill="${o.fill ?? INK}"${o.weight === 'bold' ? ' font-weight="bold"' : ''}${rotate}>${esc(content)}</text>`
}

export const line = (x1: number, y1: number, x2: number, y2: number, stroke: string, width = 1, dash?: string): string =>
  `<line x1="${round(x1)}" y1="${round(y1)}" x2="${round(x2)}" y2="${round(y2)}" stroke="${stroke}" stroke-width="${width}"${dash === undefined ? '' : ` stroke-dasharray="${dash}"`}/>`

/** One legend row of coloured swatches with names, starting at (x, y); returns the SVG and its width. */
export function legend(x: number, y: number, entries: Array<{ label: string; swatch: string }>): { svg: string; width: number } {
  let cx = x
  const parts: string[] = []
  for (const e of entries) {
    parts.push(`<g transform="translate(${round(cx)} ${round(y)})">${e.swatch}${text(18, 10, e.label, { size: 12 })}</g>`)
    cx += 28 + e.label.length * 7
  }
  return { svg: parts.join(''), width: cx - x }
}

export const swatch = (color: string): string => `<rect x="0" y="0" width="12" height="12" rx="2" fill="${color}"/>`

/** Diagonal hatching in a colour, for "the other mode" and failed placeholders. */
export function hatchPattern(id: string, color: string): string {
  return `<pattern id="${id}" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="${color}" stroke-width="3"/></pattern>`
}

export function document(width: number, height: number, title: string, body: string[], defs: string[] = []): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${round(width)}" height="${round(height)}" viewBox="0 0 ${round(width)} ${round(height)}" ${FONT}>`,
    `<title>${esc(title)}</title>`,
    defs.length > 0 ? `<defs>${defs.join('')}</defs>` : '',
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n')
}

/** Decades covering [lo, hi] (at least one), for logarithmic axes. */
export function decades(lo: number, hi: number): number[] {
  const from = Math.floor(Math.log10(Math.max(lo, 1e-9)))
  const to = Math.max(from + 1, Math.ceil(Math.log10(Math.max(hi, lo * 10))))
  return Array.from({ length: to - from + 1 }, (_, i) => 10 ** (from + i))
}

/** Safe id fragment for pattern ids. */
export const idOf = (s: string): string => s.replace(/[^a-zA-Z0-9]/g, '_')
