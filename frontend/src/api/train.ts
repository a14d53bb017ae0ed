import type { TrainGroup, TrainParameters, TrainStatus } from './types'

/** What a promotion may name: each group, or all wikis at once. */
export const PROMOTABLE = ['testwikis', 'group0', 'group1', 'group2', 'all'] as const

const WIKI = /^[A-Za-z0-9_-]{1,64}$/

/** Wiki names typed with spaces or commas between them; duplicates folded, bad names listed. */
export function parseWikiList(text: string): { wikis: string[]; invalid: string[] } {
  const wikis: string[] = []
  const invalid: string[] = []
  for (const name of text.split(/[\s,]+/).filter((n) => n !== '')) {
    if (!WIKI.test(name)) invalid.push(name)
    else if (!wikis.includes(name)) wikis.push(name)
  }
  return { wikis, invalid }
}

/** The group the train goes to next: the first that has not rolled, else all. */
export function nextGroup(status: TrainStatus): string {
  return status.groups.find((g) => !g.rolled)?.name ?? 'all'
}

/** One line for a group's place on the train: rolled, still on an older version, or split between versions. */
export function describeGroup(group: TrainGroup, trainVersion: string | null): string {
  if (group.wikis === 0) return 'no wikis known'
  if (group.rolled) return `on ${trainVersion}`
  if (group.version) return `on ${group.version}`
  const onTrain = trainVersion ? (group.versions[trainVersion] ?? 0) : 0
  return `${onTrain} of ${group.wikis} wikis on ${trainVersion ?? 'the train'}`
}

/** The promotion's parameters, or why there can be none yet. */
export function promotion(
  status: TrainStatus | null,
  group: string,
  excludedText: string,
): { parameters: TrainParameters | null; error: string | null } {
  if (!status?.trainVersion) return { parameters: null, error: 'The train version is not known.' }
  if (!status.previousVersion) {
    return { parameters: null, error: `No wiki is on a version older than ${status.trainVersion}: there is nothing to promote from.` }
  }
  if (!(PROMOTABLE as readonly string[]).includes(group)) return { parameters: null, error: 'Choose a group.' }
  const { wikis, invalid } = parseWikiList(excludedText)
  if (invalid.length) {
    return { parameters: null, error: `Not wiki names: ${invalid.join(', ')} (letters, digits, _ and - only).` }
  }
  return {
    parameters: { group, version: status.trainVersion, oldVersion: status.previousVersion, excludedWikis: wikis },
    error: null,
  }
}
