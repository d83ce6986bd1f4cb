// A second load driver: wrk (C, epoll), for the top end where a JS client runs out of CPU first.
// `wrk -t1 -c<N> -d<D>s --latency`, plus `-H 'Connection: close'` in close mode: wrk checks
// http_should_keep_alive after recording each response and reconnects, so it measures
// close-per-request correctly (research/bench-anchors.md §0); its latency excludes connect time.
// A small Lua script sets method, headers and body, pipelines when asked (TechEmpower's
// pipeline.lua approach) and prints exact numbers from done(): wrk's text output rounds
// ("7.68MB read") and has no p99.9.
//
// Latency comes from wrk's whole distribution, printed by done() as well, its coordinated-omission
// fill undone, as raw closed-loop latency in a mergeable HDR histogram (wrk-distribution.ts).
//
// wrk's own rules, reported as they are: its non-2xx count is "status > 399" (3xx are not counted);
// -d and --timeout take whole seconds, so durations round to the nearest second (at least 1) and
// timeouts round up; when the very first connection is refused wrk exits at once ("unable to
// connect"), which is reported as one connect error, not thrown.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { loadTarget } from './load-target.js'
import { emptyLatencySummary } from '../stats/latency-histogram.js'
import type { LoadClient } from './load-client.js'
import { distributionLua, wrkLatency } from './wrk-distribution.js'
import type { LatencySummary, LoadResult, LoadSpec } from '../types.js'

export const WRK_PATH = '/usr/bin/wrk'
const MARKER = 'HTTPMODELS-WRK '

/** Lua string literal with every byte outside printable ASCII (and quote, backslash) as a \ddd escape. */
function luaString(value: string): string {
  let out = '"'
  for (const byte of Buffer.from(value)) {
    const printable = byte >= 0x20 && byte < 0x7f && byte !== 0x22 && byte !== 0x5c
    out += printable ? String.fromCharCode(byte) : `\\${byte.toString().padStart(3, '0')}`
  }
  return out + '"'
}

export function wrkScript(spec: LoadSpec): string {
  const lines = [`wrk.method = ${luaString(spec.method)}`]
  if (spec.body !== undefined) lines.push(`wrk.body = ${luaString(spec.body)}`)
  for (const [name, value] of Object.entries(spec.headers)) {
    if (name.toLowerCase() !== 'connection') lines.push(`wrk.headers[${luaString(name)}] = ${luaString(value)}`)
  }
  if (spec.requests !== undefined && spec.requests.length > 0) {
    // A request cycle (the write scenario). wrk calls request() per request of a thread, so with
    // -t1 and one connection the cycle is followed exactly; over several connections the turns
    // interleave between them.
    const entries = spec.requests.map((r) => {
      const headers = Object.entries({ ...spec.headers, ...r.headers })
        .filter(([name]) => name.toLowerCase() !== 'connection')
        .map(([name, value]) => `[${luaString(name)}] = ${luaString(value)}`)
      // wrk.format's own headers replace wrk.headers (and with them -H), so close mode says so here
      if (spec.mode === 'close') headers.push(`["Connection"] = "close"`)
      const body = r.body === undefined ? 'nil' : luaString(r.body)
      return `wrk.format(${luaString(r.method)}, ${luaString(r.path)}, { ${headers.join(', ')} }, ${body})`
    })
    lines.push(
      'init = function(args)',
      `  cycle = { ${entries.join(', ')} }`,
      // wrk calls request() once after init to check the request parses (src/script.c
      // script_verify_request, from main() for thread 0): start one short of the end, so that
      // check takes the last entry and the first request sent is the first entry
      '  turn = #cycle - 1',
      'end',
      'request = function() turn = turn % #cycle + 1; return cycle[turn] end',
    )
  } else if (spec.pipelining > 1) {
    lines.push(
      'init = function(args)',
      '  local batch = {}',
      `  for i = 1, ${spec.pipelining} do batch[i] = wrk.format() end`,
      '  pipelined = table.concat(batch)',
      'end',
      'request = function() return pipelined end',
    )
  }
  const fields = ['requests', 'duration', 'bytes', 'connect', 'read', 'write', 'status', 'timeout', 'p50', 'p90', 'p99', 'p999', 'max']
  const format = `"connections":${spec.connections},` + fields.map((field) => `"${field}":%d`).join(',') + ',"mean":%.3f'
  lines.push(
    'done = function(summary, latency, requests)',
    `  io.write(string.format(${luaString(MARKER + '{' + format + '}\n')},`,
    '    summary.requests, summary.duration, summary.bytes,',
    '    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout,',
    '    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),',
    '    latency.max, latency.mean))',
    ...distributionLua(),
    'end',
  )
  return lines.join('\n') + '\n'
}

export interface WrkNumbers {
  requests: number
  durationSec: number
  bytesRead: number
  socketErrors: { connect: number; read: number; write: number; timeout: number }
  non2xx: number
  latencyUs: LatencySummary
}

const UNIT_US: Record<string, number> = { us: 1, ms: 1000, s: 1_000_000 }
const UNIT_BYTES: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 }

/**
 * The numbers of one wrk run. Exact ones from the done() line when present; otherwise from the
 * human text (rounded: bytes to 3 digits, percentiles 50/90/99 only, p99.9 and mean unknown).
 * Returns null when the output holds neither.
 */
export function parseWrkOutput(text: string): WrkNumbers | null {
  const markerAt = text.indexOf(MARKER)
  if (markerAt >= 0) {
    const line = text.slice(markerAt + MARKER.length).split('\n', 1)[0]!
    const n = JSON.parse(line) as Record<string, number>
    return {
      requests: n.requests!,
      durationSec: n.duration! / 1e6,
      bytesRead: n.bytes!,
      socketErrors: { connect: n.connect!, read: n.read!, write: n.write!, timeout: n.timeout! },
      non2xx: n.status!,
      latencyUs: n.requests === 0
        ? emptyLatencySummary('wrk latency stats, µs')
        : wrkLatency(text, {
          runtimeUs: n.duration!, requests: n.requests!, connections: n.connections,
          filled: { p50: n.p50!, p90: n.p90!, p99: n.p99!, p999: n.p999!, max: n.max!, mean: n.mean!, source: '' },
        }),
    }
  }
  const total = /(\d+) requests in ([\d.]+)(us|ms|s|m), ([\d.]+)(B|KB|MB|GB|TB) read/.exec(text)
  if (total === null) return null
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text)
  const status = /Non-2xx or 3xx responses: (\d+)/.exec(text)
  const percentile = (p: number): number => {
    const match = new RegExp(`\\n\\s+${p}%\\s+([\\d.]+)(us|ms|s)`).exec(text)
    return match === null ? 0 : Math.round(Number(match[1]) * UNIT_US[match[2]!]!)
  }
  const max = /Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)/.exec(text)
  const durationUnit: Record<string, number> = { us: 1e-6, ms: 1e-3, s: 1, m: 60 }
  return {
    requests: Number(total[1]),
    durationSec: Number(total[2]) * durationUnit[total[3]!]!,
    bytesRead: Math.round(Number(total[4]) * UNIT_BYTES[total[5]!]!),
    socketErrors: socket === null
      ? { connect: 0, read: 0, write: 0, timeout: 0 }
      : { connect: Number(socket[1]), read: Number(socket[2]), write: Number(socket[3]), timeout: Number(socket[4]) },
    non2xx: status === null ? 0 : Number(status[1]),
    latencyUs: {
      p50: percentile(50), p90: percentile(90), p99: percentile(99), p999: 0,
      max: max === null ? 0 : Math.round(Number(max[1]) * UNIT_US[max[2]!]!),
      mean: 0,
      source: 'wrk --latency text (p99.9 and mean not printed)',
    },
  }
}

export function wrkArgs(spec: LoadSpec, scriptPath: string): string[] {
  const target = loadTarget(spec.origin)
  const args = [
    '-t1', `-c${spec.connections}`, `-d${Math.max(1, Math.round(spec.durationSec))}s`,
    '--timeout', `${Math.max(1, Math.ceil(spec.timeoutMs / 1000))}s`, '--latency', '-s', scriptPath,
  ]
  if (spec.mode === 'close') args.push('-H', 'Connection: close')
  args.push(`http://${target.hostHeader}${spec.path}`)
  return args
}

export const wrkClient: LoadClient = {
  name: 'wrk',
  modes: ['keepalive', 'close'],
  unavailable: () => (existsSync(WRK_PATH) ? null : `${WRK_PATH} is not installed (apt-get install wrk)`),
  run: (spec) => runWrk(spec),
}

export async function runWrk(spec: LoadSpec): Promise<LoadResult> {
  if (!existsSync(WRK_PATH)) throw new Error(`wrk driver asked for, but ${WRK_PATH} is not installed (apt-get install wrk), or choose driver 'autocannon' / 'close-client'`)
  const dir = await mkdtemp(join(tmpdir(), 'httpmodels-wrk-'))
  try {
    const scriptPath = join(dir, 'load.lua')
    await writeFile(scriptPath, wrkScript(spec))
    const start = performance.now()
    const { stdout, stderr, code } = await runProcess(WRK_PATH, wrkArgs(spec, scriptPath))
    const wallSec = (performance.now() - start) / 1000
    const numbers = parseWrkOutput(stdout)
    if (numbers === null) {
      if (/unable to connect/.test(stdout + stderr)) return refused(spec, wallSec)
      throw new Error(`wrk exited with code ${code} and no results: ${(stderr || stdout).trim().slice(0, 500)}`)
    }
    const { socketErrors } = numbers
    return {
      driver: 'wrk',
      mode: spec.mode,
      durationSec: numbers.durationSec,
      requests: numbers.requests,
      requestsPerSec: numbers.durationSec > 0 ? numbers.requests / numbers.durationSec : 0,
      non2xx: numbers.non2xx,
      errors: socketErrors.connect + socketErrors.read + socketErrors.write,
      timeouts: socketErrors.timeout,
      bytesRead: numbers.bytesRead,
      latencyUs: numbers.latencyUs,
      clientCpuSec: 0, // measured by the process that runs wrk (run-load)
      perSecond: [], // wrk reports no per-second counts
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

function refused(spec: LoadSpec, wallSec: number): LoadResult {
  return {
    driver: 'wrk', mode: spec.mode, durationSec: wallSec, requests: 0, requestsPerSec: 0, non2xx: 0,
    errors: 1, timeouts: 0, bytesRead: 0, latencyUs: emptyLatencySummary('wrk latency stats, µs'),
    clientCpuSec: 0, perSecond: [],
  }
}

function runProcess(file: string, args: string[]): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
    child.on('error', reject)
    child.on('close', (code) => resolve({ stdout, stderr, code }))
  })
}
