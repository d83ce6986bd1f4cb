// runLoad forks compiled JS (dist/bench/load-worker.js): make sure dist holds the current sources
// of the bench client files before a test forks it. Builds only when a source is newer than its output.
import { execFileSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { checkoutRoot } from '../../../bench/server-process.js'

const SOURCES = [
  'autocannon-client', 'close-client', 'wrk-client', 'run-load', 'load-worker',
  'server-process', 'process-tree', 'latency-summary', 'types',
]

export function ensureBenchBuilt(): void {
  const root = checkoutRoot()
  const stale = SOURCES.some((name) => {
    const output = join(root, 'dist', 'bench', `${name}.js`)
    return !existsSync(output) || statSync(output).mtimeMs < statSync(join(root, 'bench', `${name}.ts`)).mtimeMs
  })
  if (!stale) return
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], { cwd: root, stdio: 'pipe' })
  } catch {
    // tsc exits non-zero when other people's unfinished files have type errors; it still emits.
  }
}
