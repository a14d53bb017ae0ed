import { describe, expect, it, vi } from 'vitest'
import { effectScope, shallowRef } from 'vue'
import { countText, nextInList, progressText, resultText, searchStart, TYPING_PAUSE_MS, useLogSearch, type Direction } from '../src/log/useLogSearch'

interface Call {
  query: string
  start: number
  direction: Direction
  signal?: AbortSignal
  progress?: (scanned: number, total: number) => void
  answer: (line: number | null) => void
  fail: (error: Error) => void
}

/** A cache of `size` lines whose searches the test answers. */
function fakeCache(size: number) {
  const calls: Call[] = []
  const cache = {
    size: shallowRef(size),
    search(query: string, start: number, direction: Direction, signal?: AbortSignal, progress?: Call['progress']) {
      return new Promise<number | null>((resolve, reject) => {
        calls.push({ query, start, direction, signal, progress, answer: resolve, fail: reject })
      })
    },
  }
  return { cache, calls }
}

/** A search over lines 101..120 on screen of a 1,000-line log; records the lines it reveals. */
function setup() {
  const { cache, calls } = fakeCache(1000)
  const revealed: number[] = []
  const scope = effectScope()
  const search = scope.run(() =>
    useLogSearch(cache, { firstShown: () => 101, lastShown: () => 120, reveal: (n) => revealed.push(n) }),
  )!
  return { search, calls, revealed, scope }
}

const enter = (shiftKey = false) => new KeyboardEvent('keydown', { key: 'Enter', shiftKey, cancelable: true })

describe('searchStart', () => {
  const shown = { first: 101, last: 120 }

  it('starts from the top of the view forward, from its bottom backward', () => {
    expect(searchStart(null, 1, shown, 1000)).toBe(101)
    expect(searchStart(null, -1, shown, 1000)).toBe(120)
  })

  it('goes on from the current match', () => {
    expect(searchStart(500, 1, shown, 1000)).toBe(501)
    expect(searchStart(500, -1, shown, 1000)).toBe(499)
  })

  it('wraps around the ends of the log', () => {
    expect(searchStart(1000, 1, shown, 1000)).toBe(1)
    expect(searchStart(1, -1, shown, 1000)).toBe(1000)
  })
})

describe('status texts', () => {
  it('tell the progress in whole percent and the match in grouped digits', () => {
    expect(progressText(2999, 10_000)).toBe('Searching… 29%')
    expect(resultText(4321)).toBe('Line 4,321')
    expect(resultText(null)).toBe('No match')
  })
})

describe('useLogSearch', () => {
  it('finds the next match with Enter, reveals and marks it, and goes on from it', async () => {
    const { search, calls, revealed } = setup()
    search.query.value = '  needle '
    const event = enter()
    search.onSearchKey(event)
    expect(event.defaultPrevented).toBe(true)
    expect(search.searching.value).toBe(true)
    expect(search.status.value).toBe('Searching…')
    expect(calls[0]).toMatchObject({ query: 'needle', start: 101, direction: 1 })
    calls[0].progress?.(500, 1000)
    expect(search.status.value).toBe('Searching… 50%')
    calls[0].answer(432)
    await Promise.resolve()
    expect(search.match.value).toBe(432)
    expect(search.status.value).toBe('Line 432')
    expect(search.searching.value).toBe(false)
    expect(revealed).toEqual([432])

    search.onSearchKey(enter(true))
    expect(calls[1]).toMatchObject({ start: 431, direction: -1 })
  })

  it('says so when nothing matches', async () => {
    const { search, calls, revealed } = setup()
    search.query.value = 'absent'
    const done = search.search(-1)
    expect(calls[0]).toMatchObject({ start: 120, direction: -1 })
    calls[0].answer(null)
    await done
    expect(search.status.value).toBe('No match')
    expect(search.match.value).toBeNull()
    expect(revealed).toEqual([])
  })

  it('does nothing for a blank query', async () => {
    const { search, calls } = setup()
    search.query.value = '   '
    await search.search(1)
    expect(calls).toEqual([])
    expect(search.status.value).toBe('')
  })

  it('reports a failed search', async () => {
    const { search, calls } = setup()
    search.query.value = 'x'
    const done = search.search(1)
    calls[0].fail(new Error('server away'))
    await done
    expect(search.status.value).toBe('Search failed: server away')
    expect(search.searching.value).toBe(false)
  })

  it('aborts a search still running when a new one starts, and only the new one reports', async () => {
    const { search, calls, revealed } = setup()
    search.query.value = 'x'
    const first = search.search(1)
    const second = search.search(1)
    expect(calls[0].signal?.aborted).toBe(true)
    calls[0].answer(7)
    await first
    expect(search.searching.value).toBe(true)
    expect(search.status.value).toBe('Searching…')
    calls[1].answer(9)
    await second
    expect(revealed).toEqual([9])
    expect(search.searching.value).toBe(false)
  })

  it('gives up on Escape', () => {
    const { search, calls } = setup()
    search.query.value = 'x'
    void search.search(1)
    search.onSearchKey(new KeyboardEvent('keydown', { key: 'Escape' }))
    expect(calls[0].signal?.aborted).toBe(true)
    expect(search.searching.value).toBe(false)
    expect(search.status.value).toBe('')
  })

  it('starts afresh from the view once the query changes', async () => {
    const { search, calls } = setup()
    search.query.value = 'x'
    const done = search.search(1)
    calls[0].answer(500)
    await done
    search.query.value = 'y'
    search.onQueryInput()
    expect(search.match.value).toBeNull()
    expect(search.status.value).toBe('')
    void search.search(1)
    expect(calls[1].start).toBe(101)
  })

  it('aborts its search when the view goes away', () => {
    const { search, calls, scope } = setup()
    search.query.value = 'x'
    void search.search(1)
    scope.stop()
    expect(calls[0].signal?.aborted).toBe(true)
  })
})

describe('as you type, with a count', () => {
  it('picks the next or previous match from the counted list, wrapping', () => {
    expect(nextInList([5, 40, 90], 41, 1)).toBe(90)
    expect(nextInList([5, 40, 90], 91, 1)).toBe(5)
    expect(nextInList([5, 40, 90], 39, -1)).toBe(5)
    expect(nextInList([5, 40, 90], 4, -1)).toBe(90)
    expect(nextInList([], 4, 1)).toBeNull()
    expect(countText(3, 1700)).toBe('3 of 1,700')
  })

  it('searches after a pause in typing, counts every match, then steps through them as "n of N"', async () => {
    vi.useFakeTimers()
    try {
      const { cache, calls } = fakeCache(1000)
      const matchingLines = vi.fn(async () => [50, 432, 800])
      const revealed: number[] = []
      const scope = effectScope()
      const search = scope.run(() =>
        useLogSearch({ ...cache, matchingLines }, { firstShown: () => 101, lastShown: () => 120, reveal: (n) => revealed.push(n) }),
      )!
      search.query.value = 'need'
      search.onQueryInput()
      search.query.value = 'needle'
      search.onQueryInput()
      expect(calls).toHaveLength(0)
      await vi.advanceTimersByTimeAsync(TYPING_PAUSE_MS)
      expect(calls).toHaveLength(1)
      expect(calls[0]).toMatchObject({ query: 'needle', start: 101 })
      calls[0].answer(432)
      await vi.runAllTimersAsync()
      expect(matchingLines).toHaveBeenCalledTimes(1)
      expect(search.status.value).toBe('2 of 3')
      await search.search(1)
      expect(search.status.value).toBe('3 of 3')
      await search.search(1)
      expect(search.status.value).toBe('1 of 3')
      expect(revealed).toEqual([432, 800, 50])
      expect(calls).toHaveLength(1) // the counted list answers, the server is not asked again
      scope.stop()
    } finally {
      vi.useRealTimers()
    }
  })

  it('uses the compiled query in case-sensitive or regex mode, and says when a regex is not one', async () => {
    const { search, calls } = setup()
    search.query.value = 'Sync-(a|b)'
    search.regex.value = true
    const done = search.search(1)
    expect(typeof calls[0].query).toBe('function')
    expect((calls[0].query as unknown as (t: string) => boolean)('sync-b')).toBe(true)
    calls[0].answer(null)
    await done
    search.query.value = '('
    await search.search(1)
    expect(search.status.value).toMatch(/^Not a regular expression/)
    expect(calls).toHaveLength(1)
  })
})
