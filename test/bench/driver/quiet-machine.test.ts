import { describe, expect, it } from 'vitest'
import { awaitQuietMachine } from '../../../bench/driver/quiet-machine.js'
import type { MachineCpu } from '../../../bench/host/machine-cpu.js'

/** A fake clock and /proc/stat: each window of 250 ms on 2 cores spends the given cores busy. */
function machine(busyPerWindow: number[]) {
  let t = 0
  let busy = 0
  let total = 0
  let window = 0
  return {
    read: (): MachineCpu => ({ busy, total }),
    sleep: async (ms: number) => {
      t += ms
      const cores = busyPerWindow[Math.min(window++, busyPerWindow.length - 1)]!
      total += 2 * ms
      busy += cores * ms
    },
    now: () => t,
    cores: 2,
  }
}

describe('waiting for a quiet machine before an open-loop point', () => {
  it('starts at once (after one window) on an idle machine', async () => {
    expect(await awaitQuietMachine(machine([0.05]))).toEqual({ waitedMs: 250, busyCores: 0.05, settled: true })
  })

  it('waits while a neighbour still works, then starts', async () => {
    const quiet = await awaitQuietMachine(machine([1.9, 1.5, 0.8, 0.1]))
    expect(quiet).toEqual({ waitedMs: 1000, busyCores: 0.1, settled: true })
  })

  it('gives up after maxWaitMs and says the point runs beside that work', async () => {
    const quiet = await awaitQuietMachine({ ...machine([1.2]), maxWaitMs: 2000 })
    expect(quiet).toEqual({ waitedMs: 2000, busyCores: 1.2, settled: false })
  })

  it('does not wait where the machine cannot be read', async () => {
    expect(await awaitQuietMachine({ read: () => null })).toBeNull()
  })
})
