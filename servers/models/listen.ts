// Bind a listening server and turn the usual failures into one clear sentence.
import type { Server } from 'node:net'

export interface ListenOptions {
  port: number
  host: string
  /** Kernel accept queue; Node's default is 511. The blocking model keeps it small on purpose. */
  backlog?: number
  /** cluster workers must not share a handle with the primary when they bind themselves. */
  exclusive?: boolean
}

export function listen(server: Server, options: ListenOptions): Promise<{ host: string; port: number }> {
  return new Promise((resolvePromise, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(new Error(describeListenError(error, options)))
    }
    server.once('error', onError)
    server.listen({ port: options.port, host: options.host, backlog: options.backlog, exclusive: options.exclusive }, () => {
      server.off('error', onError)
      const address = server.address()
      if (address === null || typeof address === 'string') {
        reject(new Error(`cannot tell the bound address of ${options.host}:${options.port}`))
        return
      }
      resolvePromise({ host: options.host, port: address.port })
    })
  })
}

function describeListenError(error: NodeJS.ErrnoException, options: ListenOptions): string {
  const where = `${options.host}:${options.port}`
  switch (error.code) {
    case 'EADDRINUSE':
      return `port ${options.port} on ${options.host} is already in use`
    case 'EACCES':
      return `no permission to listen on ${where} (ports below 1024 need privileges)`
    case 'EADDRNOTAVAIL':
      return `address ${options.host} is not available on this machine`
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve host "${options.host}"`
    default:
      return `cannot listen on ${where}: ${error.message}`
  }
}

/** The URL form of a bound address (IPv6 literals in brackets). */
export function originOf(host: string, port: number): string {
  return host.includes(':') ? `http://[${host}]:${port}` : `http://${host}:${port}`
}
