import { computed, toValue, type MaybeRefOrGetter, type Ref } from 'vue'
import { formatClock } from '../util/format'
import { ansiToHtml, hasAnsi, stripAnsi } from './ansi'
import { markedHtml } from './searchQuery'
import type { LineCache } from './lineCache'
import type { LineRange } from './useVirtualScroll'

/**
 * One rendered line: `text` when it is plain, `html` when it has colours or marks, both null while the
 * line is being fetched.
 */
export interface LogRow {
  n: number
  text: string | null
  html: string | null
  time: string
  stderr: boolean
  sensitive: boolean
}

// A plain line is shown as text: most lines have no colour, and setting a text node's data costs the page
// far less than ansi_up and the HTML parser (innerHTML) for each row, every time the rows are made.
// A line with a match shows it marked, in plain text: marks cannot safely cut through colour spans.
function rowOf(n: number, cache: Pick<LineCache, 'get'>, marks: RegExp | null): LogRow {
  const line = cache.get(n)
  if (!line) return { n, text: null, html: null, time: '', stderr: false, sensitive: false }
  const plain = !hasAnsi(line.text)
  const marked = marks ? markedHtml(plain ? line.text : stripAnsi(line.text), marks) : null
  return {
    n,
    text: marked === null && plain ? line.text : null,
    html: marked ?? (plain ? null : ansiToHtml(line.text)),
    time: formatClock(line.ts),
    stderr: line.stderr,
    sensitive: line.sensitive,
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
