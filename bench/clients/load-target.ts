// Where load may go, checked by every load client and by the bench's flags before anything runs:
// this machine's loopback (127.0.0.1, ::1), or 198.18.0.0/15, the range RFC 2544 reserves for
// benchmarking networks, which our two-host test gives to the network namespaces it creates.
// Nothing else: the workplace forbids load on any other address, so a name (which could resolve
// anywhere) or any other address is refused with one line.

import { isIPv4 } from 'node:net'

export interface LoadTarget {
  /** The address to connect to (IPv6 without brackets). */
  host: string
  port: number
  /** host:port as it goes in the Host header and in URLs (IPv6 in brackets). */
  hostHeader: string
}

export const ALLOWED_LOAD_HOSTS = 'http://127.0.0.1:PORT, http://[::1]:PORT or an address in 198.18.0.0/15 (RFC 2544\'s benchmarking range)'

/** 127.0.0.1, ::1, or an IPv4 literal in 198.18.0.0–198.19.255.255. */
export function isAllowedLoadHost(host: string): boolean {
  if (host === '127.0.0.1' || host === '::1') return true
  if (!isIPv4(host)) return false
  const [a, b] = host.split('.').map(Number)
  return a === 198 && (b === 18 || b === 19)
}

/** The checked host and port of an origin such as http://127.0.0.1:40123; throws one clear line. */
export function loadTarget(origin: string): LoadTarget {
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    throw new Error(`load origin ${JSON.stringify(origin)} is not a URL (expected e.g. http://127.0.0.1:PORT)`)
  }
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname
  if (url.protocol !== 'http:' || !isAllowedLoadHost(host)) {
    throw new Error(`load origin ${origin} refused: only ${ALLOWED_LOAD_HOSTS} may be load-tested`)
  }
  // URL leaves out the scheme's default port (80 for http:)
  const port = url.port === '' ? 80 : Number(url.port)
  return { host, port, hostHeader: url.host }
}
