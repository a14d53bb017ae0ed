import { onScopeDispose, ref, toValue, type MaybeRefOrGetter } from 'vue'
import type { LineCache } from './lineCache'

export type Direction = 1 | -1

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

/**
 * Search through the whole log, not only the lines held: Enter finds the next match, Shift+Enter the
 * previous one, Escape gives up. A new search aborts the one still running.
 */
export function useLogSearch(cache: MaybeRefOrGetter<Pick<LineCache, 'search' | 'size'>>, view: SearchView) {
  const query = ref('')
  /** The line of the current match, marked in the view; the next search goes on from it. */
  const match = ref<number | null>(null)
  const status = ref('')
  const searching = ref(false)
  let running: AbortController | null = null

  function replaceRunning(): AbortController {
    running?.abort()
    running = new AbortController()
    return running
  }

  async function search(direction: Direction): Promise<void> {
    const text = query.value.trim()
    if (!text) return
    const controller = replaceRunning()
    searching.value = true
    status.value = 'Searching…'
    const lines = toValue(cache)
    const from = searchStart(match.value, direction, { first: view.firstShown(), last: view.lastShown() }, lines.size.value)
    try {
      const found = await lines.search(text, from, direction, controller.signal, (scanned, total) => {
        status.value = progressText(scanned, total)
      })
      if (controller.signal.aborted) return
      match.value = found
      status.value = resultText(found)
      if (found !== null) view.reveal(found)
    } catch (error) {
      if (!controller.signal.aborted) status.value = `Search failed: ${(error as Error).message}`
    } finally {
      // a newer search owns `searching` now
      if (running === controller) searching.value = false
    }
  }

  /** A changed query starts afresh from the view, not from the old query's match. */
  function onQueryInput(): void {
    match.value = null
    status.value = ''
  }

  function cancel(): void {
    running?.abort()
    searching.value = false
    status.value = ''
  }

  function onSearchKey(event: KeyboardEvent): void {
    if (event.key === 'Enter') {
      event.preventDefault()
      void search(event.shiftKey ? -1 : 1)
    } else if (event.key === 'Escape') {
      cancel()
    }
  }

  onScopeDispose(() => running?.abort())

  return { query, match, status, searching, search, onQueryInput, onSearchKey }
}
