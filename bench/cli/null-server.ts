// `npm run null-server -- [--port=8081] [--host=127.0.0.1] [--root=fixtures/www]`: the null server
// (driver/null-server.ts) on its own, for a ceiling on another host or as a `--target` beside the
// models. Keeps the serve CLI's contract (DESIGN.md contract 3): one `listening on http://HOST:PORT`
// line when ready, SIGTERM/SIGINT → exit 0, a bad flag → one line on stderr and exit 2. The bench
// starts it the same way (driver/driver-ceiling.ts) with --port=0.

import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startNullServer, type NullServerOptions } from '../driver/null-server.js'
import { defaultDocRoot } from '../host/paths.js'
import { originOf } from '../../servers/models/listen.js'

export const NULL_SERVER_USAGE = `usage: npm run null-server -- [options]
  --port=N     TCP port; 0 picks a free one (default 8081)
  --host=ADDR  address to bind (default 127.0.0.1)
  --root=DIR   document root the home page is read from (default fixtures/www)
  --help       this text`

export function parseNullServerArgs(argv: string[]): NullServerOptions | Error | 'help' {
  let values: Record<string, string | boolean | undefined>
  try {
    values = parseArgs({ args: argv, strict: true, allowPositionals: false, options: { port: { type: 'string' }, host: { type: 'string' }, root: { type: 'string' }, help: { type: 'boolean' } } }).values
  } catch (error) {
    return new Error((error as Error).message.split('\n')[0])
  }
  if (values.help === true) return 'help'
  const port = (values.port as string | undefined) ?? '8081'
  if (!/^\d+$/.test(port) || Number(port) > 65535) return new Error(`--port must be 0–65535, not ${JSON.stringify(port)}`)
  const host = (values.host as string | undefined) ?? '127.0.0.1'
  if (host === '') return new Error('--host must not be empty')
  return { port: Number(port), host, root: (values.root as string | undefined) ?? defaultDocRoot() }
}

async function main(): Promise<void> {
  const options = parseNullServerArgs(process.argv.slice(2))
  if (options === 'help') {
    process.stdout.write(`${NULL_SERVER_USAGE}\n`)
    return
  }
  if (options instanceof Error) {
    process.stderr.write(`httpmodels null-server: ${options.message} (see --help)\n`)
    process.exit(2)
  }
  const server = await startNullServer(options)
  const stop = (): void => { void server.close().then(() => process.exit(0)) }
  process.once('SIGTERM', stop)
  process.once('SIGINT', stop)
  process.stdout.write(`httpmodels null server listening on ${originOf(server.host, server.port)}\n`)
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    process.stderr.write(`httpmodels null-server: ${(error as Error).message}\n`)
    process.exit(1)
  })
}
