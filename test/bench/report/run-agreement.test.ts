import { describe, expect, it } from 'vitest'
import { agreementMarkdown, runAgreement } from '../../../bench/report/run-agreement.js'
import { resultsFile, sample } from '../fixtures/results-fixture.js'

/** A run of eventloop and node-http on hello in three rounds with eventloop at `ratios` × node-http. */
const run = (ratios: number[]) => resultsFile([1, 2, 3].flatMap((r) => [
  sample({ model: 'eventloop', repeat: r }, { rps: 20_000 * ratios[r - 1]!, cpuSec: 0.8 }),
  sample({ model: 'node-http', repeat: r }, { rps: 20_000, cpuSec: 1.2 }),
]), { reference: 'node-http' })

describe('agreement of repeated runs', () => {
  it('agrees when every run\'s median ratio is within ±15% of the runs\' median', () => {
    const rows = runAgreement([run([1.5, 1.5, 1.5]), run([1.6, 1.6, 1.6]), run([1.4, 1.4, 1.45])])
    const rps = rows.find((r) => r.metric === 'req/s')!
    expect(rps.cell).toBe('eventloop hello keepalive c=16')
    expect(rps.runs.map((r) => r.ratio)).toEqual([1.5, 1.6, 1.4])
    expect(rps.median).toBe(1.5)
    expect(rps.agrees).toBe(true)
  })

  it('disagrees when a steady-looking run is off by more, and forgives a run that called itself noisy', () => {
    expect(runAgreement([run([1.5, 1.5, 1.5]), run([2.0, 2.0, 2.0]), run([1.5, 1.5, 1.5])]).find((r) => r.metric === 'req/s')!.agrees).toBe(false)
    // run 2 is off but its own rounds disagreed (1.4 … 2.0): it was marked noisy, so it claimed nothing
    const rows = runAgreement([run([1.5, 1.5, 1.5]), run([2.0, 1.4, 2.0]), run([1.5, 1.5, 1.5])])
    const rps = rows.find((r) => r.metric === 'req/s')!
    expect(rps.runs[1]).toEqual({ ratio: 2.0, noisy: true })
    expect(rps.agrees).toBe(true)
    expect(agreementMarkdown(rows, ['a.json', 'b.json', 'c.json'])).toMatch(/\| eventloop hello keepalive c=16 \| req\/s × ref \| 1\.50× \| 2\.00× noisy \(off\) \| 1\.50× \| 1\.50× \| yes \|/)
  })
})
