// Machine-wide TCP counters from /proc that say what the kernel did with a crowd of connections
// the processes never see (proc(5), /proc/net/netstat and /proc/net/sockstat):
// - ListenOverflows: connection attempts dropped because a listener's accept queue (Node's
//   backlog, 511) was full; the client's SYN is retransmitted after 1 s, then 3 s, 7 s (RFC 6298's
//   1 s initial RTO, doubled), which is where steps of whole seconds in a burst come from.
// - TCP "mem": pages the kernel holds for TCP socket buffers, which no process's RSS includes.
// Both are machine-wide: they describe a cell only while nothing else uses TCP heavily, which is
// what the heavy lock is for; the report says so next to them.
import { readFileSync } from 'node:fs'
import { procUnits } from './process-tree.js'

/** One counter of a /proc/net/netstat text (header line, value line, per protocol prefix), or null. */
export function parseNetstatCounter(text: string, prefix: string, name: string): number | null {
  const lines = text.split('\n')
  for (let i = 0; i + 1 < lines.length; i++) {
    const head = lines[i]!.split(' ')
    const values = lines[i + 1]!.split(' ')
    if (head[0] !== `${prefix}:` || values[0] !== `${prefix}:`) continue
    const at = head.indexOf(name)
    if (at > 0 && values[at] !== undefined) return Number(values[at])
  }
  return null
}

/** TcpExt ListenOverflows so far (machine-wide), or null where /proc does not say. */
export function listenOverflows(): number | null {
  try {
    return parseNetstatCounter(readFileSync('/proc/net/netstat', 'latin1'), 'TcpExt', 'ListenOverflows')
  } catch {
    return null
  }
}

/** The `mem` pages of the TCP line of a /proc/net/sockstat text, or null. */
export function parseSockstatTcpPages(text: string): number | null {
  const match = /^TCP:.*\bmem (\d+)/m.exec(text)
  return match === null ? null : Number(match[1])
}

/** Bytes the kernel holds for TCP buffers right now (machine-wide), or null. */
export function tcpKernelBytes(): number | null {
  try {
    const pages = parseSockstatTcpPages(readFileSync('/proc/net/sockstat', 'latin1'))
    return pages === null ? null : pages * procUnits().pageSize
  } catch {
    return null
  }
}

export interface KernelBacklog {
  /** Connections in the listener's accept queue: handshake done, accept() not called yet. */
  acceptQueue: number
  /** Handshakes to the port the kernel has not finished: with the accept queue full, Linux keeps
   * them in SYN_RECV and retransmits its SYN-ACK after 1, 2, 4… s while the client already counts
   * itself connected (tcp(7), tcp_synack_retries). */
  synRecv: number
}

/** The backlog of the listener on `port` in a /proc/net/tcp(6) text (st 0A = LISTEN, 03 = SYN_RECV). */
export function parseKernelBacklog(text: string, port: number): KernelBacklog {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0')
  const backlog = { acceptQueue: 0, synRecv: 0 }
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/)
    const local = fields[1]
    if (local === undefined || !local.endsWith(`:${hexPort}`)) continue
    if (fields[3] === '0A') backlog.acceptQueue += parseInt(fields[4]?.split(':')[1] ?? '0', 16)
    else if (fields[3] === '03') backlog.synRecv++
  }
  return backlog
}

/** What the kernel still holds for the server listening on `port` (IPv4 and IPv6), or null without /proc. */
export function kernelBacklog(port: number): KernelBacklog | null {
  try {
    const text = readFileSync('/proc/net/tcp', 'latin1') + tryRead('/proc/net/tcp6')
    return parseKernelBacklog(text, port)
  } catch {
    return null
  }
}

function tryRead(path: string): string {
  try {
    return readFileSync(path, 'latin1')
  } catch {
    return ''
  }
}
