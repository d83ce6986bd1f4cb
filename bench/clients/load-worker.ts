// Child entry for runLoad (bench/clients/run-load.ts): receives { spec, driver } over IPC, runs the load
// client in this otherwise idle process (so its CPU is the client's alone), replies with the
// LoadResult and exits. Errors go back as a message: the parent decides how to report them.
import { runClientHere, type DriverName, type WorkerReply } from './run-load.js'
import type { LoadSpec } from '../types.js'

if (process.send === undefined) {
  process.stderr.write('load-worker: start me through runLoad (bench/clients/run-load.ts); I need an IPC channel\n')
  process.exit(2)
}

process.once('message', (message: { spec: LoadSpec; driver: DriverName }) => {
  void (async () => {
    let reply: WorkerReply
    try {
      reply = { ok: true, result: await runClientHere(message.spec, message.driver) }
    } catch (error) {
      reply = { ok: false, error: error instanceof Error ? error.message : String(error) }
    }
    // Exit once the reply is flushed: no client timer or socket may keep this process alive.
    process.send!(reply, () => process.exit(0))
  })()
})
