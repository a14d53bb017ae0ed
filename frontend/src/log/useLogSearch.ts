import { onScopeDispose, ref, toValue, watch, type MaybeRefOrGetter } from 'vue'
import type { LineCache } from './lineCache'
import { compileQuery, type CompiledQuery } from './searchQuery'

export type Direction = 1 | -1

/** How long typing may pause before the search runs. */
export const TYPING_PAUSE_MS = 300

/** What the search needs of the view it searches in. */
export interface SearchView {
  /** the top line on screen: where a forward search starts when there is no match yet */
  firstShown: () => number
  /** the bottom line on screen: where a backward search starts */
  lastShown: () => number
  /** brings a found line into view */
  reveal: (n: number) => void
}

/** The line a search starts from: after (before) the current match, else the top (bottom) of the view; wraps. */
export function searchStart(match: number | null, direction: Direction, shown: { first: number; last: number }, size: number): number {
  const start = match !== null ? match + direction : direction === 1 ? shown.first : shown.last
  if (start > size) return 1
  if (start < 1) return size
  return start
}

export function progressText(scanned: number, total: number): string {
  return `Searching… ${Math.floor((scanned / total) * 100)}%`
}

export function resultText(found: number | null): string {
  return found === null ? 'No match' : `Line ${found.toLocaleString('en')}`
}

/** "3 of 17" once every match is counted. */
export function countText(index: number, total: number): string {
  return `${index.toLocaleString('en')} of ${total.toLocaleString('en')}`
}

/** The next (previous) match in a sorted list after (before) `from`, wrapping around; null for an empty list. */
export function nextInList(matches: readonly number[], from: number, direction: Direction): number | null {
  if (matches.length === 0) return null
  if (direction === 1) return matches.find((n) => n >= from) ?? matches[0]
  for (let i = matches.length - 1; i >= 0; i--) if (matches[i] <= from) return matches[i]
  return matches[matches.length - 1]
}

type SearchCache = Pick<LineCache, 'search' | 'size'> & Partial<Pick<LineCache, 'matchingLines'>>

/**
 * Search through the whole log, not only the lines held: it runs as you type (after a pause), Enter
 * finds the next match, Shift+Enter the previous one, Escape gives up. Matching lines are counted
 * ("3 of 17") over the whole log as it was when the query was typed. A new search aborts the one running.
 */
export function useLogSearch(cache: MaybeRefOrGetter<SearchCache>, view: SearchView) {
  const query = ref('')
  const caseSensitive = ref(false)
  const regex = ref(false)
  /** The line of the current match, marked in the view; the next search goes on from it. */
  const match = ref<number | null>(null)
  /** The query in force (null while blank or invalid): the view marks its matches. */
  const compiled = ref<CompiledQuery | null>(null)
  const status = ref('')
  const searching = ref(false)
  /** Every matching line up to `countedTo`, once counted for the current query. */
  let counted: number[] | null = null
  let countedTo = 0
  let running: AbortController | null = null
  let counting: AbortController | null = null
  let typingTimer: ReturnType<typeof setTimeout> | null = null

  function replaceRunning(): AbortController {
    running?.abort()
    running = new AbortController()
    return running
  }

  function compile(): CompiledQuery | null {
    const result = compileQuery(query.value.trim(), { caseSensitive: caseSensitive.value, regex: regex.value })
    if (result && 'error' in result) {
      compiled.value = null
      status.value = result.error
      return null
    }
    compiled.value = result
    return result
  }

  function found(n: number | null): void {
    match.value = n
    if (n !== null && counted !== null) status.value = countText(counted.indexOf(n) + 1, counted.length)
    else status.value = resultText(n)
    if (n !== null) view.reveal(n)
  }

  async function search(direction: Direction): Promise<void> {
    const text = query.value.trim()
    if (!text) return
    const query_ = compile()
    if (!query_) return
    const lines = toValue(cache)
    const from = searchStart(match.value, direction, { first: view.firstShown(), last: view.lastShown() }, lines.size.value)
    if (counted !== null && countedTo >= lines.size.value) {
      running?.abort()
      searching.value = false
      found(nextInList(counted, from, direction))
      return
    }
    const controller = replaceRunning()
    searching.value = true
    status.value = 'Searching…'
    // the plain default is the cache's own case-insensitive search; the modes need the compiled test
    const plain = !caseSensitive.value && !regex.value
    try {
      const line = await lines.search(plain ? text : query_.test, from, direction, controller.signal, (scanned, total) => {
        status.value = progressText(scanned, total)
      })
      if (controller.signal.aborted) return
      found(line)
    } catch (error) {
      if (!controller.signal.aborted) status.value = `Search failed: ${(error as Error).message}`
    } finally {
      // a newer search owns `searching` now
      if (running === controller) searching.value = false
    }
  }

  /** Counts the matches of the query in force over the whole log, then says where the current one is. */
  async function count(): Promise<void> {
    const lines = toValue(cache)
    const query_ = compiled.value
    counting?.abort()
    if (!query_ || !lines.matchingLines) return
    const controller = new AbortController()
    counting = controller
    const to = lines.size.value
    try {
      const all = await lines.matchingLines(query_.test, 1, to, controller.signal)
      if (controller.signal.aborted) return
      counted = all
      countedTo = to
      if (match.value !== null && !searching.value) status.value = countText(all.indexOf(match.value) + 1, all.length)
      else if (all.length === 0 && !searching.value) status.value = 'No match'
    } catch {
      // aborted, or the server is away: the count is left out, the search itself still works
    }
  }

  /** A changed query or mode starts afresh from the view, not from the old query's match, after a pause. */
  function onQueryInput(): void {
    match.value = null
    status.value = ''
    counted = null
    counting?.abort()
    if (typingTimer !== null) clearTimeout(typingTimer)
    typingTimer = setTimeout(() => {
      typingTimer = null
      if (!query.value.trim()) {
        compiled.value = null
        return
      }
      void search(1).then(count)
    }, TYPING_PAUSE_MS)
  }

  watch([caseSensitive, regex], onQueryInput)

  function cancel(): void {
    running?.abort()
    counting?.abort()
    searching.value = false
    status.value = ''
  }

  /** The next (previous) match now, and the count too if the query has none yet. */
  async function step(direction: Direction): Promise<void> {
    if (typingTimer !== null) clearTimeout(typingTimer)
    typingTimer = null
    await search(direction)
    if (counted === null) await count()
  }

  function onSearchKey(event: KeyboardEvent): void {
    if (event.key === 'Enter') {
      event.preventDefault()
      void step(event.shiftKey ? -1 : 1)
    } else if (event.key === 'Escape') {
      cancel()
    }
  }

  onScopeDispose(() => {
    running?.abort()
    counting?.abort()
    if (typingTimer !== null) clearTimeout(typingTimer)
  })

  return { query, caseSensitive, regex, match, compiled, status, searching, search, step, onQueryInput, onSearchKey }
}
