import { describe, expect, it } from 'vitest'
import { describeGroup, nextGroup, parseWikiList, promotion } from '../src/api/train'
import type { TrainGroup, TrainStatus } from '../src/api/types'

const group = (name: string, rolled: boolean, versions: Record<string, number>): TrainGroup => ({
  name,
  wikis: Object.values(versions).reduce((a, b) => a + b, 0),
  version: Object.keys(versions).length === 1 ? Object.keys(versions)[0] : null,
  versions,
  rolled,
})

const status: TrainStatus = {
  trainVersion: '1.45.0-wmf.4',
  previousVersion: '1.45.0-wmf.3',
  groups: [
    group('testwikis', true, { '1.45.0-wmf.4': 4 }),
    group('group0', false, { '1.45.0-wmf.4': 3, '1.45.0-wmf.3': 2 }),
    group('group1', false, { '1.45.0-wmf.3': 11 }),
    group('group2', false, {}),
  ],
  blocker: null,
  warnings: [],
}

describe('parseWikiList', () => {
  it('takes spaces and commas, folds duplicates and lists bad names', () => {
    expect(parseWikiList(' enwiki, dewiki  enwiki,,x;y  test_wiki-2 ')).toEqual({
      wikis: ['enwiki', 'dewiki', 'test_wiki-2'],
      invalid: ['x;y'],
    })
    expect(parseWikiList('')).toEqual({ wikis: [], invalid: [] })
  })
})

describe('nextGroup', () => {
  it('is the first group not rolled, else all', () => {
    expect(nextGroup(status)).toBe('group0')
    expect(nextGroup({ ...status, groups: [status.groups[0]] })).toBe('all')
  })
})

describe('describeGroup', () => {
  it('says rolled, behind, split or unknown', () => {
    expect(describeGroup(status.groups[0], status.trainVersion)).toBe('on 1.45.0-wmf.4')
    expect(describeGroup(status.groups[1], status.trainVersion)).toBe('3 of 5 wikis on 1.45.0-wmf.4')
    expect(describeGroup(status.groups[2], status.trainVersion)).toBe('on 1.45.0-wmf.3')
    expect(describeGroup(status.groups[3], status.trainVersion)).toBe('no wikis known')
  })
})

describe('promotion', () => {
  it('names the train version, the one before it and the excluded wikis', () => {
    expect(promotion(status, 'group1', 'enwiki dewiki')).toEqual({
      parameters: { group: 'group1', version: '1.45.0-wmf.4', oldVersion: '1.45.0-wmf.3', excludedWikis: ['enwiki', 'dewiki'] },
      error: null,
    })
  })

  it('refuses what the server would refuse, saying why', () => {
    expect(promotion(null, 'group1', '').error).toMatch(/not known/)
    expect(promotion({ ...status, previousVersion: null }, 'group1', '').error).toMatch(/nothing to promote from/)
    expect(promotion(status, 'group9', '').error).toBe('Choose a group.')
    expect(promotion(status, 'group1', 'en.wikipedia').error).toMatch(/Not wiki names: en.wikipedia/)
  })
})
