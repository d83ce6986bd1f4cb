// The flag reader shared by the gate CLIs (bench:compare, bench:check): `--name=value`,
// `--name value` and bare boolean `--name`. It only splits and checks names; each CLI validates
// values. An unknown flag or a stray positional argument is an error (exit 2, one line).

export type FlagValues = Map<string, string | true>

export class FlagError extends Error {}

/** Split argv into flags. `known` maps each accepted name to whether it takes a value. */
export function readFlags(argv: readonly string[], known: Readonly<Record<string, 'value' | 'boolean'>>): FlagValues {
  const flags: FlagValues = new Map()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (!arg.startsWith('--')) throw new FlagError(`unexpected argument "${arg}"`)
    const eq = arg.indexOf('=')
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq)
    const kind = known[name]
    if (kind === undefined) throw new FlagError(`unknown flag --${name}`)
    if (flags.has(name)) throw new FlagError(`--${name} given twice`)
    if (kind === 'boolean') {
      if (eq !== -1) throw new FlagError(`--${name} takes no value`)
      flags.set(name, true)
      continue
    }
    let value: string | undefined
    if (eq !== -1) value = arg.slice(eq + 1)
    else if (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) value = argv[++i]
    if (value === undefined || value === '') throw new FlagError(`--${name} needs a value`)
    flags.set(name, value)
  }
  return flags
}

export function stringFlag(flags: FlagValues, name: string): string | undefined {
  const v = flags.get(name)
  return typeof v === 'string' ? v : undefined
}

/** A number flag within [min, max]; `integer` rejects fractions. */
export function numberFlag(
  flags: FlagValues, name: string, fallback: number,
  { min, max, integer = false }: { min: number; max: number; integer?: boolean },
): number {
  const raw = stringFlag(flags, name)
  if (raw === undefined) return fallback
  const n = Number(raw)
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new FlagError(`--${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got "${raw}"`)
  }
  return n
}

/** A comma list whose every item passes `valid`. */
export function listFlag(
  flags: FlagValues, name: string, fallback: readonly string[],
  valid: (item: string) => boolean, allowed: readonly string[],
): string[] {
  const raw = stringFlag(flags, name)
  if (raw === undefined) return [...fallback]
  const items = raw.split(',').map((s) => s.trim()).filter((s) => s !== '')
  if (items.length === 0) throw new FlagError(`--${name} needs at least one value`)
  for (const item of items) {
    if (!valid(item)) throw new FlagError(`--${name}: unknown value "${item}" (one of: ${allowed.join(', ')})`)
  }
  return [...new Set(items)]
}
