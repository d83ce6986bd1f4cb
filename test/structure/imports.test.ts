// The shape of the code, checked: no module reaches itself through its imports, and bench/'s
// folders import one way (cli → driver, gate, compare, report → clients → stats, host), as the
// README's Layout section draws it. Type-only imports count too: a cycle of types still ties
// two files together for a reader.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : []
  })
}

/** file (relative to the root) → the project files it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const file of [...sources(join(root, 'servers')), ...sources(join(root, 'bench'))]) {
    const text = readFileSync(file, 'utf8')
    const targets = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+'(\.{1,2}\/[^']+)'/g)]
      .map((m) => relative(root, resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts'))))
    graph.set(relative(root, file), targets)
  }
  return graph
}

function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (file: string): string[] | null => {
    if (state.get(file) === 'done') return null
    if (state.get(file) === 'open') return [...stack.slice(stack.indexOf(file)), file]
    state.set(file, 'open')
    stack.push(file)
    for (const next of graph.get(file) ?? []) {
      const cycle = visit(next)
      if (cycle !== null) return cycle
    }
    stack.pop()
    state.set(file, 'done')
    return null
  }
  for (const file of graph.keys()) {
    const cycle = visit(file)
    if (cycle !== null) return cycle
  }
  return null
}

/** What each bench/ folder may import besides itself (and bench/types.ts, and servers/). */
const BENCH_LAYERS: Record<string, readonly string[]> = {
  cli: ['driver', 'gate', 'compare', 'report', 'clients', 'stats', 'host'],
  gate: ['driver', 'clients', 'stats', 'host'],
  compare: ['driver', 'clients', 'stats', 'host'],
  report: ['driver', 'clients', 'stats', 'host'],
  driver: ['clients', 'stats', 'host'],
  clients: ['stats', 'host'],
  stats: [],
  host: [],
}

const folderOf = (file: string): string | null => /^bench\/([^/]+)\//.exec(file)?.[1] ?? null

describe('the import graph', () => {
  const graph = importGraph()

  it('has found the project files (the checker itself works)', () => {
    expect(graph.size).toBeGreaterThan(100)
    expect(graph.get('servers/http/parser.ts')).toContain('servers/http/errors.ts')
  })

  it('has no cycle anywhere in servers/ or bench/', () => {
    expect(findCycle(graph)).toBeNull()
  })

  it('would report a cycle if there were one', () => {
    expect(findCycle(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]]))).toEqual(['a', 'b', 'c', 'a'])
  })

  it('keeps bench/ source files in folders: only types.ts sits at the top', () => {
    const top = [...graph.keys()].filter((f) => /^bench\/[^/]+\.ts$/.test(f))
    expect(top).toEqual(['bench/types.ts'])
  })

  it('lets every bench/ folder import only the folders below it', () => {
    const wrong: string[] = []
    for (const [file, targets] of graph) {
      const from = folderOf(file)
      if (from === null) continue
      expect(Object.keys(BENCH_LAYERS), `${file} is in a folder the layer table does not know`).toContain(from)
      for (const target of targets) {
        const to = folderOf(target)
        if (to === null || to === from) continue
        if (!BENCH_LAYERS[from]!.includes(to)) wrong.push(`${file} → ${target}`)
      }
    }
    expect(wrong).toEqual([])
  })

  it('keeps statistics pure: bench/stats/ imports no node: module and nothing outside its folder', () => {
    for (const file of [...graph.keys()].filter((f) => f.startsWith('bench/stats/'))) {
      const text = readFileSync(join(root, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '') // code, not comments
      expect(text, file).not.toMatch(/from\s+'node:/)
      expect(text, file).not.toMatch(/\bprocess\.|console\./)
      for (const target of graph.get(file)!) expect(target.startsWith('bench/stats/') || target === 'bench/types.ts', `${file} → ${target}`).toBe(true)
    }
  })

  it('keeps files short: none over 300 lines in bench/', () => {
    const long = [...graph.keys()].filter((f) => f.startsWith('bench/'))
      .map((f) => [f, readFileSync(join(root, f), 'utf8').split('\n').length] as const)
      .filter(([, lines]) => lines > 300)
    expect(long).toEqual([])
  })
})
