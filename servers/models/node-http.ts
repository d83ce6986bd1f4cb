// design: the reference peer, not one of ours: node:http (llhttp parser, IncomingMessage and
// ServerResponse streams) calling the same gateway and app. Accepts and reads like `eventloop`
// (libuv events, keep-alive, pipelining handled by node:http), writes through ServerResponse.
// Every ratio in the bench is taken against this model in the same run.
import http from 'node:http'
import { callApp } from '../app/call-app.js'
import type { AppResponse } from '../app/gateway.js'
import type { ParsedRequest } from '../http/parser.js'
import type { Model } from './model.js'
import { bindServer } from './start-net-server.js'
import { openServerContext } from './server-context.js'

const EMPTY = new Uint8Array(0)

function toParsedRequest(req: http.IncomingMessage, body: Uint8Array): ParsedRequest {
  const raw = req.rawHeaders
  const headers: Array<[string, string]> = []
  for (let i = 0; i < raw.length; i += 2) headers.push([raw[i]!.toLowerCase(), raw[i + 1]!])
  return {
    method: req.method ?? 'GET',
    target: req.url ?? '/',
    version: req.httpVersion === '1.0' ? '1.0' : '1.1',
    headers,
    body,
    keepAlive: true, // node:http decides keep-alive itself
  }
}

function send(res: http.ServerResponse, response: AppResponse): void {
  const headers: Record<string, string | string[]> = { server: 'httpmodels (node:http)' }
  for (const [name, value] of response.headers) {
    const key = name.toLowerCase()
    if (key === 'content-length' || key === 'connection' || key === 'transfer-encoding') continue
    const prev = headers[key]
    headers[key] = prev === undefined || key === 'server' ? value : ([] as string[]).concat(prev, value)
  }
  headers['content-type'] ??= 'application/octet-stream'
  headers['content-length'] = String(response.body.byteLength)
  res.writeHead(response.status, response.reason, headers)
  res.end(response.body)
}

export const nodeHttp: Model = {
  name: 'node-http',
  summary: 'node:http calling the same gateway and app: the reference every ratio is taken against',
  keepAlive: true,
  async start(options) {
    const context = await openServerContext(options)
    const session = context.session
    const server = http.createServer(
      {
        keepAliveTimeout: options.keepAliveTimeoutMs,
        headersTimeout: options.headersTimeoutMs,
        requestTimeout: 0,
        maxHeaderSize: options.limits.maxHeadBytes,
      },
      (req, res) => {
        const conn = { remoteAddress: req.socket.remoteAddress ?? '', remotePort: req.socket.remotePort ?? 0, serverName: session.serverName, serverPort: session.serverPort }
        const answer = (body: Uint8Array): void => {
          const result = callApp(session.app, toParsedRequest(req, body), conn)
          if (result instanceof Promise) result.then((r) => send(res, r), () => res.destroy())
          else send(res, result)
        }
        // No body announced: answer at once instead of waiting for the stream's 'end'.
        if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
          answer(EMPTY)
          return
        }
        const chunks: Buffer[] = []
        req.on('data', (chunk: Buffer) => chunks.push(chunk))
        req.on('end', () => answer(Buffer.concat(chunks)))
      },
    )
    const bound = await bindServer(server, options, context)
    return {
      host: bound.host,
      port: bound.port,
      async close() {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
        server.closeIdleConnections()
        const deadline = setTimeout(() => server.closeAllConnections(), 10_000)
        deadline.unref()
        await stopped
        clearTimeout(deadline)
        await context.close()
      },
    }
  },
}
