import { describe, expect, it } from 'vitest'
import { escapeHtml } from '../../../servers/app/stock/escape-html.js'

describe('escapeHtml', () => {
  it('replaces the five characters that can break out of text or a quoted attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;')
  })

  it('escapes an ampersand that already looks like an entity, so text shows as written', () => {
    expect(escapeHtml('&amp;')).toBe('&amp;amp;')
  })

  it('returns other text unchanged, including non-ASCII names', () => {
    expect(escapeHtml('长江化工 000034')).toBe('长江化工 000034')
  })

  it('formats numbers as text', () => {
    expect(escapeHtml(12.5)).toBe('12.5')
  })
})
