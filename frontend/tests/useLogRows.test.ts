import { describe, expect, it } from 'vitest'
import { ref, shallowRef } from 'vue'
import type { CachedLine } from '../src/log/lineCache'
import { useLogRows } from '../src/log/useLogRows'
import type { LineRange } from '../src/log/useVirtualScroll'
import { formatClock } from '../src/util/format'

const TS = Date.parse('2026-11-22T10:00:00.000Z')

/** A cache holding the lines the test puts in; records what the rows ask it to fetch. */
function fakeCache() {
  const held = new Map<number, CachedLine>()
  const ensured: [number, number][] = []
  const cache = {
    version: shallowRef(0),
    get: (n: number) => held.get(n),
    ensure: async (from: number, to: number) => {
      ensured.push([from, to])
    },
  }
  return { cache, held, ensured }
}

describe('useLogRows', () => {
  it('renders the lines in range, a placeholder for those not held, and asks for the range', () => {
    const { cache, held, ensured } = fakeCache()
    held.set(1, { text: '\u001b[31mred\u001b[0m <i>', ts: TS, stderr: true, sensitive: false })
    held.set(3, { text: '[sensitive output hidden]', ts: TS, stderr: false, sensitive: true })
    const rows = useLogRows(cache, ref<LineRange>({ from: 1, to: 3 }))
    expect(rows.value.map((row) => row.n)).toEqual([1, 2, 3])
    expect(rows.value[0].html).toContain('ansi-red-fg')
    expect(rows.value[0].html).toContain('&lt;i&gt;')
    expect(rows.value[0]).toMatchObject({ time: formatClock(TS), stderr: true, sensitive: false })
    expect(rows.value[1]).toEqual({ n: 2, text: null, html: null, time: '', stderr: false, sensitive: false })
    expect(rows.value[2].sensitive).toBe(true)
    expect(ensured).toEqual([[1, 3]])
  })

  it('re-renders when lines arrive and when the range moves', () => {
    const { cache, held, ensured } = fakeCache()
    const range = ref<LineRange>({ from: 1, to: 2 })
    const rows = useLogRows(cache, range)
    expect(rows.value[1]).toMatchObject({ text: null, html: null })
    held.set(2, { text: 'two', ts: TS, stderr: false, sensitive: false })
    cache.version.value++
    expect(rows.value[1]).toMatchObject({ text: 'two', html: null })
    range.value = { from: 2, to: 2 }
    expect(rows.value.map((row) => row.n)).toEqual([2])
    expect(ensured).toEqual([
      [1, 2],
      [1, 2],
      [2, 2],
    ])
  })

  it('gives a plain line as text, a coloured or searched one as HTML', () => {
    const { cache, held } = fakeCache()
    held.set(1, { text: 'plain <b>', ts: TS, stderr: false, sensitive: false })
    held.set(2, { text: 'in \u001b[32mgreen\u001b[0m', ts: TS, stderr: false, sensitive: false })
    const rows = useLogRows(cache, ref<LineRange>({ from: 1, to: 2 }))
    expect(rows.value[0]).toMatchObject({ text: 'plain <b>', html: null })
    expect(rows.value[1].text).toBeNull()
    expect(rows.value[1].html).toContain('ansi-green-fg')
    const marked = useLogRows(cache, ref<LineRange>({ from: 1, to: 2 }), () => /plain|green/g)
    expect(marked.value[0].text).toBeNull()
    expect(marked.value[0].html).toContain('&lt;b&gt;')
    expect(marked.value[0].html).toContain('plain')
    expect(marked.value[1].html).not.toContain('ansi-green-fg')
  })

  it('asks for nothing when the log is empty', () => {
    const { cache, ensured } = fakeCache()
    expect(useLogRows(cache, ref<LineRange>({ from: 1, to: 0 })).value).toEqual([])
    expect(ensured).toEqual([])
  })
})
