import type { LineTest } from './lineCache'

export interface SearchModes {
  caseSensitive: boolean
  regex: boolean
}

/** A query made ready: `test` says whether a line matches, `pattern` (global) finds each match in it. */
export interface CompiledQuery {
  test: LineTest
  pattern: RegExp
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** The query as a matcher; null for a blank query, an error message for a regular expression that is not one. */
export function compileQuery(text: string, modes: SearchModes): CompiledQuery | { error: string } | null {
  if (!text.trim()) return null
  const flags = modes.caseSensitive ? '' : 'i'
  let once: RegExp
  try {
    once = new RegExp(modes.regex ? text : escapeRegExp(text), flags)
  } catch (error) {
    return { error: `Not a regular expression: ${(error as Error).message.replace(/^Invalid regular expression: /, '')}` }
  }
  return { test: (plain) => once.test(plain), pattern: new RegExp(once.source, `${flags}g`) }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c])

/** The line (ANSI stripped) as HTML with each match marked; null when nothing in it matches. */
export function markedHtml(plain: string, pattern: RegExp): string | null {
  let html = ''
  let at = 0
  pattern.lastIndex = 0
  for (let match = pattern.exec(plain); match !== null; match = pattern.exec(plain)) {
    if (match[0].length === 0) {
      pattern.lastIndex++ // an empty match marks nothing, and must not stop the search from moving on
      continue
    }
    html += `${escapeHtml(plain.slice(at, match.index))}<mark class="sp-log__mark">${escapeHtml(match[0])}</mark>`
    at = match.index + match[0].length
  }
  return at === 0 ? null : html + escapeHtml(plain.slice(at))
}
