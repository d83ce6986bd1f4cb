// The crowd: N connections opened to one server at once (a burst), then held, each behaving as
// one kind of unhurried client (research/open-loop-and-many-connections.md, "Many idle or slow
// connections"; slowhttptest's terms):
//   idle         sends one keep-alive GET, reads the answer, then sits on the open connection;
//   slowloris    sends a request line and Host, then one more header line every interval, and
//                never finishes the head (slowhttptest -H);
//   slow-reader  asks for a large file and reads it at a trickle (slowhttptest -X), so the
//                server must hold back instead of buffering whole responses.
// Every connection is accounted for: it got in (idle: answered; slowloris: connected and its first
// line written; slow-reader: the first byte of its answer arrived), or the connect was refused,
// the server reset it, or closed it without a byte; an answered connection the server later
// closed is counted apart. Nothing here throws under load: failures are counted.
// It runs in its own process (crowd-worker.ts), so holding 10,000 sockets costs the driver nothing.
import net from 'node:net'
import { performance } from 'node:perf_hooks'
import { loopbackTarget } from './close-client.js'
import { requestBytes, slowReadTick, SLOWLORIS_MAX_LINES, slowlorisLine } from './slow-clients.js'
import { type CrowdBurst, type CrowdCounts, type CrowdReport, type CrowdSpec, spread } from './crowd-spec.js'
import { kernelBacklog } from '../host/tcp-counters.js'

type Phase = 'connecting' | 'established' | 'ended'

class Connection {
  phase: Phase = 'connecting'
  connectedAt = 0
  inAt = 0
  answered = false
  answeredAt = 0
  status = 0
  /** Head + body bytes expected (from Content-Length), 0 while unknown. */
  expected = 0
  read = 0
  lines = 0
  endedAt = 0
  outcome: 'refused' | 'reset' | 'closedWithoutResponse' | 'closedAfterResponse' | undefined
  head = ''
  constructor(readonly socket: net.Socket) {}
}

export class Crowd {
  readonly #spec: CrowdSpec
  readonly #connections: Connection[] = []
  #start = 0
  #lastChange = 0
  #timer: NodeJS.Timeout | undefined
  #closing = false
  #port = 0

  constructor(spec: CrowdSpec) {
    this.#spec = spec
  }

  /** Open every connection at once; resolves when the burst phase ends. */
  async open(): Promise<CrowdBurst> {
    const { host, port, hostHeader } = loopbackTarget(this.#spec.origin)
    this.#port = port
    const request = requestBytes(this.#spec.behaviour, this.#spec.path, hostHeader)
    this.#start = performance.now()
    this.#lastChange = this.#start
    for (let i = 0; i < this.#spec.connections; i++) this.#connect(host, port, request)
    if (this.#spec.behaviour !== 'idle') this.#startTicking()
    const endedBy = await this.#burstEnd()
    const ins = this.#connections.filter((c) => c.inAt > 0).map((c) => c.inAt - this.#start)
    return {
      burstMs: performance.now() - this.#start,
      lastInMs: ins.length === 0 ? null : Math.max(...ins),
      inMs: spread(ins),
      endedBy,
      counts: this.counts(),
    }
  }

  counts(): CrowdCounts {
    const c: CrowdCounts = { requested: this.#spec.connections, in: 0, connecting: 0, refused: 0, reset: 0, closedWithoutResponse: 0, closedAfterResponse: 0, waiting: 0, open: 0 }
    for (const conn of this.#connections) {
      if (conn.inAt > 0 && conn.outcome !== 'reset' && conn.outcome !== 'closedWithoutResponse') c.in++
      if (conn.phase === 'connecting') c.connecting++
      else if (conn.phase === 'established') {
        c.open++
        if (conn.inAt === 0) c.waiting++
      } else if (conn.outcome !== undefined) c[conn.outcome]++
    }
    return c
  }

  /** Stop, close every connection, and say what became of each. */
  close(): CrowdReport {
    this.#closing = true
    if (this.#timer !== undefined) clearInterval(this.#timer)
    const counts = this.counts()
    const statuses: Record<string, number> = {}
    const ended: number[] = []
    const answered: number[] = []
    let headerLines = 0
    let bytesRead = 0
    let completed = 0
    for (const conn of this.#connections) {
      if (conn.status > 0) statuses[conn.status] = (statuses[conn.status] ?? 0) + 1
      if (conn.endedAt > 0 && conn.connectedAt > 0) ended.push(conn.endedAt - conn.connectedAt)
      if (conn.answeredAt > 0 && conn.connectedAt > 0) answered.push(conn.answeredAt - conn.connectedAt)
      headerLines += conn.lines
      bytesRead += conn.read
      if (conn.expected > 0 && conn.read >= conn.expected) completed++
      conn.socket.destroy()
    }
    return { counts, statuses, answeredAfterMs: spread(answered), endedAfterMs: spread(ended), headerLines, bytesRead, completed }
  }

  /** The established, still open sockets' fds (for the sweep replica, sweep.ts). */
  openFds(): number[] {
    const fds: number[] = []
    for (const conn of this.#connections) {
      const fd = (conn.socket as unknown as { _handle?: { fd?: number } })._handle?.fd
      if (conn.phase === 'established' && typeof fd === 'number' && fd >= 0) fds.push(fd)
    }
    return fds
  }

  #connect(host: string, port: number, request: Buffer): void {
    const socket = net.connect({ host, port, noDelay: true })
    const conn = new Connection(socket)
    this.#connections.push(conn)
    socket.on('connect', () => {
      conn.phase = 'established'
      conn.connectedAt = performance.now()
      this.#lastChange = conn.connectedAt
      socket.write(request)
      if (this.#spec.behaviour === 'slowloris') this.#in(conn)
      if (this.#spec.behaviour === 'slow-reader') {
        socket.pause()
        // 'readable' comes for bytes and also for a FIN with nothing before it: only bytes answer
        // (a server closing unanswered slow readers was counted as having answered them)
        const onReadable = (): void => {
          if (socket.readableLength === 0) return
          socket.off('readable', onReadable)
          this.#answered(conn, null)
        }
        socket.on('readable', onReadable)
      }
    })
    if (this.#spec.behaviour !== 'slow-reader') socket.on('data', (chunk: Buffer) => this.#answered(conn, chunk))
    socket.on('end', () => this.#ended(conn, 'closed'))
    socket.on('error', (error: NodeJS.ErrnoException) => this.#ended(conn, error.code === 'ECONNREFUSED' ? 'refused' : 'reset'))
    socket.on('close', () => this.#ended(conn, 'closed'))
  }

  #in(conn: Connection): void {
    if (conn.inAt > 0) return
    conn.inAt = performance.now()
    this.#lastChange = conn.inAt
  }

  /** Bytes of an answer arrived (chunk null: the slow reader was told there is something to read). */
  #answered(conn: Connection, chunk: Buffer | null): void {
    if (!conn.answered) {
      conn.answered = true
      conn.answeredAt = performance.now()
      if (this.#spec.behaviour !== 'slowloris') this.#in(conn)
    }
    if (chunk !== null) this.#took(conn, chunk)
  }

  /** Count what was read and learn the status and length from the head (first bytes only). */
  #took(conn: Connection, chunk: Buffer): void {
    conn.read += chunk.length
    if (conn.expected > 0 || conn.head.length > 16 * 1024) return
    conn.head += chunk.subarray(0, 4096).toString('latin1')
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(conn.head)
    if (status !== null && conn.status === 0) conn.status = Number(status[1])
    const end = conn.head.indexOf('\r\n\r\n')
    if (end < 0) return
    const length = /\r\ncontent-length: *(\d+)/i.exec(conn.head.slice(0, end))
    conn.expected = end + 4 + (length === null ? 0 : Number(length[1]))
    conn.head = ''
  }

  #ended(conn: Connection, how: 'refused' | 'reset' | 'closed'): void {
    if (conn.phase === 'ended' || this.#closing) return
    const was = conn.phase
    conn.phase = 'ended'
    conn.endedAt = performance.now()
    this.#lastChange = conn.endedAt
    // A connect that never completed was refused, whatever the error (ECONNREFUSED, ETIMEDOUT).
    if (was === 'connecting') conn.outcome = 'refused'
    else if (conn.answered) conn.outcome = 'closedAfterResponse'
    else conn.outcome = how === 'closed' ? 'closedWithoutResponse' : 'reset'
    conn.socket.destroy()
  }

  /** One timer for every connection: slowloris writes a header line, slow readers read a little. */
  #startTicking(): void {
    const slowloris = this.#spec.behaviour === 'slowloris'
    const everyMs = slowloris ? this.#spec.headerIntervalMs : 100
    const budget = Math.max(1, Math.round((this.#spec.readBytesPerSec * everyMs) / 1000))
    this.#timer = setInterval(() => {
      for (const conn of this.#connections) {
        if (conn.phase !== 'established') continue
        if (slowloris) {
          if (conn.answered || conn.lines >= SLOWLORIS_MAX_LINES) continue
          conn.socket.write(slowlorisLine(conn.lines))
          conn.lines++
        } else {
          const chunk = slowReadTick(conn.socket, budget)
          if (chunk !== null) this.#took(conn, chunk)
        }
      }
    }, everyMs)
  }

  /**
   * Nothing moved for a while: is the rest waiting inside the server (a thread pool's queue, which
   * may never move), or still in the kernel, where a full accept queue parks handshakes that the
   * client already counts as connected (their SYN-ACKs come again after 1, 2, 4… s)?
   */
  #kernelIsEmpty(): boolean {
    const backlog = kernelBacklog(this.#port)
    if (backlog === null) return true
    const empty = backlog.acceptQueue === 0 && backlog.synRecv === 0
    if (!empty) this.#lastChange = performance.now() // look again after another quiet spell
    return empty
  }

  /** Resolves when every connection is in or gone, when nothing moved for quietMs once every connect resolved, or at the cap. */
  #burstEnd(): Promise<CrowdBurst['endedBy']> {
    return new Promise((resolve) => {
      const check = (): void => {
        const now = performance.now()
        const c = this.counts()
        let endedBy: CrowdBurst['endedBy'] | undefined
        // A slowloris connection is in once connected, before the server has even accepted it: give
        // the server quietMs to refuse or close what it will not hold before calling the burst over.
        if (c.connecting === 0 && c.waiting === 0 && this.#spec.behaviour !== 'slowloris') endedBy = 'all-settled'
        else if (c.connecting === 0 && now - this.#lastChange >= this.#spec.quietMs && this.#kernelIsEmpty()) endedBy = 'quiet'
        else if (now - this.#start >= this.#spec.burstCapMs) endedBy = 'cap'
        if (endedBy === undefined) setTimeout(check, 10)
        else resolve(endedBy)
      }
      setTimeout(check, 10)
    })
  }
}
