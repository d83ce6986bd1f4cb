// `--db=mysql://user:pass@host:port/db[?connectionLimit=N]` parsed into connection settings, with
// one clear line for every way it can be wrong. The database name is also checked as an SQL
// identifier, because CREATE/DROP DATABASE cannot take it as a bound parameter.

export interface DatabaseUrl {
  host: string
  port: number
  user: string
  password: string
  database: string
  /** Pool size; mysql2's default is 10 (lib/pool_config.js). */
  connectionLimit: number
  /** The URL for messages: the password replaced by `***`. */
  display: string
  /** `display` without the database, for messages about the server itself. */
  server: string
}

/** mysql2's default pool size (lib/pool_config.js). */
export const DEFAULT_CONNECTION_LIMIT = 10
/** A pool can never use more connections than the server's max_connections allows, whose
 * upper bound is 100000 (MySQL and MariaDB server system variable reference). */
const MAX_CONNECTION_LIMIT = 100_000
/** MySQL/MariaDB identifier limit: 64 characters (MySQL reference, "Identifier Length Limits");
 * restricted further to [A-Za-z0-9_] so the name never needs quoting rules. */
const DATABASE_NAME = /^[A-Za-z0-9_]{1,64}$/

export function parseDatabaseUrl(db: string): DatabaseUrl {
  const fail = (why: string): never => {
    throw new Error(`bad database URL ${JSON.stringify(db)}: ${why} (expected mysql://user:pass@host:port/db)`)
  }
  let url: URL
  try {
    url = new URL(db)
  } catch {
    return fail('not a URL')
  }
  if (url.protocol !== 'mysql:') fail(`scheme must be mysql:, not ${url.protocol}`)
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1')
  if (host === '') fail('no host')
  const port = url.port === '' ? 3306 : Number(url.port)
  let user: string
  let password: string
  let database: string
  try {
    user = url.username === '' ? 'root' : decodeURIComponent(url.username)
    password = decodeURIComponent(url.password)
    database = decodeURIComponent(url.pathname.slice(1))
  } catch {
    return fail('bad percent-escape')
  }
  if (!DATABASE_NAME.test(database)) fail('database name must be 1 to 64 of A-Z a-z 0-9 _')
  let connectionLimit = DEFAULT_CONNECTION_LIMIT
  for (const [key, value] of url.searchParams) {
    if (key !== 'connectionLimit') fail(`unknown option ${key} (known: connectionLimit)`)
    if (!/^[1-9][0-9]{0,5}$/.test(value) || Number(value) > MAX_CONNECTION_LIMIT) {
      fail(`connectionLimit must be an integer from 1 to ${MAX_CONNECTION_LIMIT}`)
    }
    connectionLimit = Number(value)
  }
  if (url.hash !== '') fail('no #fragment allowed')
  const credentials = url.password === '' ? user : `${user}:***`
  const server = `mysql://${credentials}@${url.host}`
  return { host, port, user, password, database, connectionLimit, server, display: `${server}/${database}` }
}
