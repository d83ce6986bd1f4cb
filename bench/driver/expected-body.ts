// The body each scenario must answer, as a sha256 and a length, together with where that truth came
// from (a literal, a fixture file read from disk, or the reference model's own answer). Reports
// print the source next to every check so nobody mistakes a consistency check for a correctness one.

import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { exchange } from '../clients/http-exchange.js'
import { repoRoot } from '../host/paths.js'
import type { Scenario } from './scenarios.js'
import { serveArgs } from './serve-args.js'
import { startServerProcess } from './server-process.js'

export interface ExpectedBody {
  /** Lower-case hex sha256, or null when the body is not checked by hash (see source). */
  sha256: string | null
  bytes: number | null
  /** Where the expected value came from, in words. */
  source: string
}

export interface ExpectedBodyContext {
  root: string
  /** --db for the reference server (the scenario's store). */
  db: string
  serveEntry: string
  serverEnv?: NodeJS.ProcessEnv
  /** Model whose answer is the reference for rendered pages. */
  referenceModel: string
  /** Another gateway app than the stock app (bench --app): the stock app's literals and files say
   * nothing about its answers, so the reference model running it supplies every body. */
  app?: string
}

export const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex')

const cache = new Map<string, Promise<ExpectedBody>>()

/** The expected body for a scenario; reference fetches are made once per process and reused. */
export function expectedBody(s: Scenario, ctx: ExpectedBodyContext): Promise<ExpectedBody> {
  const check = ctx.app !== undefined && s.body.kind !== 'none' ? { kind: 'reference' as const } : s.body
  switch (check.kind) {
    case 'literal':
      return Promise.resolve({
        sha256: sha256(check.text), bytes: Buffer.byteLength(check.text), source: `literal ${JSON.stringify(check.text)}`,
      })
    case 'file':
      return fileBody(join(ctx.root, check.file))
    case 'none':
      return Promise.resolve({ sha256: null, bytes: null, source: `not hashed: ${check.why}` })
    case 'reference': {
      const request = s.requests[0]!
      const key = JSON.stringify([ctx.serveEntry, ctx.root, ctx.db, ctx.referenceModel, ctx.app ?? '', request.method, request.path])
      let found = cache.get(key)
      if (found === undefined) {
        found = referenceBody(s, ctx)
        // a failed fetch is not cached: the next cell may find the database back
        found.catch(() => cache.delete(key))
        cache.set(key, found)
      }
      return found
    }
  }
}

async function fileBody(path: string): Promise<ExpectedBody> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (error) {
    throw new Error(`cannot read the fixture ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  return { sha256: sha256(bytes), bytes: bytes.length, source: `fixture file ${relative(repoRoot(), path) || path}` }
}

async function referenceBody(s: Scenario, ctx: ExpectedBodyContext): Promise<ExpectedBody> {
  const request = s.requests[0]!
  const server = await startServerProcess({
    entry: ctx.serveEntry,
    args: serveArgs(ctx.referenceModel, ctx.db, ctx.root, undefined, ctx.app),
    env: ctx.serverEnv,
  })
  try {
    const answer = await exchange(server.origin, request)
    if (answer.status !== s.status) {
      throw new Error(`the reference ${ctx.referenceModel} answered ${request.method} ${request.path} with ${answer.status}, expected ${s.status}`)
    }
    return {
      sha256: sha256(answer.body),
      bytes: answer.body.length,
      source: `reference fetch from ${ctx.referenceModel}${ctx.app !== undefined ? ` running --app=${ctx.app}` : ''} (--db=${ctx.db === 'memory' ? 'memory' : 'mysql'}) at run start; ${ctx.referenceModel}'s own cells check only consistency`,
    }
  } finally {
    await server.stop()
  }
}
