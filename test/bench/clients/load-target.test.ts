import { describe, expect, it } from 'vitest'
import { isAllowedLoadHost, loadTarget } from '../../../bench/clients/load-target.js'
import { loopbackTarget } from '../../../bench/clients/close-client.js'

describe('where load may go', () => {
  it('admits loopback and the RFC 2544 benchmarking range 198.18.0.0/15, nothing else', () => {
    for (const host of ['127.0.0.1', '::1', '198.18.0.1', '198.18.255.254', '198.19.0.2', '198.19.255.255']) expect(isAllowedLoadHost(host), host).toBe(true)
    for (const host of ['10.0.0.1', '127.0.0.2', '198.17.255.255', '198.20.0.1', '192.168.1.1', '0.0.0.0', 'localhost', 'example.com', '::ffff:127.0.0.1', '198.18.0']) {
      expect(isAllowedLoadHost(host), host).toBe(false)
    }
  })

  it('reads host, port and Host header from an allowed origin, the default port included', () => {
    expect(loadTarget('http://[::1]:8080')).toEqual({ host: '::1', port: 8080, hostHeader: '[::1]:8080' })
    expect(loadTarget('http://198.18.0.2:9000')).toEqual({ host: '198.18.0.2', port: 9000, hostHeader: '198.18.0.2:9000' })
    expect(loadTarget('http://127.0.0.1')).toEqual({ host: '127.0.0.1', port: 80, hostHeader: '127.0.0.1' })
  })

  it('refuses any other origin with one line that says what is allowed', () => {
    expect(() => loadTarget('https://127.0.0.1:443')).toThrow(/^load origin https:\/\/127\.0\.0\.1:443 refused: only http:\/\/127\.0\.0\.1:PORT, http:\/\/\[::1\]:PORT or an address in 198\.18\.0\.0\/15/)
    expect(() => loadTarget('http://10.0.0.1:80')).toThrow(/refused/)
    expect(() => loadTarget('http://localhost:80')).toThrow(/refused/)
    expect(() => loadTarget('not a url')).toThrow(/not a URL/)
  })

  it('keeps the old name working for clients written against it', () => {
    expect(loopbackTarget).toBe(loadTarget)
  })
})
