import { describe, expect, it } from 'vitest'
import { busyCores, parseProcStatCpu, readMachineCpu } from '../../../bench/host/machine-cpu.js'

const STAT = `cpu  100 5 20 800 10 0 3 2 0 0
cpu0 50 2 10 400 5 0 1 1 0 0
cpu1 50 3 10 400 5 0 2 1 0 0
intr 12345
`

describe('the machine\'s CPU time from /proc/stat', () => {
  it('counts user, nice, system, irq, softirq and steal as busy, idle and iowait as not', () => {
    expect(parseProcStatCpu(STAT)).toEqual({ busy: 100 + 5 + 20 + 0 + 3 + 2, total: 130 + 800 + 10 })
  })

  it('refuses text without the aggregate cpu line', () => {
    expect(() => parseProcStatCpu('cpu0 1 2 3 4\n')).toThrow(/no aggregate "cpu" line/)
  })

  it('turns two readings into cores busy', () => {
    // 2 cores: 100 of 200 jiffies busy in between → one core's worth
    expect(busyCores({ busy: 50, total: 100 }, { busy: 150, total: 300 }, 2)).toBe(1)
    expect(busyCores({ busy: 50, total: 100 }, { busy: 50, total: 100 }, 2)).toBe(0)
  })

  it.skipIf(process.platform !== 'linux')('reads this Linux machine', () => {
    const cpu = readMachineCpu()!
    expect(cpu.total).toBeGreaterThan(cpu.busy)
    expect(cpu.busy).toBeGreaterThan(0)
  })
})
