import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { compileTemplate, TemplateDirectory } from '../../../servers/app/stock/templates.js'
import { findProjectFile } from '../../../servers/app/repositories/project-file.js'

describe('compileTemplate', () => {
  it('replaces {%content%} and any other named slot, keeping the text around them', () => {
    const template = compileTemplate('<h1>{%name%}</h1>\n{%content%}\n<p>{% name %}</p>')
    expect(template.slots).toEqual(['name', 'content', 'name'])
    expect(template.render({ name: 'Ada', content: '<table></table>' })).toBe('<h1>Ada</h1>\n<table></table>\n<p>Ada</p>')
  })

  it('renders a slot without a value as empty', () => {
    expect(compileTemplate('a{%content%}b').render({})).toBe('ab')
  })

  it('leaves text that only resembles a slot alone', () => {
    expect(compileTemplate('{% 1x %} {content} {%%}').render({ content: 'X' })).toBe('{% 1x %} {content} {%%}')
  })

  it('inserts values as given, without expanding slots inside them', () => {
    expect(compileTemplate('{%content%}').render({ content: '{%content%}$&' })).toBe('{%content%}$&')
  })
})

describe('TemplateDirectory', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'templates-'))
  })
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('reads a template once and keeps serving the cached text', () => {
    writeFileSync(join(dir, 'page.html'), 'first {%content%}')
    const templates = new TemplateDirectory(dir)
    expect(templates.get('page.html').render({ content: 'x' })).toBe('first x')
    writeFileSync(join(dir, 'page.html'), 'second {%content%}')
    expect(templates.get('page.html').render({ content: 'x' })).toBe('first x')
  })

  it('fails with one line naming the file when it is missing', () => {
    expect(() => new TemplateDirectory(dir).get('nope.html')).toThrow(/^cannot read template .*nope\.html: ENOENT/)
  })

  it('fails with one line when a required slot is missing', () => {
    writeFileSync(join(dir, 'page.html'), '<p>no slot</p>')
    expect(() => new TemplateDirectory(dir).get('page.html')).toThrow(/page\.html has no \{%content%\}/)
  })

  it('finds {%content%} in each of the project templates, and {%name%} in mine.html', () => {
    const templates = new TemplateDirectory(findProjectFile('fixtures/templates'))
    for (const name of ['stocks.html', 'center.html']) expect(templates.get(name).slots).toEqual(['content'])
    expect(templates.get('mine.html', ['name', 'content']).slots).toContain('name')
  })
})
