// The frame of a panel with two logarithmic axes and a band above the plot for points that are no
// number (no answer, client lagging): title, band, decade grid lines with labels, axis titles, and
// the two scales. probe-p99-lines.ts and latency-load-lines.ts draw their series into it.

import { formatUs } from '../format.js'
import { GRID, INK, MUTED, decades, line, round, text } from './svg.js'

export const TITLE_H = 26
export const BAND_H = 24
export const AXIS_H = 40

export interface LogPanelSpec {
  /** Top-left corner of the panel, and the plot's left offset inside it. */
  x: number
  y: number
  leftOffset: number
  plotW: number
  plotH: number
  title: string
  /** The band above the plot: its label and colours. */
  band: { label: string; fill: string; ink: string }
  /** Data ranges; each axis covers the decades around them. */
  xRange: [number, number]
  yRangeUs: [number, number]
  formatX: (value: number) => string
  xTitle: string
  yTitle: string
}

export interface LogPanel {
  out: string[]
  logX: (value: number) => number
  logY: (us: number) => number
  /** Pixel rows: the band's top, and the plot's top and bottom; the plot's left edge. */
  bandTop: number
  top: number
  bottom: number
  left: number
  xTicks: number[]
}

export function logPanel(s: LogPanelSpec): LogPanel {
  const bandTop = s.y + TITLE_H
  const top = bandTop + BAND_H
  const bottom = top + s.plotH
  const left = s.x + s.leftOffset
  const xTicks = decades(s.xRange[0], s.xRange[1])
  const yTicks = decades(s.yRangeUs[0], s.yRangeUs[1])
  const scale = (ticks: number[], v: number): number => (Math.log10(v) - Math.log10(ticks[0]!)) / (Math.log10(ticks[ticks.length - 1]!) - Math.log10(ticks[0]!))
  const logX = (v: number): number => left + 12 + scale(xTicks, v) * (s.plotW - 24)
  const logY = (us: number): number => bottom - scale(yTicks, Math.max(us, 1)) * s.plotH
  const out: string[] = [text(left, s.y + 16, s.title, { size: 13, weight: 'bold' })]
  out.push(`<rect x="${round(left)}" y="${round(bandTop + 2)}" width="${s.plotW}" height="${BAND_H - 6}" fill="${s.band.fill}"/>`)
  out.push(text(left - 5, bandTop + 15, s.band.label, { size: 9, anchor: 'end', fill: s.band.ink }))
  for (const t of yTicks) {
    out.push(line(left, logY(t), left + s.plotW, logY(t), GRID))
    out.push(text(left - 5, logY(t) + 4, formatUs(t), { size: 10, anchor: 'end', fill: MUTED }))
  }
  for (const v of xTicks) {
    out.push(line(logX(v), top, logX(v), bottom, GRID))
    out.push(text(logX(v), bottom + 15, s.formatX(v), { size: 10, anchor: 'middle', fill: MUTED }))
  }
  out.push(line(left, bottom, left + s.plotW, bottom, INK))
  out.push(text(left + s.plotW / 2, bottom + 32, s.xTitle, { size: 11, anchor: 'middle', fill: MUTED }))
  out.push(text(s.x + 12, top + s.plotH / 2, s.yTitle, { size: 10, anchor: 'middle', fill: MUTED, rotate: -90 }))
  return { out, logX, logY, bandTop, top, bottom, left, xTicks }
}
