import { describe, expect, it } from 'vitest'
import { Progress } from '../../../bench/cli/progress.js'
import { sample } from '../fixtures/results-fixture.js'

function stream(isTTY: boolean): { write: (t: string) => void; isTTY: boolean; columns: number; text: () => string } {
  let text = ''
  return { write: (t: string) => { text += t }, isTTY, columns: 200, text: () => text }
}

describe('progress on stderr', () => {
  it('prints one plain line per finished cell when stderr is not a terminal: which cell, i/N, elapsed and time left', () => {
    const out = stream(false)
    const progress = new Progress(out, 2, 5)
    const ok = sample({ model: 'eventloop' }, { rps: 12_345 })
    const bad = sample({ model: 'node-http', repeat: 2 }, { rps: 1, errors: 4 })
    progress.start(ok.cell, 1)
    progress.done(ok)
    progress.start(bad.cell, 2)
    progress.done(bad)
    progress.finish()
    const lines = out.text().trimEnd().split('\n')
    expect(lines[0]).toMatch(/^\[1\/2\] eventloop hello keepalive c=16 #1: 12,345 req\/s · 0:00 elapsed, ~0:00 left$/)
    expect(lines[1]).toMatch(/^\[2\/2\] node-http hello keepalive c=16 #2: FAILED: 4 errors during measurement · /)
    expect(lines[2]).toBe('2 cells in 0:00')
    expect(out.text()).not.toMatch(/\r|\u001b/)
  })

  it('redraws one bar in place on a terminal and prints failed cells above it in red', () => {
    const out = stream(true)
    const progress = new Progress(out, 3, 5)
    const bad = sample({ model: 'blocking' }, { rps: 1, errors: 1 })
    progress.start(bad.cell, 1)
    expect(out.text()).toMatch(/^\r\u001b\[2K░{24} 1\/3 blocking hello keepalive c=16 #1 · 0:00 elapsed, ~0:15 left$/)
    progress.done(bad)
    progress.finish()
    expect(out.text()).toContain('\u001b[31;1m[1/3] blocking hello keepalive c=16 #1: FAILED: 1 error during measurement\u001b[0m\n')
    expect(out.text()).toMatch(/█{8}░{16} 1\/3/)
  })
})
