// A MariaDB database of its own for one test file: a unique name, seeded from the fixture by the
// project's seed function, dropped afterwards, so no test depends on leftovers or on another
// file running at the same time.
//
// The server is the real one at 127.0.0.1:3306 (root, empty password; see the brief). In CI
// (CI=true) an unreachable server fails the file; elsewhere the suite is skipped with the reason.

import { randomBytes } from 'node:crypto'
import { createConnection } from 'mysql2/promise'
import { describeError } from '../../../servers/app/repositories/describe-error.js'

export const MARIADB_SERVER = process.env.HTTPMODELS_TEST_MARIADB ?? 'mysql://root@127.0.0.1:3306'

/** Why MariaDB cannot be used, or undefined when it can. Throws in CI: a missing database there
 * is a failure, not a skip. */
export async function mariadbUnavailable(): Promise<string | undefined> {
  const url = new URL(MARIADB_SERVER)
  try {
    const connection = await createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username || 'root'),
      password: decodeURIComponent(url.password),
      connectTimeout: 3000,
    })
    await connection.end()
    return undefined
  } catch (err) {
    const reason = `MariaDB at ${MARIADB_SERVER} is unreachable (${describeError(err)})`
    if (process.env.CI === 'true') throw new Error(`${reason}; CI requires it`)
    return reason
  }
}

/** A fresh database URL nobody else uses: httpmodels_test_<pid>_<random>. */
export function uniqueDatabaseUrl(server: string = MARIADB_SERVER): string {
  return `${server}/httpmodels_test_${process.pid}_${randomBytes(4).toString('hex')}`
}
