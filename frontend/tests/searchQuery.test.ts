import { describe, expect, it } from 'vitest'
import { compileQuery, markedHtml, type CompiledQuery } from '../src/log/searchQuery'

const compiled = (text: string, caseSensitive = false, regex = false) => compileQuery(text, { caseSensitive, regex }) as CompiledQuery

describe('search queries', () => {
  it('match plain text anywhere, ignoring case unless asked', () => {
    expect(compiled('sync').test('Syncing a.b')).toBe(true)
    expect(compiled('sync', true).test('Syncing')).toBe(false)
    expect(compiled('a.b').test('axb')).toBe(false) // plain text: the dot is a dot
  })

  it('take regular expressions in regex mode, and say when one is not valid', () => {
    expect(compiled('sync-(canaries|prod)', false, true).test('SYNC-prod')).toBe(true)
    expect(compileQuery('(', { caseSensitive: false, regex: true })).toMatchObject({ error: expect.stringMatching(/^Not a regular expression/) })
    expect(compileQuery('  ', { caseSensitive: false, regex: false })).toBeNull()
  })

  it('mark every match within the line, escaping the rest', () => {
    expect(markedHtml('<b>sync</b> and SYNC', compiled('sync').pattern)).toBe(
      '&lt;b&gt;<mark class="sp-log__mark">sync</mark>&lt;/b&gt; and <mark class="sp-log__mark">SYNC</mark>',
    )
    expect(markedHtml('nothing here', compiled('sync').pattern)).toBeNull()
    expect(markedHtml('aaa', compiled('x*', false, true).pattern)).toBeNull()
  })
})
