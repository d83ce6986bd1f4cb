// Builders for synthetic cell results and results files, shared by the summary and report tests.
import type { Cell } from '../../../bench/matrix.js'
import { RESULTS_SCHEMA, type RunResults } from '../../../bench/results-file.js'
import type { CellResult } from '../../../bench/run-cell.js'
import type { LoadResult } from '../../../bench/types.js'

export interface SampleSpec {
  rps: number
  p50?: number
  clientCpuSec?: number
  cpuSec?: number
  rss?: number
  errors?: number
  ok?: boolean
  failure?: string
}

export function sample(cell: Partial<Cell> & Pick<Cell, 'model'>, spec: SampleSpec): CellResult {
  const full: Cell = { scenario: 'hello', mode: 'keepalive', connections: 16, repeat: 1, ...cell }
  const durationSec = 2
  const load: LoadResult = {
    driver: full.mode === 'close' ? 'close-client' : 'autocannon',
    mode: full.mode,
    durationSec,
    requests: spec.rps * durationSec,
    requestsPerSec: spec.rps,
    non2xx: 0,
    errors: spec.errors ?? 0,
    timeouts: 0,
    bytesRead: spec.rps * durationSec * 100,
    latencyUs: { p50: spec.p50 ?? 100, p90: 200, p99: 400, p999: 800, max: 1600, mean: 120, source: 'test' },
    clientCpuSec: spec.clientCpuSec ?? 1,
    perSecond: [spec.rps, spec.rps],
  }
  const ok = spec.ok ?? (spec.errors ?? 0) === 0
  return {
    cell: full,
    ok,
    ...(ok ? {} : { failure: spec.failure ?? `${spec.errors} error${spec.errors === 1 ? '' : 's'} during measurement` }),
    load,
    server: { cpuSec: spec.cpuSec ?? 1, peakRssBytes: spec.rss ?? 50 * 2 ** 20 },
    startedAt: '2026-11-22T05:00:00.000Z',
    wallSec: 3,
  }
}

export function resultsFile(cells: CellResult[], overrides: Partial<RunResults['config']> = {}): RunResults {
  const models = [...new Set(cells.map((c) => c.cell.model))]
  return {
    schema: RESULTS_SCHEMA,
    startedAt: '2026-11-22T05:00:00.000Z',
    finishedAt: '2026-11-22T05:01:00.000Z',
    machine: { cpuModel: 'Test CPU', cores: 2, memoryBytes: 2 ** 34, freeMemoryBytes: 2 ** 33, loadAverage: [0.5, 0.4, 0.3], platform: 'linux', arch: 'x64', hostname: 'test' },
    node: 'v20.20.2',
    git: { commit: '0123456789abcdef0123456789abcdef01234567', dirty: false },
    config: {
      models,
      scenarios: [...new Set(cells.map((c) => c.cell.scenario))] as RunResults['config']['scenarios'],
      skipped: [],
      skippedCells: [],
      modes: [...new Set(cells.map((c) => c.cell.mode))],
      connections: Object.fromEntries(models.map((m) => [m, [...new Set(cells.filter((c) => c.cell.model === m).map((c) => c.cell.connections))]])),
      durationSec: 2,
      warmupSec: 1,
      repeat: Math.max(...cells.map((c) => c.cell.repeat)),
      db: 'memory',
      driver: 'autocannon',
      timeoutMs: 10_000,
      smoke: false,
      reference: 'node-http',
      ...overrides,
    },
    notes: [],
    cells,
  }
}
