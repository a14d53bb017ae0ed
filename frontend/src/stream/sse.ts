// The page's connection to a server-sent event stream: it survives the connection giving up, opening a
// new one with a URL computed afresh (so it can carry `?after=<last seq seen>`).
import { CLOSED, type EventSourceFactory, type EventSourceLike } from './eventSource'
import { FetchEventSource } from './fetchEventSource'
import { WorkerEventSource, sseWorkersWork } from './workerEventSource'

/**
 * The page's streams are read by a worker of their own where the browser has workers (see
 * `workerEventSource.ts`), else on the page's thread.
 */
export const browserEventSource: EventSourceFactory = (url) =>
  sseWorkersWork() ? new WorkerEventSource(url) : new FetchEventSource(url)

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
