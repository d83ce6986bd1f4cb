// An ad-hoc check beside the slow-reader runs (not part of the harness): N connections each ask for
// COPIES pipelined copies of the 300 KiB large.bin and read nothing, so each is owed far more than
// the kernel's socket buffers take (~4 MiB a connection on loopback here). A server that held the
// rest per client would grow by about COPIES x 300 KiB a connection; one with back-pressure does not.
// Usage, from the repository root after npm run build: node results/crowds/slow-reader/pipelined-rss.mjs MODEL [N=20] [COPIES=30]
import { spawn, execSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import net from 'node:net'
const [model, conns = '20', copies = '30'] = process.argv.slice(2)
const child = spawn(process.execPath, ['dist/servers/serve.js', '--port=0', '--host=127.0.0.1', `--model=${model}`, '--keep-alive-timeout-ms=60000'], { stdio: ['ignore', 'pipe', 'pipe'], cwd: process.cwd() })
const port = await new Promise((r) => child.stdout.on('data', (d) => { const m = /:(\d+)\b/.exec(String(d)); if (m) r(Number(m[1])) }))
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const tree = (pid) => { const out = execSync(`ps -o pid= --ppid ${pid} || true`).toString().trim().split(/\s+/).filter(Boolean).map(Number); return [pid, ...out.flatMap(tree)] }
const rss = () => tree(child.pid).reduce((s, pid) => { try { return s + Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) } catch { return s } }, 0) / 1024
const tcpKiB = () => Number(/TCP: .* mem (\d+)/.exec(readFileSync('/proc/net/sockstat', 'utf8'))[1]) * 4
await sleep(500)
const before = rss(), tcpBefore = tcpKiB()
const sockets = []
for (let i = 0; i < Number(conns); i++) {
  const s = net.connect({ port, host: '127.0.0.1' })
  s.on('error', () => {})
  s.pause()
  s.write('GET /large.bin HTTP/1.1\r\nHost: t\r\n\r\n'.repeat(Number(copies)))
  sockets.push(s)
}
await sleep(4000)
const held = rss(), tcp = tcpKiB()
console.log(`${model}: ${conns} conns × ${copies} pipelined large.bin (${(Number(conns) * Number(copies) * 300 / 1024).toFixed(0)} MiB asked): server RSS ${before.toFixed(0)} → ${held.toFixed(0)} MiB (+${((held - before) / Number(conns) * 1024).toFixed(0)} KiB per conn); kernel TCP +${((tcp - tcpBefore) / Number(conns)).toFixed(0)} KiB per conn`)
for (const s of sockets) s.destroy()
child.kill('SIGKILL')
process.exit(0)
