// A thin layer over EventSource that survives the browser giving up.
//
// While the connection drops, EventSource reconnects by itself and sends `Last-Event-ID`, which is all
// the server needs to resume. But when a reconnect attempt gets an HTTP error (the server restarting,
// a proxy's 502), the browser closes the EventSource for good; then we open a new one ourselves, with a
// URL computed afresh (so it can carry `?after=<last seq seen>`), backing off up to `maxRetryMs`.

export interface EventSourceLike {
  readonly readyState: number
  onopen: ((this: EventSourceLike, ev: Event) => unknown) | null
  onerror: ((this: EventSourceLike, ev: Event) => unknown) | null
  addEventListener(type: string, listener: (ev: MessageEvent) => void): void
  close(): void
}

export type EventSourceFactory = (url: string) => EventSourceLike

export const browserEventSource: EventSourceFactory = (url) => new EventSource(url) as unknown as EventSourceLike

/** `connecting` the first time, `reconnecting` after a drop, `closed` once closed on purpose. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed'

const CLOSED = 2

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
      source.addEventListener(type, (event: MessageEvent) => {
        if (this.source !== source || this.stopped) return
        let data: unknown
        try {
          data = JSON.parse(event.data as string)
        } catch {
          return // not ours to crash on; the server only sends JSON
        }
        this.options.onMessage(type, data, event.lastEventId)
      })
    }
  }

  private scheduleReconnect(): void {
    const delay = this.retryMs
    this.retryMs = Math.min(this.retryMs * 2, this.options.maxRetryMs ?? 15000)
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
