// HTML escaping for every value the stock pages show: the five characters that can end a text
// node or an attribute value (OWASP XSS Prevention Cheat Sheet, rule 1; the same set as Python's
// html.escape). Safe in element content and in quoted attribute values.

const SPECIAL = /[&<>"']/
const SPECIAL_ALL = /[&<>"']/g
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

export function escapeHtml(value: string | number): string {
  const text = String(value)
  // most values (codes, numbers, dates, names) contain none: skip the replace and its new string
  if (!SPECIAL.test(text)) return text
  return text.replace(SPECIAL_ALL, (ch) => ENTITY[ch]!)
}
