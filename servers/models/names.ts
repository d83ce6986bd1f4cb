// The CLI values of every model, in the order the README and the bench tables show them
// (the course's order: blocking first, the event loop and coroutines last, the reference at the end).
// Kept apart from the registry so tools can list models without loading any model code.
export const MODEL_NAMES = [
  'blocking',
  'fork',
  'prefork',
  'threads',
  'nonblocking',
  'eventloop',
  'coroutines',
  'node-http',
] as const

export type ModelName = (typeof MODEL_NAMES)[number]

export function isModelName(name: string): name is ModelName {
  return (MODEL_NAMES as readonly string[]).includes(name)
}
