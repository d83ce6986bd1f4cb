// The open-loop client's own timing against the null server, with and without realtime scheduling
// (README "How the client keeps time"). Run from the repository root after `npm run build`, under
// the same V8 flags as the load worker (bench/clients/load-session.ts LOAD_WORKER_V8_FLAGS):
//   node --initial-old-space-size=256 --single-threaded-gc results/open-loop/client-timing/measure.mjs
// It writes <UTC time>.json here: per scheduling, mode and rate, the client's lateness, latency and
// service percentiles (µs), its CPU and event-loop share, and its client-lagging verdict.
import { writeFileSync } from 'node:fs'
import { execSync } from 'node:child_process'
import os from 'node:os'
import { startServerProcess } from '../../../dist/bench/driver/server-process.js'
import { runOpenLoop } from '../../../dist/bench/clients/open-loop-client.js'
import { defaultDocRoot, nullServerEntry } from '../../../dist/bench/host/paths.js'

const DURATION_SEC = 3
const WARMUP_SEC = 0.5
const plan = [
  ...[true, false].flatMap((realtime) => [1000, 2000, 4000, 8000, 16000, 24000].map((rate) => ({ realtime, mode: 'keepalive', rate }))),
  ...[true, false].flatMap((realtime) => [500, 1000, 2000].map((rate) => ({ realtime, mode: 'close', rate }))),
]
const server = await startServerProcess({ entry: nullServerEntry(), args: ['--port=0', `--root=${defaultDocRoot()}`] })
const points = []
try {
  // one unmeasured run first: the client's code is compiled before anything is recorded
  await runOpenLoop({ origin: server.origin, method: 'GET', path: '/hello', headers: {}, mode: 'keepalive', rate: 2000, arrivals: 'poisson', durationSec: 1, warmupSec: 0.3, maxConnections: 256, timeoutMs: 2000, seed: 1 })
  for (const { realtime, mode, rate } of plan) {
    const meter = server.measure()
    const r = await runOpenLoop({ origin: server.origin, method: 'GET', path: '/hello', headers: {}, mode, rate, arrivals: 'poisson', durationSec: DURATION_SEC, warmupSec: WARMUP_SEC, maxConnections: 256, timeoutMs: 2000, seed: 1 }, { realtime })
    const usage = await meter.stop()
    const point = {
      scheduling: r.clientScheduling, mode, rate, achievedRate: Math.round(r.achievedRate), requests: r.requests,
      latenessUs: r.latenessUs, latencyUs: r.latencyUs, serviceUs: r.serviceUs, connectionsUsed: r.connectionsUsed,
      clientCpuShare: r.clientCpuSec / (DURATION_SEC + WARMUP_SEC), clientEventLoopBusy: r.clientEventLoopBusy,
      nullServerCpuShare: (usage?.cpuSec ?? 0) / (DURATION_SEC + WARMUP_SEC), clientLagging: r.clientLagging ?? null,
    }
    points.push(point)
    console.log(`${point.scheduling} ${mode} ${rate}/s: lateness p50 ${r.latenessUs.p50} p99 ${r.latenessUs.p99} max ${r.latenessUs.max} µs; latency p50 ${r.latencyUs.p50} p99 ${r.latencyUs.p99} µs ${r.clientLagging ?? ''}`)
  }
} finally {
  await server.stop()
}
const commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim()
const at = new Date().toISOString()
const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGiB: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version, kernel: os.release(), loadAverageAtEnd: os.loadavg()[0] }
const file = new URL(`./${at.slice(0, 19).replace(/:/g, '-')}Z-${commit}.json`, import.meta.url)
writeFileSync(file, JSON.stringify({ what: 'open-loop client timing against the null server', at, commit, machine, durationSec: DURATION_SEC, warmupSec: WARMUP_SEC, arrivals: 'poisson', seed: 1, points }, null, 2) + '\n')
console.log(`written ${file.pathname}`)
