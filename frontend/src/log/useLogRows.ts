import { computed, toValue, type MaybeRefOrGetter, type Ref } from 'vue'
import { formatClock } from '../util/format'
import { ansiToHtml } from './ansi'
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

function rowOf(n: number, cache: Pick<LineCache, 'get'>): LogRow {
  const line = cache.get(n)
  return {
    n,
    html: line ? ansiToHtml(line.text) : null,
    time: line ? formatClock(line.ts) : '',
    stderr: line?.stderr ?? false,
    sensitive: line?.sensitive ?? false,
  }
}

/** The rows for the lines in `range`, re-made whenever lines arrive in the cache. */
export function useLogRows(
  cache: MaybeRefOrGetter<Pick<LineCache, 'get' | 'ensure' | 'version'>>,
  range: Readonly<Ref<LineRange>>,
) {
  return computed<LogRow[]>(() => {
    const lines = toValue(cache)
    void lines.version.value // a dependency, so rows re-render when lines arrive
    const { from, to } = range.value
    const rows: LogRow[] = []
    for (let n = from; n <= to; n++) rows.push(rowOf(n, lines))
    // also for held lines: it marks their chunks as recently used, so they are evicted last
    if (rows.length > 0) void lines.ensure(from, to)
    return rows
  })
}
