// What every model builds once per process (or thread) before serving: the app (with its
// database pool) and the session settings. Child processes and worker threads call it too, with
// the same ServeOptions, so every model serves the same app the same way.
import { loadApp } from '../app/load-app.js'
import type { LoadedApp } from '../app/gateway.js'
import type { ServeOptions } from './model.js'
import type { SessionContext } from './session.js'

export interface ServerContext {
  session: SessionContext
  close(): Promise<void>
}

export async function openServerContext(options: ServeOptions): Promise<ServerContext> {
  const loaded: LoadedApp = await loadApp({ app: options.app, root: options.root, db: options.db })
  return {
    session: {
      app: loaded.app,
      limits: options.limits,
      serverName: options.host,
      // Set to the bound port once listening (port 0 resolves late).
      serverPort: options.port,
      headersTimeoutMs: options.headersTimeoutMs,
      keepAliveTimeoutMs: options.keepAliveTimeoutMs,
    },
    close: () => loaded.close(),
  }
}
