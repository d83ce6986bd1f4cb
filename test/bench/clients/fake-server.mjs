// A stand-in for the serve CLI in the server-process tests: prints the same ready line, and
// misbehaves on request so every path of startServerProcess/stop/measure can be exercised.
//   --port=N --host=H     where to listen (0 = any free port)
//   --fail                exit 3 with a message on stderr before listening
//   --silent              listen but never print the ready line
//   --ignore-term         ignore SIGTERM (stop() must fall back to SIGKILL)
//   --title=T             set process.title (a comm with spaces and parentheses)
//   --children=N          fork N workers that exit when the parent goes away (like cluster workers)
//   --orphan              spawn a detached child that outlives the parent (stop() must kill it)
// HTTP: GET /burn?ms=N burns CPU here; /burn-exit?ms=N burns in a child that then exits (its CPU
// lands in our cutime); /burn-live?ms=N burns in a child that stays alive afterwards; /pids lists children.
import { fork, spawn } from 'node:child_process'
import http from 'node:http'

const args = process.argv.slice(2)
const flag = (name) => args.includes(`--${name}`)
const option = (name) => args.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3)

/** Burns `ms` of this process's CPU time (not wall time: on a busy machine the two differ a lot). */
function burn(ms) {
  const start = process.cpuUsage()
  let x = 0
  for (;;) {
    for (let i = 0; i < 10_000; i++) x += Math.sqrt(x + i)
    const used = process.cpuUsage(start)
    if (used.user + used.system >= ms * 1000) return x
  }
}

if (args[0] === 'worker') {
  // A worker: alive until the parent's IPC channel closes, like a cluster worker.
  process.on('disconnect', () => process.exit(0))
  process.send('ready')
  setInterval(() => {}, 1000)
} else if (args[0] === 'burn-then-exit') {
  burn(Number(args[1]))
  process.exit(0)
} else if (args[0] === 'burn-then-stay') {
  burn(Number(args[1]))
  process.send?.('burnt')
  process.on('disconnect', () => process.exit(0))
  setInterval(() => {}, 1000)
} else if (args[0] === 'orphan') {
  setInterval(() => {}, 1000) // ignores the parent entirely
} else {
  void main()
}

async function main() {
  if (flag('fail')) {
    process.stderr.write('fake-server: cannot open the database at mysql://nowhere\n')
    process.exit(3)
  }
  if (option('title') !== undefined) process.title = option('title')
  if (flag('ignore-term')) process.on('SIGTERM', () => {})
  const children = []
  for (let i = 0; i < Number(option('children') ?? 0); i++) children.push(fork(new URL(import.meta.url).pathname, ['worker']))
  // Ready only when every worker listens for its parent going away, as a cluster primary waits for 'listening'.
  await Promise.all(children.map((child) => new Promise((resolve) => child.once('message', resolve))))
  if (flag('orphan')) {
    const orphan = spawn(process.execPath, [new URL(import.meta.url).pathname, 'orphan'], { detached: true, stdio: 'ignore' })
    orphan.unref()
    children.push(orphan)
  }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x')
    const ms = Number(url.searchParams.get('ms') ?? 0)
    if (url.pathname === '/burn') {
      burn(ms)
      res.end('burnt')
    } else if (url.pathname === '/burn-exit') {
      const child = fork(new URL(import.meta.url).pathname, ['burn-then-exit', String(ms)])
      child.on('exit', () => res.end('child burnt and exited'))
    } else if (url.pathname === '/burn-live') {
      const child = fork(new URL(import.meta.url).pathname, ['burn-then-stay', String(ms)])
      children.push(child)
      child.once('message', () => res.end('child burnt and stays'))
    } else if (url.pathname === '/pids') {
      res.end(JSON.stringify(children.map((child) => child.pid)))
    } else {
      res.end('fake')
    }
  })
  server.listen(Number(option('port') ?? 0), option('host') ?? '127.0.0.1', () => {
    const { address, port } = server.address()
    process.stderr.write('fake-server: starting\n')
    if (!flag('silent')) process.stdout.write(`fake-server listening on http://${address}:${port}\n`)
  })
  process.on('SIGTERM', () => {
    if (flag('ignore-term')) return
    server.close(() => process.exit(0))
    server.closeAllConnections()
  })
}
