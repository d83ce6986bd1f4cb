// The bench flags about servers the bench did not start: `--target=[NAME=]URL` (repeatable),
// `--target-stats=[NAME=]URL` (their stats endpoints, `npm run serve -- --stats-port=P`) and
// `--reference=NAME` (what ratios divide by: a model or a target). Each bad value throws one line.

import { ALLOWED_LOAD_HOSTS, isAllowedLoadHost } from '../clients/load-target.js'
import { REFERENCE_MODEL } from '../driver/matrix.js'
import type { Target } from '../driver/target-server.js'
import { isModelName } from '../../servers/models/names.js'

/** Letters, digits and . _ - : a name that reads well in a table, a file and a flag. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

/** `NAME=URL` or `URL`: the name is what comes before the first `=`, when that is a name. */
function splitNamed(value: string): { name?: string; url: string } {
  const eq = value.indexOf('=')
  if (eq > 0 && NAME.test(value.slice(0, eq))) return { name: value.slice(0, eq), url: value.slice(eq + 1) }
  return { url: value }
}

/** http://HOST:PORT with an allowed host and nothing after the port; throws one line naming the flag. */
function origin(flag: string, value: string, url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new Error(`--${flag}=${value}: ${JSON.stringify(url)} is not a URL (expected http://HOST:PORT)`)
  }
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname
  if (parsed.protocol !== 'http:' || !isAllowedLoadHost(host)) {
    throw new Error(`--${flag}=${value} refused: only ${ALLOWED_LOAD_HOSTS} may be load-tested`)
  }
  if (parsed.pathname !== '/' || parsed.search !== '' || parsed.hash !== '' || parsed.username !== '' || parsed.password !== '') {
    throw new Error(`--${flag}=${value}: give the origin only, http://HOST:PORT (the scenarios choose the paths)`)
  }
  return parsed.origin
}

/** The targets of `--target` and `--target-stats`, checked against each other and the run's models. */
export function parseTargets(given: readonly string[], stats: readonly string[], models: readonly string[]): Target[] {
  const targets: Target[] = []
  for (const value of given) {
    const { name, url } = splitNamed(value)
    const checked = origin('target', value, url)
    const named = name ?? new URL(checked).host
    if (models.includes(named)) throw new Error(`--target name ${JSON.stringify(named)} is also a model in this run: name the target something else (e.g. ${named}-remote=…)`)
    if (targets.some((t) => t.name === named)) throw new Error(`two --target flags are named ${JSON.stringify(named)}: give each its own NAME=`)
    targets.push({ name: named, origin: checked })
  }
  for (const value of stats) {
    const { name, url } = splitNamed(value)
    if (name === undefined && targets.length !== 1) throw new Error(`--target-stats=${value}: say which target it belongs to, --target-stats=NAME=URL (there are ${targets.length} targets)`)
    const target = name === undefined ? targets[0]! : targets.find((t) => t.name === name)
    if (target === undefined) throw new Error(`--target-stats=${value}: no --target is named ${JSON.stringify(name)} (targets: ${targets.map((t) => t.name).join(', ') || 'none'})`)
    if (target.stats !== undefined) throw new Error(`--target-stats given twice for ${target.name}`)
    target.stats = origin('target-stats', value, url)
  }
  return targets
}

/**
 * What ratios divide by: `--reference=NAME` (a model, added to the run when missing, or a target),
 * none with `--no-reference`, else node-http when any model runs (added when missing) and none
 * when only targets run. Adds to `models` and `notes` as it decides.
 */
export function chooseReference(
  flags: { reference?: string; noReference: boolean }, models: string[], targets: readonly Target[], notes: string[],
): string | null {
  if (flags.reference !== undefined && flags.noReference) throw new Error('--reference and --no-reference contradict each other: give one')
  if (flags.noReference) return null
  const name = flags.reference ?? (models.length > 0 ? REFERENCE_MODEL : null)
  if (name === null) {
    notes.push('no reference for ratios: only targets run (--reference=NAME divides by one of them)')
    return null
  }
  if (targets.some((t) => t.name === name)) return name
  if (!isModelName(name)) throw new Error(`--reference must name a model or a --target, not ${JSON.stringify(name)}`)
  if (!models.includes(name)) {
    models.push(name)
    notes.push(`${name} added as the reference for ratios (--no-reference to leave it out)`)
  }
  return name
}
