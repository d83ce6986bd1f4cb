// CLI: run one model standalone (contract 3 in DESIGN.md).
//   npm run serve -- --model=<name> [--port=8080] [--host=127.0.0.1] [--root=fixtures/www]
//     [--db=memory|mysql://user:pass@host:port/db] [--app=<module>:<export>] [--workers=N] [--config=file.json]
// Ready: one stdout line containing `listening on http://HOST:PORT`. SIGTERM/SIGINT: stop
// accepting, finish in-flight requests, exit 0. Any failure to start: one stderr line, exit ≠ 0.
import { describeError } from './log.js'
import { loadModel } from './models/index.js'
import { originOf } from './models/listen.js'
import type { RunningServer } from './models/model.js'
import { parseServeArgs, serveUsage } from './options.js'

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

  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    server.close().then(
      () => process.exit(0),
      (error: unknown) => fail(`error while stopping on ${signal}: ${describeError(error)}`, 1),
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
  process.stdout.write(`httpmodels ${options.model} listening on ${originOf(server.host, server.port)}\n`)
}

main().catch((error: unknown) => fail(describeError(error), 1))
