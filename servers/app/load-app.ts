// `--app=` → the app a server runs. Empty: the built-in stock app over `--db=` with the static
// files of `--root` for every other path. `module:export`: any gateway app, imported — the
// course's `python3 web_server.py 7890 mini_frame:application`.

import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { App, LoadedApp } from './gateway.js'
import { openRepository } from './repositories/open-repository.js'
import { findProjectFile } from './repositories/project-file.js'
import { createStaticFiles } from './static-files.js'
import { createStockApp } from './stock/stock-app.js'

export interface LoadAppOptions {
  /** `module:export`, or empty for the stock app. */
  app: string
  /** Document root for static files (stock app only). */
  root: string
  /** `memory` or `mysql://user:pass@host:port/db` (stock app only). */
  db: string
  /** Templates of the stock app; default: this project's fixtures/templates. */
  templatesDir?: string
}

/** Load the app; rejects with one clear line (bad --app, missing export, unreachable database). */
export async function loadApp(options: LoadAppOptions): Promise<LoadedApp> {
  if (options.app === '') return loadStockApp(options)
  return { app: await importApp(options.app), close: async () => {} }
}

async function loadStockApp(options: LoadAppOptions): Promise<LoadedApp> {
  const templatesDir = options.templatesDir ?? findProjectFile('fixtures/templates')
  const repository = await openRepository(options.db)
  try {
    const staticApp = createStaticFiles({ root: options.root })
    return { app: createStockApp({ repository, templatesDir, staticApp }), close: () => repository.close() }
  } catch (err) {
    await repository.close()
    throw err
  }
}

/** `module:export`: a path (starting with `.` or `/`, relative to the working directory) or a
 * package name, then the named export (`default` for the default export). */
async function importApp(spec: string): Promise<App> {
  const colon = spec.lastIndexOf(':')
  const specifier = spec.slice(0, colon)
  const name = spec.slice(colon + 1)
  if (colon <= 0 || name === '') throw new Error(`--app=${spec}: expected module:export, e.g. ./my-app.js:app`)
  const isPath = specifier.startsWith('.') || specifier.startsWith('/')
  const target = isPath ? pathToFileURL(resolve(specifier)).href : specifier
  let module: Record<string, unknown>
  try {
    module = (await import(target)) as Record<string, unknown>
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] : String(err)
    throw new Error(`--app=${spec}: cannot import ${specifier}: ${message}`)
  }
  const exported = module[name]
  if (typeof exported !== 'function') {
    const found = exported === undefined ? 'no such export' : `a ${typeof exported}, not a function`
    throw new Error(`--app=${spec}: export ${name} of ${specifier} is ${found}; an app is a function (environ, startResponse)`)
  }
  return exported as App
}
