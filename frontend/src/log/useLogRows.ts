import { computed, toValue, type MaybeRefOrGetter, type Ref } from 'vue'
import { formatClock } from '../util/format'
import { ansiToHtml, stripAnsi } from './ansi'
import { markedHtml } from './searchQuery'
import type { LineCache } from './lineCache'
import type { LineRange } from './useVirtualScroll'

/** One rendered line; `html` is null while the line is being fetched. */
export interface LogRow {
  n: number
  html: string | null
  time: string
  stderr: boolean
  sensitive: boolean
}

// A line with a match shows it marked, in plain text: marks cannot safely cut through colour spans.
function rowOf(n: number, cache: Pick<LineCache, 'get'>, marks: RegExp | null): LogRow {
  const line = cache.get(n)
  const marked = line && marks ? markedHtml(stripAnsi(line.text), marks) : null
  return {
    n,
    html: marked ?? (line ? ansiToHtml(line.text) : null),
    time: line ? formatClock(line.ts) : '',
    stderr: line?.stderr ?? false,
    sensitive: line?.sensitive ?? false,
  }
}

/** The rows for the lines in `range`, re-made whenever lines arrive in the cache. */
export function useLogRows(
  cache: MaybeRefOrGetter<Pick<LineCache, 'get' | 'ensure' | 'version'>>,
  range: Readonly<Ref<LineRange>>,
  /** the search's pattern: its matches are marked within the lines */
  marks: () => RegExp | null = () => null,
) {
  return computed<LogRow[]>(() => {
    const lines = toValue(cache)
    void lines.version.value // a dependency, so rows re-render when lines arrive
    const { from, to } = range.value
    const pattern = marks()
    const rows: LogRow[] = []
    for (let n = from; n <= to; n++) rows.push(rowOf(n, lines, pattern))
    // also for held lines: it marks their chunks as recently used, so they are evicted last
    if (rows.length > 0) void lines.ensure(from, to)
    return rows
  })
}
