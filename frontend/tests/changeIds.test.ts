import { describe, expect, it } from 'vitest'
import { checkChangeIds, normaliseChangeId, settledPart } from '../src/api/changeIds'

describe('normaliseChangeId', () => {
  // the server's ChangeIdsValidatorTest cases
  it.each([
    ['12345', '12345'],
    [' 987654321 ', '987654321'],
    ['https://gerrit.wikimedia.org/r/c/mediawiki/core/+/67890', '67890'],
    ['https://gerrit.wikimedia.org/r/c/mediawiki/core/+/67890/', '67890'],
    ['https://gerrit.wikimedia.org/r/c/mediawiki/core/+/67890/3', '67890'],
    ['https://gerrit.wikimedia.org/r/c/operations/mediawiki-config/+/67890/2/wmf-config/x.php', '67890'],
    ['https://gerrit.wikimedia.org/r/67890', '67890'],
    ['https://gerrit.wikimedia.org/r/#/c/67890/', '67890'],
    ['https://gerrit.wikimedia.org/r/c/67890', '67890'],
    ['http://gerrit.example.org/c/project/+/67890?tab=comments', '67890'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseChangeId(input)).toBe(expected)
  })

  it.each([
    '',
    '0',
    '-5',
    '12a',
    'abc',
    '1234567890',
    'https://example.org/',
    '12 34',
    'https://gerrit.wikimedia.org/r/c/mediawiki/core/+/abc',
    'ftp://gerrit/+/123',
  ])('rejects %j', (input) => {
    expect(normaliseChangeId(input)).toBeNull()
  })
})

describe('checkChangeIds', () => {
  it('accepts numbers and URLs separated by spaces, commas and new lines, folding duplicates in order', () => {
    const check = checkChangeIds('12345, 67890\nhttps://gerrit.wikimedia.org/r/c/mediawiki/core/+/12345  42')
    expect(check).toEqual({ ids: ['12345', '67890', '42'], invalid: [], error: null })
  })

  it('needs at least one change', () => {
    expect(checkChangeIds('   ').error).toMatch(/at least one/)
  })

  it('names the entries that are not changes', () => {
    expect(checkChangeIds('12345 abc').error).toBe('"abc" is not a Gerrit change number or change URL')
    expect(checkChangeIds('x y').error).toMatch(/2 entries/)
  })

  it('allows 20 different changes but not 21', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => String(i + 1)).join(' ')
    expect(checkChangeIds(twenty).error).toBeNull()
    expect(checkChangeIds(`${twenty} 21`).error).toMatch(/21 different changes; at most 20/)
    expect(checkChangeIds(`${twenty} 20 20`).error).toBeNull()
  })
})

describe('settledPart', () => {
  it('leaves out the entry still being typed', () => {
    expect(settledPart('')).toBe('')
    expect(settledPart('https://gerrit')).toBe('')
    expect(settledPart('12345 https://ger')).toBe('12345 ')
    expect(settledPart('12345, 678')).toBe('12345, ')
    expect(settledPart('12345 ')).toBe('12345 ')
  })
})
