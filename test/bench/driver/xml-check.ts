// A small well-formedness check for the SVG the charts write (no XML parser among the
// dependencies): one root element, every tag closed in order, attributes quoted and unique,
// `&` only as a character or predefined entity reference, no `<` inside text or attributes.

const NAME = '[A-Za-z_][A-Za-z0-9_.:-]*'
const TAG = new RegExp(`^<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*"[^"<]*")*)\\s*(/?)>`)
const ATTR = new RegExp(`(${NAME})\\s*=\\s*"([^"<]*)"`, 'g')
const ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);)/

/** Returns null when well-formed, else what is wrong and where. */
export function xmlProblem(xml: string): string | null {
  const stack: string[] = []
  let roots = 0
  let i = xml.startsWith('<?xml') ? xml.indexOf('?>') + 2 : 0
  while (i < xml.length) {
    const lt = xml.indexOf('<', i)
    const textPart = xml.slice(i, lt === -1 ? xml.length : lt)
    if (ENTITY.test(textPart)) return `bad & in text near ${JSON.stringify(textPart.slice(0, 40))}`
    if (stack.length === 0 && textPart.trim() !== '') return `text outside the root: ${JSON.stringify(textPart.slice(0, 40))}`
    if (lt === -1) break
    const match = TAG.exec(xml.slice(lt))
    if (match === null) return `malformed tag at ${lt}: ${JSON.stringify(xml.slice(lt, lt + 60))}`
    const [whole, closing, name, attrs, selfClosing] = match
    const seen = new Set<string>()
    for (const [, attr, value] of attrs!.matchAll(ATTR)) {
      if (seen.has(attr!)) return `attribute ${attr} repeated on <${name}>`
      seen.add(attr!)
      if (ENTITY.test(value!)) return `bad & in attribute ${attr} of <${name}>`
    }
    if (closing === '/') {
      const open = stack.pop()
      if (open !== name) return `</${name}> closes <${open ?? 'nothing'}>`
    } else {
      if (stack.length === 0 && ++roots > 1) return 'more than one root element'
      if (selfClosing !== '/') stack.push(name!)
    }
    i = lt + whole!.length
  }
  return stack.length === 0 ? (roots === 1 ? null : 'no root element') : `unclosed <${stack.join('> <')}>`
}
