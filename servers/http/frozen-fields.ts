// Header lists frozen all the way down (the list and every [name, value] pair): such a list can
// never change, so whoever meets it again may reuse what it worked out the first time. Apps hand
// one out for every response of a kind (the stock app's, each cached file's), callApp checks it
// once (app/start-response.ts), and the response writer builds its header lines once (response.ts).

type Fields = Array<[string, string]>

/** Freeze the list and each pair in it; returns the list. */
export function deepFreeze<T extends Fields>(fields: T): T {
  for (let i = 0; i < fields.length; i++) Object.freeze(fields[i])
  return Object.freeze(fields)
}

/** The list and every pair in it are frozen. */
export function isDeepFrozen(fields: Readonly<Fields>): boolean {
  if (!Object.isFrozen(fields)) return false
  for (let i = 0; i < fields.length; i++) if (!Object.isFrozen(fields[i])) return false
  return true
}
