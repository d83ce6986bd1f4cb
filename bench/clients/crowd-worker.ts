// Child entry for run-crowd.ts: holds a crowd (crowd-client.ts) or runs the probe (probe-client.ts)
// in a process of its own, so 10,000 sockets or the probe's timing never share an event loop with
// the driver or with each other. Commands arrive over IPC as { id, cmd, arg } and each gets one
// reply { id, ok, value | error }; failures are replies, never crashes.
import { Crowd } from './crowd-client.js'
import type { CrowdSpec } from './crowd-spec.js'
import { Probe, type ProbeSpec } from './probe-client.js'
import { sweepReplicaUs } from './sweep-replica.js'
import { openFileLimit } from '../host/open-files.js'

if (process.send === undefined) {
  process.stderr.write('crowd-worker: start me through run-crowd.ts; I need an IPC channel\n')
  process.exit(2)
}

let crowd: Crowd | undefined
let probe: Probe | undefined

const commands: Record<string, (arg: unknown) => unknown> = {
  limits: () => openFileLimit(),
  open: async (spec) => {
    crowd = new Crowd(spec as CrowdSpec)
    return crowd.open()
  },
  counts: () => need(crowd, 'crowd').counts(),
  sweep: () => sweepReplicaUs(need(crowd, 'crowd').openFds()),
  close: () => need(crowd, 'crowd').close(),
  probe: (arg) => {
    const { spec, phase } = arg as { spec: ProbeSpec; phase: string }
    probe = new Probe(spec)
    probe.start(phase)
    return true
  },
  phase: (name) => {
    need(probe, 'probe').phase(name as string)
    return true
  },
  pause: async () => {
    await need(probe, 'probe').pause()
    return true
  },
  resume: () => {
    need(probe, 'probe').resume()
    return true
  },
  stop: () => need(probe, 'probe').stop(),
}

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`crowd-worker: no ${what} started`)
  return value
}

process.on('message', (message: { id: number; cmd: string; arg?: unknown }) => {
  void (async () => {
    let reply: { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string }
    try {
      const command = commands[message.cmd]
      if (command === undefined) throw new Error(`crowd-worker: unknown command ${message.cmd}`)
      reply = { id: message.id, ok: true, value: await command(message.arg) }
    } catch (error) {
      reply = { id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) }
    }
    process.send!(reply)
  })()
})
// The parent ends this process when it is done with it (run-crowd.ts); the channel closing means
// the parent is gone, and no socket or timer here may keep the process alive after that.
process.on('disconnect', () => process.exit(0))
