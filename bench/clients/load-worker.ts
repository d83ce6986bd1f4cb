// Child entry for a LoadSession (bench/clients/load-session.ts; runLoad is a session of one run):
// receives { spec, driver } (or { openLoop: spec }, the open-loop client) over IPC, one at a time,
// runs the load client in this otherwise idle process (so its CPU is the client's alone), and
// replies with the LoadResult (OpenLoopResult). Errors go back as a
// message: the parent decides how to report them. Exits when the parent closes the channel.
import { runOpenLoop } from './open-loop-client.js'
import { runClientHere, type DriverChoice, type OpenLoopReply, type WorkerReply } from './run-load.js'
import type { LoadSpec, OpenLoopSpec } from '../types.js'

if (process.send === undefined) {
  process.stderr.write('load-worker: start me through runLoad (bench/clients/run-load.ts); I need an IPC channel\n')
  process.exit(2)
}

// Exit once the channel closes: no client timer or socket may keep this process alive.
process.on('disconnect', () => process.exit(0))

process.on('message', (message: { spec: LoadSpec; driver: DriverChoice } | { openLoop: OpenLoopSpec }) => {
  void (async () => {
    let reply: WorkerReply | OpenLoopReply
    try {
      reply = 'openLoop' in message
        ? { ok: true, result: await runOpenLoop(message.openLoop) }
        : { ok: true, result: await runClientHere(message.spec, message.driver) }
    } catch (error) {
      reply = { ok: false, error: error instanceof Error ? error.message : String(error) }
    }
    process.send!(reply)
  })()
})
