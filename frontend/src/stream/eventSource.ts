// What the page's streams are read through: an EventSource's shape, whoever reads the bytes.
import type { WorkBudget } from './frameBudget'
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

export const CONNECTING = 0
export const OPEN = 1
export const CLOSED = 2

/**
 * A read that fell behind can hand over megabytes at once; it is parsed in slices, each within the page's
 * frame budget (see `frameBudget.ts`), so frames are drawn in between.
 */
const SLICE_CHARS = 16_384

/**
 * What the page's event sources share: listeners by event type, and the parser that feeds them the stream's
 * text as it is decoded. Neither reconnects by itself: when the stream ends or fails the source is CLOSED
 * and says so through `onerror`, and SseConnection (`sse.ts`) opens the next one.
 */
export abstract class ParsingEventSource implements EventSourceLike {
  readyState = CONNECTING
  onopen: ((this: EventSourceLike, ev: Event) => unknown) | null = null
  onerror: ((this: EventSourceLike, ev: Event) => unknown) | null = null
  private readonly listeners = new Map<string, ((ev: SseEvent) => void)[]>()
  private readonly parser = new SseParser((message) => {
    if (this.readyState !== CLOSED) for (const listener of this.listeners.get(message.type) ?? []) listener(message)
  })

  constructor(private readonly budget: WorkBudget) {}

  addEventListener(type: string, listener: (ev: SseEvent) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener])
  }

  abstract close(): void

  protected opened(): void {
    this.readyState = OPEN
    this.onopen?.call(this, new Event('open'))
  }

  /** The stream ended or failed, unless we closed it ourselves. */
  protected ended(): void {
    if (this.readyState === CLOSED) return
    this.readyState = CLOSED
    this.onerror?.call(this, new Event('error'))
  }

  /** Parses a piece of the stream's text, a slice per turn of the budget. The parser keeps a line cut in two. */
  protected async parse(text: string): Promise<void> {
    for (let at = 0; at < text.length && this.readyState !== CLOSED; at += SLICE_CHARS) {
      const slice = text.slice(at, at + SLICE_CHARS)
      await this.budget.run(() => this.parser.feed(slice))
    }
  }
}
