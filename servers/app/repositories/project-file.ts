// Find a file of this project (fixtures/…) from the running module. The same code runs from the
// TypeScript sources (vitest: servers/app/…) and from the build (dist/servers/app/…), one
// directory deeper, so walk up from this file instead of counting `..`.

import { existsSync } from 'node:fs'
import { dirname, join, parse } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))

/** The absolute path of `relative` (e.g. `fixtures/templates`) in the nearest ancestor
 * directory of this module that contains it. Throws one clear line when none does. */
export function findProjectFile(relative: string): string {
  let dir = here
  const { root } = parse(dir)
  for (;;) {
    const candidate = join(dir, relative)
    if (existsSync(candidate)) return candidate
    if (dir === root) throw new Error(`cannot find ${relative} in any parent directory of ${here}`)
    dir = dirname(dir)
  }
}
