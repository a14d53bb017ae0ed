import { shallowRef, type ShallowRef } from 'vue'
import type { LogLine, LogRange } from '../api/types'
import { pageFrameBudget, type FrameBudget } from '../stream/frameBudget'
import { stripAnsi } from './ansi'
import { TimestampReader } from './timestampReader'

export const CHUNK_LINES = 1000
/** The most lines the server sends in one range answer. */
const MAX_RANGE = 10_000

const STDERR = 1
const SENSITIVE = 2
const PRESENT = 4

/** One line as the view needs it. */
export interface CachedLine {
  text: string
  ts: number
  stderr: boolean
  sensitive: boolean
}

/** Milliseconds since the epoch of a line's timestamp (see `TimestampReader`). */
const readTimestamp = new TimestampReader()

// A thousand lines in flat arrays: one string per line and no per-line object.
class Chunk {
  readonly texts: (string | undefined)[] = new Array(CHUNK_LINES)
  readonly ts = new Float64Array(CHUNK_LINES)
  readonly flags = new Uint8Array(CHUNK_LINES)
  filled = 0

  put(offset: number, line: { ts: string; stream: string; text: string; sensitive: boolean }): void {
    if (!(this.flags[offset] & PRESENT)) this.filled++
    this.texts[offset] = line.text
    this.ts[offset] = readTimestamp.millis(line.ts)
    this.flags[offset] = PRESENT | (line.stream === 'stderr' ? STDERR : 0) | (line.sensitive ? SENSITIVE : 0)
  }

  has(offset: number): boolean {
    return (this.flags[offset] & PRESENT) !== 0
  }

  /** The first offset below `limit` without a line, or -1 when every offset in [askedFrom, askedTo) has one. */
  firstMissing(limit: number, askedFrom = 0, askedTo = limit): number {
    let asked = false
    for (let offset = askedFrom; offset < askedTo && !asked; offset++) asked = !this.has(offset)
    if (!asked) return -1
    for (let offset = 0; offset < limit; offset++) if (!this.has(offset)) return offset
    return -1
  }
}

/** Whether a line's text (ANSI already stripped) is a match. */
export type LineTest = (plain: string) => boolean

/** A plain query: the text anywhere in the line, ignoring case. */
export function containsIgnoringCase(query: string): LineTest {
  const needle = query.toLowerCase()
  return (plain) => plain.toLowerCase().includes(needle)
}

export type RangeFetcher = (from: number, to: number, signal?: AbortSignal) => Promise<LogRange>

/**
 * Runs `flush` soon: at a frame, or after 100 ms in a hidden tab (which gets no frames). `lastFlushLines`
 * is how many lines the previous flush showed: a flood is shown less often.
 */
export type FlushScheduler = (flush: () => void, lastFlushLines: number) => void

/**
 * Frames closer than this to the last flush skip it: at 60 frames/s, every other frame. While a job writes
 * lines every frame, showing them 30 times a second instead of 60 halves the page's drawing (the rows'
 * render, layout, paint and compositing), and a flood cannot be read at either speed; a slow job's lines
 * still show at the next frame.
 */
const MIN_FLUSH_INTERVAL_MS = 25

/**
 * A flush that showed this many lines (15,000 lines a second and more) makes the next wait for
 * `FLOOD_FLUSH_INTERVAL_MS`: every fourth frame, 15 times a second. Each showing costs the browser's
 * rendering pipeline (layout, paint, raster, compositing: about a third of what the page's threads did
 * at 50,000 lines a second), on a machine whose cores the job's server may be keeping busy.
 */
const FLOOD_FLUSH_LINES = 500
const FLOOD_FLUSH_INTERVAL_MS = 60

/** A scheduler for one view: new lines show at the next frame, but at most every other frame. */
export function everyOtherFrame(): FlushScheduler {
  let lastFlush = -Infinity
  return (flush, lastFlushLines) => {
    const interval = lastFlushLines >= FLOOD_FLUSH_LINES ? FLOOD_FLUSH_INTERVAL_MS : MIN_FLUSH_INTERVAL_MS
    let done = false
    const once = (at: number) => {
      if (done) return
      done = true
      lastFlush = at
      flush()
    }
    // frames are compared by their start times, which are a frame apart, whatever ran before us in them
    const frame = (frameStart: number) => {
      if (done) return
      if (frameStart - lastFlush < interval) requestAnimationFrame(frame)
      else once(frameStart)
    }
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(frame)
    setTimeout(() => once(performance.now()), 100)
  }
}

/** For tests: lines show at once. */
export const immediately: FlushScheduler = (flush) => flush()

/**
 * The log of one job, held as a bounded cache of 1,000-line chunks. Live lines go in as they arrive;
 * lines that are not held (older ones, or evicted ones) are fetched by range when the view asks for
 * them. So a 1,000,000-line log costs the memory of `maxChunks` chunks, not of the whole log.
 */
export class LineCache {
  /** Lines the log has (line numbers are 1..size). */
  readonly size: ShallowRef<number> = shallowRef(0)
  /** Bumped whenever lines arrive, so views re-render what they show. */
  readonly version: ShallowRef<number> = shallowRef(0)

  private readonly chunks = new Map<number, Chunk>()
  private readonly inFlight = new Set<number>()
  private controller = new AbortController()
  private appendedSize = 0
  /** The last line number shown by a flush, and how many lines that flush showed. */
  private flushedSize = 0
  private lastFlushLines = 0
  private flushPending = false

  constructor(
    private readonly fetchRange: RangeFetcher,
    private readonly maxChunks = 200,
    private readonly schedule: FlushScheduler = everyOtherFrame(),
    // range answers and searches take their turn with the streams (see `frameBudget.ts`)
    private readonly budget: FrameBudget = pageFrameBudget,
  ) {}

  get chunkCount(): number {
    return this.chunks.size
  }

  dispose(): void {
    this.controller.abort()
    this.chunks.clear()
  }

  /**
   * Forgets every line held and drops the reads under way: the same log is to be read again another way
   * (unmasked), and no line of the old way may land after this.
   */
  clear(): void {
    this.controller.abort()
    this.controller = new AbortController()
    this.chunks.clear()
    this.inFlight.clear()
    this.appendedSize = 0
    this.flushedSize = 0
    this.lastFlushLines = 0
    this.version.value++
  }

  /** The log has at least `lines` lines (from a job snapshot or a range answer). */
  growTo(lines: number): void {
    if (lines > this.size.value) this.size.value = lines
  }

  /**
   * A live line. The view hears of new lines at most once a frame: a fast job sends thousands of lines
   * a second, and re-rendering for each would starve the page.
   */
  append(line: LogLine): void {
    this.put(line)
    if (line.line > this.appendedSize) this.appendedSize = line.line
    if (this.flushPending) return
    this.flushPending = true
    this.schedule(() => {
      this.flushPending = false
      this.lastFlushLines = this.appendedSize - this.flushedSize
      this.flushedSize = this.appendedSize
      this.growTo(this.appendedSize)
      this.version.value++
    }, this.lastFlushLines)
  }

  get(lineNumber: number): CachedLine | undefined {
    const chunk = this.chunks.get(Math.floor((lineNumber - 1) / CHUNK_LINES))
    const offset = (lineNumber - 1) % CHUNK_LINES
    if (!chunk || !chunk.has(offset)) return undefined
    const flags = chunk.flags[offset]
    return {
      text: chunk.texts[offset] as string,
      ts: chunk.ts[offset],
      stderr: (flags & STDERR) !== 0,
      sensitive: (flags & SENSITIVE) !== 0,
    }
  }

  /** A held line's text (what a search reads), without making the rest of the line. */
  private textOf(lineNumber: number): string | undefined {
    const chunk = this.chunks.get(Math.floor((lineNumber - 1) / CHUNK_LINES))
    const offset = (lineNumber - 1) % CHUNK_LINES
    return chunk && chunk.has(offset) ? chunk.texts[offset] : undefined
  }

  /** Makes lines [from, to] available: keeps their chunks and fetches what is missing. */
  ensure(from: number, to: number): Promise<void> {
    const last = Math.min(to, this.size.value)
    const pending: Promise<void>[] = []
    for (let index = Math.floor((from - 1) / CHUNK_LINES); index <= Math.floor((last - 1) / CHUNK_LINES); index++) {
      if (index < 0) continue
      const chunk = this.chunks.get(index)
      if (chunk) {
        // most recently used goes last, so eviction takes the chunks nobody looked at lately
        this.chunks.delete(index)
        this.chunks.set(index, chunk)
      }
      const start = index * CHUNK_LINES + 1
      const end = Math.min(start + CHUNK_LINES, this.size.value + 1)
      if ((!chunk || chunk.filled < end - start) && !this.inFlight.has(index)) {
        // Only for a line asked for: the chunk a flood is written into has lines that the page's stream left
        // with the server (its `?lines=latest`, and the worker's `keepLastLines`), which are read once
        // scrolled to, not while the end is shown.
        // Then from the chunk's first line missing on: an answer may stop early (at 4 MiB of text), the next goes on.
        const asked = Math.max(from, start) - start
        const missing = chunk ? chunk.firstMissing(end - start, asked, Math.min(last + 1, end) - start) : 0
        if (missing >= 0) pending.push(this.load(index, start + missing, end))
      }
    }
    return Promise.all(pending).then(() => undefined)
  }

  /**
   * The first line at or after `start` (direction 1) or at or before it (-1) whose text matches `query`
   * (a string: contained, case-insensitive; ANSI is always ignored), wrapping around once; null if none.
   * Lines not held are read from the server in large ranges without filling the cache.
   */
  async search(
    query: string | LineTest,
    start: number,
    direction: 1 | -1,
    signal?: AbortSignal,
    onProgress?: (scanned: number, total: number) => void,
  ): Promise<number | null> {
    const test = typeof query === 'string' ? containsIgnoringCase(query) : query
    const total = this.size.value
    if ((typeof query === 'string' && query.length === 0) || total === 0) return null
    let line = Math.min(Math.max(start, 1), total)
    let scanned = 0
    while (scanned < total) {
      signal?.throwIfAborted()
      // one block: up to the next 10,000-line boundary in the search direction, never past the ends
      const blockStart = direction === 1 ? line : Math.max(1, line - MAX_RANGE + 1)
      const blockEnd = direction === 1 ? Math.min(total, line + MAX_RANGE - 1) : line
      const texts = await this.textsOf(blockStart, blockEnd, signal)
      const count = blockEnd - blockStart + 1
      let hit: number | null = null
      await this.inPieces(
        count,
        (i) => {
          if (scanned >= total) return true
          scanned++
          const n = direction === 1 ? blockStart + i : blockEnd - i
          const text = texts[n - blockStart]
          if (text === undefined || !test(stripAnsi(text))) return false
          hit = n
          return true
        },
        signal,
      )
      if (hit !== null) return hit
      onProgress?.(scanned, total)
      line = direction === 1 ? (blockEnd >= total ? 1 : blockEnd + 1) : blockStart <= 1 ? total : blockStart - 1
    }
    return null
  }

  /**
   * Every line in [from, to] that matches, in order (at most `limit`): what "3 of 17" counts. Lines not
   * held are read from the server like `search` does.
   */
  async matchingLines(
    test: LineTest,
    from: number,
    to: number,
    signal?: AbortSignal,
    onProgress?: (scanned: number, total: number) => void,
    limit = 100_000,
  ): Promise<number[]> {
    const found: number[] = []
    for (let blockStart = Math.max(1, from); blockStart <= to && found.length < limit; blockStart += MAX_RANGE) {
      signal?.throwIfAborted()
      const blockEnd = Math.min(to, blockStart + MAX_RANGE - 1)
      const texts = await this.textsOf(blockStart, blockEnd, signal)
      await this.inPieces(
        blockEnd - blockStart + 1,
        (i) => {
          if (found.length >= limit) return true
          const text = texts[i]
          if (text !== undefined && test(stripAnsi(text))) found.push(blockStart + i)
          return false
        },
        signal,
      )
      onProgress?.(blockEnd - from + 1, to - from + 1)
    }
    return found
  }

  /**
   * Calls `visit` for 0..count-1 in order, until it returns true: a thousand at a time, each thousand within
   * the frame's budget, so a search through held lines does not hold the page for all of them at once.
   */
  private async inPieces(count: number, visit: (i: number) => boolean, signal?: AbortSignal): Promise<void> {
    let done = false
    for (let i = 0; i < count && !done; ) {
      signal?.throwIfAborted()
      await this.budget.run(() => {
        const end = Math.min(count, i + CHUNK_LINES)
        for (; i < end && !done; i++) done = visit(i)
      })
    }
  }

  private async textsOf(from: number, to: number, signal?: AbortSignal): Promise<(string | undefined)[]> {
    const texts: (string | undefined)[] = new Array(to - from + 1)
    let missing = false
    for (let n = from; n <= to; n++) {
      const text = this.textOf(n)
      if (text !== undefined) texts[n - from] = text
      else missing = true
    }
    if (!missing) return texts
    let next = from
    while (next <= to) {
      const range = await this.fetchRange(next, to + 1, signal)
      if (range.lines.length === 0) break
      for (const line of range.lines) {
        if (line.line >= from && line.line <= to) texts[line.line - from] = line.text
      }
      next = range.lines[range.lines.length - 1].line + 1
    }
    return texts
  }

  private put(line: LogLine): void {
    const index = Math.floor((line.line - 1) / CHUNK_LINES)
    let chunk = this.chunks.get(index)
    if (!chunk) {
      chunk = new Chunk()
      this.chunks.set(index, chunk)
      this.evict(index)
    }
    chunk.put((line.line - 1) % CHUNK_LINES, line)
  }

  private evict(keep: number): void {
    for (const index of this.chunks.keys()) {
      if (this.chunks.size <= this.maxChunks) return
      if (index !== keep) this.chunks.delete(index)
    }
  }

  private async load(index: number, from: number, to: number): Promise<void> {
    this.inFlight.add(index)
    const signal = this.controller.signal
    try {
      const range = await this.fetchRange(from, to, signal)
      // The answer lands in one piece with the size it tells (the view never renders half of it), when
      // the frame's budget allows: in a flood, after the next frame rather than in the middle of one.
      await this.budget.run(() => {
        if (signal.aborted) return // cleared meanwhile: these lines are of the old reading
        for (const line of range.lines) this.put(line)
        this.growTo(range.size)
        this.version.value++
      })
    } catch {
      // aborted, or the server is away: the view asks again on its next render
    } finally {
      if (!signal.aborted) this.inFlight.delete(index)
    }
  }
}
