// Number formatting shared by the tables, the Markdown report and the charts, so one value reads
// the same everywhere: latency with its unit chosen by size, throughput with thousands separators.

export function formatRps(n: number): string {
  if (!Number.isFinite(n)) return '–'
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1)
}

/** Compact req/s for chart labels: 950, 9.5k, 95k, 1.2M. */
export function formatRpsShort(n: number): string {
  const trim = (s: string): string => s.replace(/\.0$/, '')
  if (n >= 1e6) return `${trim((n / 1e6).toFixed(1))}M`
  if (n >= 1e4) return `${Math.round(n / 1e3)}k`
  if (n >= 1e3) return `${trim((n / 1e3).toFixed(1))}k`
  return n >= 10 ? String(Math.round(n)) : trim(n.toFixed(1))
}

/** µs → "87 µs", "1.25 ms", "2.10 s". */
export function formatUs(us: number): string {
  if (!Number.isFinite(us)) return '–'
  if (us < 1000) return `${Math.round(us)} µs`
  if (us < 1e6) return `${(us / 1000).toFixed(us < 1e4 ? 2 : 1)} ms`
  return `${(us / 1e6).toFixed(2)} s`
}

export const formatRatio = (r: number | undefined): string => (r === undefined ? 'n/a' : `${r.toFixed(2)}×`)

export const formatMiB = (bytes: number | undefined): string => (bytes === undefined ? '–' : `${(bytes / 2 ** 20).toFixed(0)} MiB`)

/** CPU-seconds per 1,000 requests with three significant digits (0.00712). */
/**
 * A size that may be a few hundred bytes or a whole process: KiB below 1 MiB, MiB from there (a fork
 * child per connection is ~54 MiB; "55296.0 KiB" hid that). Below ±0.5 KiB it reads "≈ 0". A
 * machine-wide counter (`noisy`) can fall while others release memory: below zero it is noise, and
 * says so.
 */
export function formatBytes(bytes: number | null | undefined, noisy = false): string {
  if (bytes == null) return '–'
  if (Math.abs(bytes) < 512) return '≈ 0 KiB'
  if (noisy && bytes < 0) return '≈ 0 (noise)'
  return Math.abs(bytes) < 2 ** 20 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 2 ** 20).toFixed(1)} MiB`
}

export const formatCpuPer1k = (s: number | undefined): string => (s === undefined ? '–' : s.toPrecision(3))

export const formatShare = (share: number | undefined): string => (share === undefined ? '–' : `${Math.round(share * 100)}%`)

/** "1:05" for 65 s. */
export function formatClock(sec: number): string {
  const s = Math.max(0, Math.round(sec))
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
}
