import { describe, expect, it } from 'vitest'
import { ephemeralPortCount, openFileLimit, parseOpenFileLimit, raiseOwnOpenFileLimit } from '../../../bench/host/open-files.js'
import { parseKernelBacklog, parseNetstatCounter, parseSockstatTcpPages } from '../../../bench/host/tcp-counters.js'

const LIMITS = `Limit                     Soft Limit           Hard Limit           Units
Max cpu time              unlimited            unlimited            seconds
Max open files            1024                 524288               files
Max locked memory         8388608              8388608              bytes
`

describe('open-file limits', () => {
  it('reads the soft and hard limit from a /proc/<pid>/limits text, unlimited as Infinity', () => {
    expect(parseOpenFileLimit(LIMITS)).toEqual({ soft: 1024, hard: 524288 })
    expect(parseOpenFileLimit(LIMITS.replace('524288', 'unlimited'))).toEqual({ soft: 1024, hard: Infinity })
    expect(parseOpenFileLimit('Limit Soft Hard\n')).toBeNull()
  })

  it('reads this process, and nothing for a pid that does not exist', () => {
    expect(openFileLimit()!.soft).toBeGreaterThan(0)
    expect(openFileLimit(2 ** 22 + 12345)).toBeNull()
  })

  it('leaves this process at its hard limit and says so in one sentence', () => {
    const raised = raiseOwnOpenFileLimit()
    expect(raised.soft).toBe(raised.hard)
    expect(raised.note).toMatch(/^open files: /)
    expect(raiseOwnOpenFileLimit()).toBe(raised) // once per process
  })

  it('counts the loopback ports one server address can be reached from', () => {
    expect(ephemeralPortCount()).toBeGreaterThan(1000)
  })
})

describe('kernel TCP counters', () => {
  it('finds a TcpExt counter by name in /proc/net/netstat', () => {
    const text = 'TcpExt: SyncookiesSent ListenOverflows ListenDrops\nTcpExt: 1 42 43\nIpExt: InNoRoutes\nIpExt: 0\n'
    expect(parseNetstatCounter(text, 'TcpExt', 'ListenOverflows')).toBe(42)
    expect(parseNetstatCounter(text, 'TcpExt', 'Nope')).toBeNull()
  })

  it('reads the TCP mem pages of /proc/net/sockstat', () => {
    expect(parseSockstatTcpPages('sockets: used 69\nTCP: inuse 22 orphan 1 tw 25096 alloc 25 mem 205\nUDP: inuse 0 mem 0\n')).toBe(205)
    expect(parseSockstatTcpPages('sockets: used 69\n')).toBeNull()
  })

  it('sums a listener\'s accept queue and counts its half-done handshakes, for its port only', () => {
    // port 8080 = 0x1F90: LISTEN with 3 waiting, two SYN_RECV; another port's listener ignored
    const text = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:1F90 00000000:0000 0A 000001FF:00000003 00:00000000 00000000     0        0 1 1',
      '   1: 0100007F:1F90 0100007F:9C40 03 00000000:00000000 00:00000000 00000000     0        0 0 1',
      '   2: 0100007F:1F90 0100007F:9C41 03 00000000:00000000 00:00000000 00000000     0        0 0 1',
      '   3: 0100007F:1F91 00000000:0000 0A 000001FF:00000009 00:00000000 00000000     0        0 2 1',
    ].join('\n')
    expect(parseKernelBacklog(text, 8080)).toEqual({ acceptQueue: 3, synRecv: 2 })
    expect(parseKernelBacklog(text, 80)).toEqual({ acceptQueue: 0, synRecv: 0 })
  })
})
