// CLI: run one model standalone (contract 3 in DESIGN.md).
//   npm run serve -- --model=<name> [--port=8080] [--host=127.0.0.1] [--root=fixtures/www]
//     [--db=memory|mysql://user:pass@host:port/db] [--app=<module>:<export>] [--workers=N] [--config=file.json]
//     [--stats-port=P]
// Ready: one stdout line containing `listening on http://HOST:PORT` (with --stats-port, a line
// `stats on http://HOST:PORT` comes just before it). SIGTERM/SIGINT: stop
// accepting, finish in-flight requests, exit 0. Any failure to start: one stderr line, exit ≠ 0.
import { describeError } from './log.js'
import { loadModel } from './models/index.js'
import { originOf } from './models/listen.js'
import type { RunningServer } from './models/model.js'
import { parseServeArgs, serveUsage } from './options.js'
import { startStatsEndpoint, type StatsEndpoint } from './stats-endpoint.js'

function fail(message: string, code: number): never {
  process.stderr.write(`httpmodels serve: ${message}\n`)
  process.exit(code)
}

async function main(): Promise<void> {
  const options = parseServeArgs(process.argv.slice(2))
  if (options === 'help') {
    process.stdout.write(`${serveUsage()}\n`)
    return
  }
  if (options instanceof Error) fail(`${options.message} (see --help)`, 2)

  let server: RunningServer
  try {
    const model = await loadModel(options.model as Parameters<typeof loadModel>[0])
    server = await model.start(options)
  } catch (error) {
    fail(error instanceof Error ? error.message : describeError(error), 1)
  }

  let stats: StatsEndpoint | undefined
  if (options.statsPort !== undefined) {
    try {
      stats = await startStatsEndpoint(options.model, options.host, options.statsPort, server.sweepStats?.bind(server))
    } catch (error) {
      await server.close().catch(() => {})
      fail(`stats endpoint: ${error instanceof Error ? error.message : describeError(error)}`, 1)
    }
  }

  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    Promise.all([server.close(), stats?.close()]).then(
      () => process.exit(0),
      (error: unknown) => fail(`error while stopping on ${signal}: ${describeError(error)}`, 1),
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
  if (stats !== undefined) process.stdout.write(`httpmodels ${options.model} stats on ${originOf(stats.host, stats.port)}\n`)
  process.stdout.write(`httpmodels ${options.model} listening on ${originOf(server.host, server.port)}\n`)
}

main().catch((error: unknown) => fail(describeError(error), 1))
