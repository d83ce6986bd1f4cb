// Two "hosts" on one machine: network namespaces joined by a veth pair, addressed from
// 198.18.0.0/15 (RFC 2544's benchmarking range, the only range besides loopback the bench may load:
// bench/clients/load-target.ts). Everything is named after this process, created by create() and
// deleted by destroy() — also from an exit hook, so a crashed test leaves no namespace behind.
// Needs root, iproute2 (`ip`) and a kernel that allows namespaces; whyNot() says what is missing.
import { spawnSync } from 'node:child_process'

export interface TwoHosts {
  server: { netns: string; address: string }
  driver: { netns: string; address: string }
  /** The server side's end of the veth pair (inside the server namespace). */
  serverLink: string
}

const run = (args: string[]): { ok: boolean; out: string } => {
  const r = spawnSync('ip', args, { encoding: 'utf8' })
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error?.message ?? ''}`.trim() }
}

/** Why two namespaces cannot be made here, or null (tried by making and deleting one). */
export function whyNot(): string | null {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`
  if (process.getuid?.() !== 0) return 'making network namespaces needs root'
  const probe = `hmprobe${process.pid}`
  const made = run(['netns', 'add', probe])
  if (!made.ok) return `\`ip netns add\` failed: ${made.out || 'is iproute2 installed?'}`
  run(['netns', 'del', probe])
  return null
}

const live = new Set<string>()
let hooked = false

export function create(): TwoHosts {
  const id = `${process.pid % 1_000_000}`
  const hosts: TwoHosts = {
    server: { netns: `hm${id}srv`, address: '198.18.0.1' },
    driver: { netns: `hm${id}drv`, address: '198.18.0.2' },
    // interface names are at most 15 bytes (IFNAMSIZ)
    serverLink: `hmv${id}s`,
  }
  const driverLink = `hmv${id}d`
  if (!hooked) {
    hooked = true
    process.once('exit', () => { for (const netns of live) run(['netns', 'del', netns]) })
  }
  const steps: string[][] = [
    ['netns', 'add', hosts.server.netns],
    ['netns', 'add', hosts.driver.netns],
    ['link', 'add', hosts.serverLink, 'type', 'veth', 'peer', 'name', driverLink],
    ['link', 'set', hosts.serverLink, 'netns', hosts.server.netns],
    ['link', 'set', driverLink, 'netns', hosts.driver.netns],
    ['-n', hosts.server.netns, 'addr', 'add', `${hosts.server.address}/30`, 'dev', hosts.serverLink],
    ['-n', hosts.driver.netns, 'addr', 'add', `${hosts.driver.address}/30`, 'dev', driverLink],
    ['-n', hosts.server.netns, 'link', 'set', 'lo', 'up'],
    ['-n', hosts.driver.netns, 'link', 'set', 'lo', 'up'],
    ['-n', hosts.server.netns, 'link', 'set', hosts.serverLink, 'up'],
    ['-n', hosts.driver.netns, 'link', 'set', driverLink, 'up'],
  ]
  for (const step of steps) {
    if (step[1] === 'add' && step[0] === 'netns') live.add(step[2]!)
    const r = run(step)
    if (!r.ok) {
      destroy(hosts)
      run(['link', 'del', hosts.serverLink]) // in case it was made but not yet moved into its namespace
      throw new Error(`ip ${step.join(' ')}: ${r.out}`)
    }
  }
  return hosts
}

/** Kill what still runs in the namespaces (only what the test started there), then delete them:
 * deleting a namespace deletes the veth end inside it, and with it the pair. */
export function destroy(hosts: TwoHosts): string[] {
  const problems: string[] = []
  for (const netns of [hosts.server.netns, hosts.driver.netns]) {
    const pids = run(['netns', 'pids', netns])
    for (const pid of pids.ok ? pids.out.split(/\s+/).filter((p) => /^\d+$/.test(p)) : []) {
      try {
        process.kill(Number(pid), 'SIGKILL')
        problems.push(`killed pid ${pid}, still running in ${netns}`)
      } catch {
        // gone meanwhile
      }
    }
    const deleted = run(['netns', 'del', netns])
    if (deleted.ok || /No such file/.test(deleted.out)) live.delete(netns)
    else problems.push(`ip netns del ${netns}: ${deleted.out}`)
  }
  return problems
}

/** Bytes received on the server's end of the link: proof the load crossed it. */
export function serverLinkRxBytes(hosts: TwoHosts): number {
  const r = run(['-n', hosts.server.netns, '-j', '-s', 'link', 'show', hosts.serverLink])
  if (!r.ok) throw new Error(r.out)
  return (JSON.parse(r.out) as Array<{ stats64: { rx: { bytes: number } } }>)[0]!.stats64.rx.bytes
}

/** Which namespaces of ours exist now (for the test's own check that none is left). */
export function leftovers(hosts: TwoHosts): string[] {
  const list = run(['netns', 'list'])
  return [hosts.server.netns, hosts.driver.netns].filter((n) => list.out.split('\n').some((line) => line.split(' ')[0] === n))
}
