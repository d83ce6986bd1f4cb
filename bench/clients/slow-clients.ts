// What each kind of crowd connection sends and how a slow one reads (crowd-client.ts holds them).
import type net from 'node:net'
import type { CrowdBehaviour } from './crowd-spec.js'

/**
 * A slowloris connection stops adding header lines after this many: the servers answer 431 past
 * 100 header fields (DESIGN.md "Shared HTTP rules", Node's maxHeadersCount is 2000), and a 431
 * would measure the header limit instead of the head timeout.
 */
export const SLOWLORIS_MAX_LINES = 90

/**
 * How many times a slow reader asks for its file at once, pipelined on its one connection
 * (slowhttptest -X's -k, "pipeline factor"). One, as the issue defines the scenario. More does
 * not reach the servers' memory on loopback: at 4 × 300 KiB the kernel took all of it into the
 * sockets' buffers (1.2 MB per connection measured here, the send buffer autotuning up to
 * tcp_wmem's 4 MiB), and 1,000 such connections would push the machine-wide TCP memory
 * (tcp_mem) towards pressure, which every other process on a shared machine would feel.
 */
export const SLOW_READ_PIPELINE = 1

/**
 * The first bytes each connection writes: a whole keep-alive GET (idle), the same GET pipelined
 * SLOW_READ_PIPELINE times (slow-reader), or a request line and Host with the blank line that
 * ends a head left out (slowloris).
 */
export function requestBytes(behaviour: CrowdBehaviour, path: string, hostHeader: string): Buffer {
  const head = `GET ${path} HTTP/1.1\r\nHost: ${hostHeader}\r\n`
  if (behaviour === 'slowloris') return Buffer.from(head, 'latin1')
  return Buffer.from(`${head}\r\n`.repeat(behaviour === 'slow-reader' ? SLOW_READ_PIPELINE : 1), 'latin1')
}

/** slowloris's follow-up header line number `n` (slowhttptest -H sends `X-xxxx: xxxx` lines). */
export const slowlorisLine = (n: number): string => `X-Slow-${n}: ${n}\r\n`

/**
 * One slow read from a paused socket: at most `budget` bytes of what it already holds. Node stops
 * reading the socket (uv_read_stop) once its buffer reaches the stream's high-water mark, so the
 * rest waits in the kernel and TCP's window closes: the server must hold back. Null when nothing
 * is there yet; a zero-length read then asks the stream to fill up again.
 */
export function slowReadTick(socket: net.Socket, budget: number): Buffer | null {
  const available = socket.readableLength
  if (available === 0) {
    socket.read(0)
    return null
  }
  return socket.read(Math.min(budget, available)) as Buffer | null
}
