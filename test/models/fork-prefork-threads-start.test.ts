// Models that start other processes or threads must still fail to start the way the serve CLI
// promises (DESIGN.md contract 3): one clear line on stderr and a non-zero exit, whether the
// problem is found in the parent (fork, threads' port) or in a worker process or thread that
// reports it back (prefork's port and app, threads' app and database).
import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { serveFails } from '../helpers/serve-process.js'

const MODELS = [
  ['fork', '--max-procs=2'],
  ['prefork', '--workers=2'],
  ['threads', '--workers=2'],
] as const

function oneLine(stderr: string): string {
  const lines = stderr.trim().split('\n')
  expect(lines).toHaveLength(1)
  return lines[0]!
}

describe.each(MODELS)('model %s start-up failures', (model, workers) => {
  it('exits non-zero with one line naming an unreachable database', async () => {
    // port 9 (discard) on localhost: nothing listens there, the connection is refused at once
    const result = await serveFails([`--model=${model}`, workers, '--port=0', '--db=mysql://root@127.0.0.1:9/stock_db'])
    expect(result.code).not.toBe(0)
    expect(oneLine(result.stderr)).toMatch(/cannot reach database .*127\.0\.0\.1:9/)
    expect(result.stdout).toBe('')
  })

  it('exits non-zero with one line naming an app that cannot be imported', async () => {
    const result = await serveFails([`--model=${model}`, workers, '--port=0', '--app=./no-such-app.mjs:application'])
    expect(result.code).not.toBe(0)
    expect(oneLine(result.stderr)).toMatch(/--app=\.\/no-such-app\.mjs:application: cannot import/)
  })

  it('exits non-zero with one line when the port is taken', async () => {
    const blocker = net.createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as net.AddressInfo).port
    try {
      const result = await serveFails([`--model=${model}`, workers, `--port=${port}`])
      expect(result.code).not.toBe(0)
      expect(oneLine(result.stderr)).toMatch(new RegExp(`port ${port} on 127.0.0.1 is already in use`))
    } finally {
      blocker.close()
    }
  })
})
