// The registry (gunicorn's SUPPORTED_WORKERS): CLI value → the module that implements it.
// Loaded lazily so `serve --model=eventloop` does not load piscina or cluster code.
import type { Model } from './model.js'
import type { ModelName } from './names.js'

export const MODELS: Record<ModelName, () => Promise<Model>> = {
  blocking: async () => (await import('./blocking.js')).blocking,
  fork: async () => (await import('./fork.js')).fork,
  prefork: async () => (await import('./prefork.js')).prefork,
  threads: async () => (await import('./threads.js')).threads,
  nonblocking: async () => (await import('./nonblocking.js')).nonblocking,
  eventloop: async () => (await import('./eventloop.js')).eventloop,
  coroutines: async () => (await import('./coroutines.js')).coroutines,
  'node-http': async () => (await import('./node-http.js')).nodeHttp,
}

async function notYet(name: string): Promise<Model> {
  throw new Error(`model "${name}" is not available in this build yet`)
}

export async function loadModel(name: ModelName): Promise<Model> {
  return MODELS[name]()
}
