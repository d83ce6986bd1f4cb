// One request and its whole response, for the checks that run outside the measured load
// (verification, reference bodies, the write audit). node:http on purpose: a client independent
// of our own parser, so a framing bug in a model cannot hide behind the same bug in the checker.

import { Agent, request } from 'node:http'
import type { LoadRequest } from '../types.js'

export interface Exchange {
  status: number
  /** Header names lower-cased; repeated headers joined with ', ' (node:http's rule). */
  headers: Record<string, string>
  body: Buffer
}

export interface ExchangeOptions {
  /** Reuse this agent's keep-alive connections; without one, the request carries `Connection: close`. */
  agent?: Agent
  timeoutMs?: number
}

export function exchange(origin: string, req: LoadRequest, options: ExchangeOptions = {}): Promise<Exchange> {
  const timeoutMs = options.timeoutMs ?? 5_000
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...req.headers }
    if (options.agent === undefined) headers.connection = 'close'
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body))
    else if (req.method === 'POST') headers['content-length'] = '0'
    const r = request(new URL(req.path, origin), {
      method: req.method,
      headers,
      agent: options.agent ?? false,
    })
    const timer = setTimeout(() => r.destroy(new Error(`no complete answer to ${req.method} ${req.path} within ${timeoutMs} ms`)), timeoutMs)
    r.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    r.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', (error) => {
        clearTimeout(timer)
        reject(error)
      })
      res.on('end', () => {
        clearTimeout(timer)
        const flat: Record<string, string> = {}
        for (const [name, value] of Object.entries(res.headers)) {
          if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value
        }
        resolve({ status: res.statusCode ?? 0, headers: flat, body: Buffer.concat(chunks) })
      })
    })
    r.end(req.body)
  })
}

/** A keep-alive agent holding one connection, so a sequence of exchanges reuses it. */
export const keepAliveAgent = (): Agent => new Agent({ keepAlive: true, maxSockets: 1 })
