import { describe, expect, it } from 'vitest'
import { chooseClient, DRIVER_NAMES, driversFor, LOAD_CLIENTS } from '../../../bench/clients/registry.js'
import type { DriverName } from '../../../bench/clients/load-client.js'

describe('the load-client registry', () => {
  it('knows every client under its own name, each saying which modes it can drive', () => {
    expect(DRIVER_NAMES.sort()).toEqual(['autocannon', 'close-client', 'test-double', 'wrk'])
    for (const name of DRIVER_NAMES) {
      expect(LOAD_CLIENTS[name].name).toBe(name)
      expect(LOAD_CLIENTS[name].modes.length).toBeGreaterThan(0)
    }
  })

  it('never lets autocannon measure close-per-request: the close-client takes those cells', () => {
    expect(chooseClient({ mode: 'close' }, 'autocannon').name).toBe('close-client')
    expect(chooseClient({ mode: 'keepalive' }, 'autocannon').name).toBe('autocannon')
    expect(chooseClient({ mode: 'keepalive' }, 'close-client').name).toBe('autocannon')
    expect(chooseClient({ mode: 'close' }, 'test-double').name).toBe('test-double')
  })

  it('chooses wrk for keep-alive under auto where wrk is installed, autocannon where it is not, and the close-client for close-per-request', () => {
    const original = LOAD_CLIENTS.wrk.unavailable
    try {
      ;(LOAD_CLIENTS.wrk as { unavailable: () => string | null }).unavailable = () => null
      expect(driversFor('auto')).toEqual({ keepalive: 'wrk', close: 'close-client' })
      ;(LOAD_CLIENTS.wrk as { unavailable: () => string | null }).unavailable = () => '/usr/bin/wrk is not installed'
      expect(driversFor('auto')).toEqual({ keepalive: 'autocannon', close: 'close-client' })
    } finally {
      ;(LOAD_CLIENTS.wrk as { unavailable: () => string | null }).unavailable = original
    }
    expect(driversFor('autocannon')).toEqual({ keepalive: 'autocannon', close: 'close-client' })
  })

  it('refuses an unknown driver and one that cannot run here with one clear line', () => {
    expect(() => chooseClient({ mode: 'keepalive' }, 'ab' as DriverName)).toThrow(/unknown load driver "ab" \(expected auto, /)
    const original = LOAD_CLIENTS.wrk.unavailable
    try {
      ;(LOAD_CLIENTS.wrk as { unavailable: () => string | null }).unavailable = () => '/usr/bin/wrk is not installed'
      expect(() => chooseClient({ mode: 'keepalive' }, 'wrk')).toThrow("load driver 'wrk' asked for, but /usr/bin/wrk is not installed")
    } finally {
      ;(LOAD_CLIENTS.wrk as { unavailable: () => string | null }).unavailable = original
    }
  })
})
