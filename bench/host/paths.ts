// Where the driver finds the repository, the compiled serve CLI and the fixtures. The driver runs
// both as compiled JS (dist/bench/**/*.js) and as source under vitest (bench/**/*.ts), so the repository
// root is found by walking up to our package.json rather than by a fixed number of `..`.

import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

let cachedRoot: string | undefined

export function repoRoot(): string {
  if (cachedRoot !== undefined) return cachedRoot
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'httpmodels') {
      cachedRoot = dir
      return dir
    }
    const parent = dirname(dir)
    if (parent === dir) throw new Error('cannot find the httpmodels package.json above bench/')
    dir = parent
  }
}

/** The compiled serve CLI (contract 1: build output mirrors the source tree). */
export const defaultServeEntry = (): string => join(repoRoot(), 'dist', 'servers', 'serve.js')

/** The null server's entry (bench/cli/null-server.ts compiled): what driver ceilings are measured against. */
export const nullServerEntry = (): string => join(repoRoot(), 'dist', 'bench', 'cli', 'null-server.js')

/** The serve CLI's default document root, made absolute so cwd does not matter. */
export const defaultDocRoot = (): string => join(repoRoot(), 'fixtures', 'www')

/** The one fixture both stores are seeded from. */
export const stockFixturePath = (): string => join(repoRoot(), 'fixtures', 'stock', 'stocks.json')

/** Default output folder for result files and reports. */
export const defaultResultsDir = (): string => join(repoRoot(), 'results')
