// Page templates: HTML files with `{%name%}` slots (the course's `{%content%}`), read once and
// kept as their literal pieces, so rendering is only string concatenation. Values are inserted
// as given: callers escape them (escape-html.ts).

import { readFileSync } from 'node:fs'
import { join } from 'node:path'

const SLOT = /\{%\s*([A-Za-z_][A-Za-z0-9_]*)\s*%\}/g

export interface Template {
  /** The slot names, in order of appearance. */
  readonly slots: readonly string[]
  /** The template with every slot replaced by `values[slot]` (missing values render empty). */
  render(values: Readonly<Record<string, string>>): string
}

/** Split template text into literal pieces and slot names. */
export function compileTemplate(text: string): Template {
  const literals: string[] = []
  const slots: string[] = []
  let last = 0
  for (const match of text.matchAll(SLOT)) {
    literals.push(text.slice(last, match.index))
    slots.push(match[1]!)
    last = match.index + match[0].length
  }
  literals.push(text.slice(last))
  return {
    slots,
    render(values) {
      let out = literals[0]!
      for (let i = 0; i < slots.length; i++) out += (values[slots[i]!] ?? '') + literals[i + 1]!
      return out
    },
  }
}

/** Templates of one directory, each read from disk on first use and then cached: the text never
 * changes while a server runs (restart to pick up edits). */
export class TemplateDirectory {
  readonly #dir: string
  readonly #cache = new Map<string, Template>()

  constructor(dir: string) {
    this.#dir = dir
  }

  /** The template `name` (e.g. `stocks.html`); `requiredSlots` must all appear in it. Throws one
   * clear line when the file is missing or lacks a slot. */
  get(name: string, requiredSlots: readonly string[] = ['content']): Template {
    let template = this.#cache.get(name)
    if (template === undefined) {
      const path = join(this.#dir, name)
      let text: string
      try {
        text = readFileSync(path, 'utf8')
      } catch (err) {
        throw new Error(`cannot read template ${path}: ${(err as Error).message}`)
      }
      template = compileTemplate(text)
      this.#cache.set(name, template)
    }
    for (const slot of requiredSlots) {
      if (!template.slots.includes(slot)) throw new Error(`template ${join(this.#dir, name)} has no {%${slot}%}`)
    }
    return template
  }
}
