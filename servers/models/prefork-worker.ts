// A worker process of the prefork model: the `eventloop` server on its own app and database pool,
// listening through node:cluster (the primary owns the port). Started by prefork.ts with its
// ServeOptions in the environment.
//
// Stopping: SIGTERM stops it gracefully (finish in-flight, exit 0); the primary sends it to every
// worker when the server stops, and sent to one worker by hand it does the same, after which the
// primary replaces that worker, as gunicorn does. SIGINT is ignored: a terminal's Ctrl-C reaches
// the whole process group, and the primary, which gets it too, decides. If the primary vanishes,
// cluster's own 'disconnect' handler exits the worker.
import { describeError } from '../log.js'
import { eventloop } from './eventloop.js'
import type { RunningServer, ServeOptions } from './model.js'
import { WORKER_OPTIONS_ENV, type PreforkMessage } from './prefork.js'

const report = (message: PreforkMessage): Promise<void> =>
  new Promise((resolve) => process.send!(message, undefined, undefined, () => resolve()))

let running: RunningServer | undefined
let stopping = false
function stop(): void {
  if (stopping) return
  stopping = true
  if (running === undefined) return // still starting: stops as soon as it is up (below)
  running.close().then(
    () => process.exit(0),
    () => process.exit(1),
  )
}
// Before booting: a stop asked for while the app loads takes effect once it is up.
process.on('SIGTERM', stop)
process.on('SIGINT', () => {})

try {
  const options = JSON.parse(process.env[WORKER_OPTIONS_ENV] ?? '') as ServeOptions
  running = await eventloop.start(options)
} catch (error) {
  await report({ type: 'failed', message: error instanceof Error ? error.message : describeError(error) })
  process.exit(1)
}
if (stopping) {
  stopping = false
  stop()
}
