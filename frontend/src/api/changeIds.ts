// The same rules as the server's ChangeIdsValidator (docs/api.md; its tests' cases are ours too): Gerrit change numbers (1–9 digits,
// not 0) or change URLs, normalised to numbers, duplicates folded in order, 1 to 20 of them.

export const MAX_CHANGES = 20

const NUMBER = /^[1-9][0-9]{0,8}$/
const URL = /^https?:\/\/[^/\s]+(\/\S*)?$/
// Where Gerrit URLs put the change number: …/project/+/12345, /c/12345, /#/c/12345, /r/12345.
const CHANGE_IN_PATH = [
  /\/\+\/([1-9][0-9]{0,8})(?:[/?#]|$)/,
  /(?:^|\/)(?:#\/)?c\/([1-9][0-9]{0,8})(?:[/?#]|$)/,
  /^\/(?:r\/)?([1-9][0-9]{0,8})\/?(?:[?#].*)?$/,
]

/** The change number a person means by `text`, or null. */
export function normaliseChangeId(text: string): string | null {
  const trimmed = text.trim()
  if (NUMBER.test(trimmed)) return trimmed
  const path = URL.exec(trimmed)?.[1]
  if (!path) return null
  for (const pattern of CHANGE_IN_PATH) {
    const change = pattern.exec(path)
    if (change) return change[1]
  }
  return null
}

export interface ChangeIdsCheck {
  /** Normalised, de-duplicated change numbers. */
  ids: string[]
  /** Tokens that are neither a number nor a change URL. */
  invalid: string[]
  /** Why the input cannot be submitted; null when it can. */
  error: string | null
}

/** Checks what a user typed: change numbers or URLs separated by spaces, commas or new lines. */
export function checkChangeIds(input: string): ChangeIdsCheck {
  const tokens = input.split(/[\s,]+/).filter((t) => t.length > 0)
  const ids: string[] = []
  const invalid: string[] = []
  for (const token of tokens) {
    const id = normaliseChangeId(token)
    if (id === null) invalid.push(token)
    else if (!ids.includes(id)) ids.push(id)
  }
  let error: string | null = null
  if (invalid.length === 1) {
    error = `"${invalid[0]}" is not a Gerrit change number or change URL`
  } else if (invalid.length > 1) {
    error = `${invalid.length} entries are not Gerrit change numbers or change URLs: ${invalid.map((t) => `"${t}"`).join(', ')}`
  } else if (ids.length === 0) {
    error = 'Enter at least one change number or Gerrit change URL'
  } else if (ids.length > MAX_CHANGES) {
    error = `${ids.length} different changes; at most ${MAX_CHANGES} fit in one backport`
  }
  return { ids, invalid, error }
}

/**
 * What of `input` is settled: all but an entry still being typed at its end (no separator after it
 * yet), so "https://gerrit.wikimedia.org/r/c/" is not called wrong before its number is typed.
 */
export function settledPart(input: string): string {
  const open = /[^\s,]+$/.exec(input)
  return open ? input.substring(0, open.index) : input
}
