// A thin layer over a server-sent event stream that survives the connection giving up.
//
// The stream is read with fetch, not EventSource: Chromium's EventSource dispatches every event as a task
// of its own, and at tens of thousands of lines a second that alone starved the page (1,600 events/s
// taken in, frames up to 3 s; fetch took 14,000/s on the same busy machine). A fetch read hands over
// whatever arrived, often hundreds of events, in one go. When the connection ends or fails, we open a
// new one ourselves, with a URL computed afresh (so it can carry `?after=<last seq seen>`), backing off
// up to `maxRetryMs`: 5 s, so a page finds a restarted server within seconds (a refused connection
// costs nothing to either side).
import { FrameBudget, pageFrameBudget } from './frameBudget'
import { SseParser, type SseMessage } from './sseParser'

/** What a listener reads of an event. */
export type SseEvent = Pick<SseMessage, 'data' | 'lastEventId'>

export interface EventSourceLike {
  readonly readyState: number
  onopen: ((this: EventSourceLike, ev: Event) => unknown) | null
  onerror: ((this: EventSourceLike, ev: Event) => unknown) | null
  addEventListener(type: string, listener: (ev: SseEvent) => void): void
  close(): void
}

export type EventSourceFactory = (url: string) => EventSourceLike

/**
 * A stream that hands over nothing for this long is taken as lost: the server sends a heartbeat every 15 s,
 * so four missed ones mean a connection that died without a word (a sleeping laptop, a dropped network, a
 * proxy that lost its backend), which would otherwise hang the page as if nothing happened. Also covers a
 * request that never gets its response.
 */
export const SILENCE_MS = 60_000

const CONNECTING = 0
const OPEN = 1
const CLOSED = 2

/**
 * A read that fell behind can hand over megabytes at once; it is taken in slices, each within the page's
 * frame budget (see `frameBudget.ts`), so frames are drawn in between.
 */
const SLICE_CHARS = 16_384

/**
 * An EventSource read with fetch. It never reconnects by itself: when the stream ends or fails it is
 * CLOSED and says so through `onerror`, and SseConnection opens the next one.
 */
export class FetchEventSource implements EventSourceLike {
  readyState = CONNECTING
  onopen: ((this: EventSourceLike, ev: Event) => unknown) | null = null
  onerror: ((this: EventSourceLike, ev: Event) => unknown) | null = null
  private readonly listeners = new Map<string, ((ev: SseEvent) => void)[]>()
  private readonly controller = new AbortController()
  private watchdog: ReturnType<typeof setTimeout> | null = null

  constructor(
    url: string,
    fetcher: typeof fetch = fetch,
    private readonly silenceMs = SILENCE_MS,
    private readonly budget: FrameBudget = pageFrameBudget,
  ) {
    void this.read(url, fetcher)
  }

  addEventListener(type: string, listener: (ev: SseEvent) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener])
  }

  close(): void {
    this.readyState = CLOSED
    this.stopWatchdog()
    this.controller.abort()
  }

  /** Aborts the read unless something arrives within `silenceMs`; the abort then reports an error. */
  private armWatchdog(): void {
    this.stopWatchdog()
    this.watchdog = setTimeout(() => this.controller.abort(), this.silenceMs)
  }

  private stopWatchdog(): void {
    if (this.watchdog !== null) clearTimeout(this.watchdog)
    this.watchdog = null
  }

  private async read(url: string, fetcher: typeof fetch): Promise<void> {
    this.armWatchdog()
    try {
      const response = await fetcher(url, {
        headers: { Accept: 'text/event-stream' },
        cache: 'no-store',
        signal: this.controller.signal,
      })
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`)
      if (this.readyState === CLOSED) return
      this.readyState = OPEN
      this.onopen?.call(this, new Event('open'))
      const reader = response.body.getReader()
      const decoder = new TextDecoder()
      const parser = new SseParser((message) => {
        if (this.readyState !== CLOSED) for (const listener of this.listeners.get(message.type) ?? []) listener(message)
      })
      for (;;) {
        const { value, done } = await reader.read()
        if (done || this.readyState === CLOSED) break
        this.armWatchdog()
        // Decoded whole, then parsed slice by slice: a view per slice handed to the decoder became an
        // object of Chromium's for its garbage collector to finalize, hundreds a second in a flood, and
        // the finalizing ran in single tasks of 60-160 ms of CPU. The decoder keeps a character a read
        // cuts in two, the parser a cut line, until the next read or slice completes it.
        let text = ''
        await this.budget.run(() => (text = decoder.decode(value, { stream: true })))
        for (let at = 0; at < text.length && this.readyState !== CLOSED; at += SLICE_CHARS) {
          const slice = text.slice(at, at + SLICE_CHARS)
          await this.budget.run(() => parser.feed(slice))
        }
      }
    } catch {
      // refused, dropped, silent too long or aborted: told below, unless we closed it ourselves
    }
    this.stopWatchdog()
    if (this.readyState === CLOSED) return
    this.readyState = CLOSED
    this.onerror?.call(this, new Event('error'))
  }
}

export const browserEventSource: EventSourceFactory = (url) => new FetchEventSource(url)

/** `connecting` the first time, `reconnecting` after a drop, `closed` once closed on purpose. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed'


export interface SseOptions {
  /** Called for every (re)connection we open ourselves. */
  url: () => string
  types: readonly string[]
  onMessage: (type: string, data: unknown, lastEventId: string) => void
  onState?: (state: ConnectionState) => void
  /** Called each time a connection opens, first or not (the overview refetches its lists then). */
  onOpen?: (first: boolean) => void
  factory?: EventSourceFactory
  initialRetryMs?: number
  maxRetryMs?: number
}

export class SseConnection {
  private source: EventSourceLike | null = null
  private timer: ReturnType<typeof setTimeout> | null = null
  private retryMs: number
  private opened = false
  private stopped = false
  state: ConnectionState = 'connecting'

  constructor(private readonly options: SseOptions) {
    this.retryMs = options.initialRetryMs ?? 1000
  }

  start(): void {
    this.stopped = false
    this.connect()
  }

  close(): void {
    this.stopped = true
    if (this.timer !== null) clearTimeout(this.timer)
    this.timer = null
    this.source?.close()
    this.source = null
    this.setState('closed')
  }

  private connect(): void {
    const factory = this.options.factory ?? browserEventSource
    const source = factory(this.options.url())
    this.source = source
    source.onopen = () => {
      if (this.source !== source) return
      this.retryMs = this.options.initialRetryMs ?? 1000
      const first = !this.opened
      this.opened = true
      this.setState('open')
      this.options.onOpen?.(first)
    }
    source.onerror = () => {
      if (this.source !== source || this.stopped) return
      this.setState(this.opened ? 'reconnecting' : 'connecting')
      if (source.readyState === CLOSED) {
        source.close()
        this.source = null
        this.scheduleReconnect()
      }
    }
    for (const type of this.options.types) {
      source.addEventListener(type, (event) => {
        if (this.source !== source || this.stopped) return
        let data: unknown
        try {
          data = JSON.parse(event.data)
        } catch {
          return // not ours to crash on; the server only sends JSON
        }
        this.options.onMessage(type, data, event.lastEventId)
      })
    }
  }

  private scheduleReconnect(): void {
    const delay = this.retryMs
    this.retryMs = Math.min(this.retryMs * 2, this.options.maxRetryMs ?? 5000)
    this.timer = setTimeout(() => {
      this.timer = null
      if (!this.stopped) this.connect()
    }, delay)
  }

  private setState(state: ConnectionState): void {
    if (this.state === state) return
    this.state = state
    this.options.onState?.(state)
  }
}
