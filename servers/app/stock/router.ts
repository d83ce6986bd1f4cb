// The route table of the course's mini_frame: regular expressions over the decoded path, each
// with the methods it allows; captured groups become the handler's parameters.
//
// A path no route matches is not ours (the caller falls through to static files). A path some
// route matches, asked with a method none of them allows, gets 405 with an Allow header
// (RFC 9110 §15.5.6). HEAD is allowed wherever GET is (RFC 9110 §9.3.2).

export interface RouteSpec<H> {
  /** A regular expression source matched against the whole path (`^(?:…)$` is added). */
  pattern: string
  /** Allowed methods, upper case. */
  methods: readonly string[]
  handler: H
}

export type RouteMatch<H> =
  | { kind: 'route'; handler: H; params: string[] }
  | { kind: 'method-not-allowed'; allow: string }
  | { kind: 'none' }

interface CompiledRoute<H> {
  regex: RegExp
  /** The one path a pattern without regex syntax (bar `\.`) matches: compared, not executed. */
  literal: string | undefined
  methods: ReadonlySet<string>
  handler: H
}

const NONE = Object.freeze({ kind: 'none' as const })
const NO_PARAMS: string[] = []
Object.freeze(NO_PARAMS)

/** `/stocks\.html` → '/stocks.html'; undefined when the pattern uses any regex syntax but `\.`
 * (a bare '.' included: it matches any character). */
function literalPath(pattern: string): string | undefined {
  if (/[\\^$.*+?()[\]{}|]/.test(pattern.replaceAll('\\.', ''))) return undefined
  return pattern.replaceAll('\\.', '.')
}

export class Router<H> {
  readonly #routes: CompiledRoute<H>[]

  constructor(routes: ReadonlyArray<RouteSpec<H>>) {
    this.#routes = routes.map((route) => {
      const methods = new Set(route.methods.map((m) => m.toUpperCase()))
      if (methods.has('GET')) methods.add('HEAD')
      return { regex: new RegExp(`^(?:${route.pattern})$`), literal: literalPath(route.pattern), methods, handler: route.handler }
    })
  }

  /** The first route whose pattern matches `path` and allows `method`. */
  match(method: string, path: string): RouteMatch<H> {
    let allowed: Set<string> | undefined
    for (const route of this.#routes) {
      let params = NO_PARAMS
      if (route.literal !== undefined) {
        if (route.literal !== path) continue
      } else {
        const found = route.regex.exec(path)
        if (found === null) continue
        params = found.slice(1).map((p) => p ?? '')
      }
      if (route.methods.has(method)) return { kind: 'route', handler: route.handler, params }
      allowed ??= new Set()
      for (const m of route.methods) allowed.add(m)
    }
    if (allowed === undefined) return NONE
    return { kind: 'method-not-allowed', allow: [...allowed].join(', ') }
  }
}
