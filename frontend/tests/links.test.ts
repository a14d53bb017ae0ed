import { describe, expect, it } from 'vitest'
import { linkify } from '../src/api/links'

const LINKS = { gerrit: 'https://g.example/r', phabricator: 'https://p.example' }

describe('linkify', () => {
  it('links tasks, Change-Ids and bare URLs, and keeps the rest as text', () => {
    const id = 'I' + '0123456789abcdef'.repeat(2) + '01234567'
    const segments = linkify(`Fix it (see https://x.example/a?b=1).\n\nBug: T123456\nChange-Id: ${id}\n`, LINKS)
    expect(segments).toEqual([
      { text: 'Fix it (see ' },
      { text: 'https://x.example/a?b=1', href: 'https://x.example/a?b=1' },
      { text: ').\n\nBug: ' },
      { text: 'T123456', href: 'https://p.example/T123456' },
      { text: '\nChange-Id: ' },
      { text: id, href: `https://g.example/r/q/${id}` },
      { text: '\n' },
    ])
  })

  it('leaves markup as text and links only http(s)', () => {
    const segments = linkify('<img src=x onerror=alert(1)> javascript:alert(1) T0 XT12', LINKS)
    expect(segments).toEqual([{ text: '<img src=x onerror=alert(1)> javascript:alert(1) T0 XT12' }])
  })
})
