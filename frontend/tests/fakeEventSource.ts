import type { EventSourceFactory, EventSourceLike } from '../src/stream/eventSource'

/** An EventSource the test drives: open it, push messages, drop it like a browser would. */
export class FakeEventSource implements EventSourceLike {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSED = 2

  readyState = FakeEventSource.CONNECTING
  onopen: ((this: EventSourceLike, ev: Event) => unknown) | null = null
  onerror: ((this: EventSourceLike, ev: Event) => unknown) | null = null
  closed = false
  private readonly listeners = new Map<string, ((ev: MessageEvent) => void)[]>()

  constructor(readonly url: string) {}

  addEventListener(type: string, listener: (ev: MessageEvent) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener])
  }

  close(): void {
    this.closed = true
    this.readyState = FakeEventSource.CLOSED
  }

  open(): void {
    this.readyState = FakeEventSource.OPEN
    this.onopen?.call(this, new Event('open'))
  }

  emit(type: string, data: unknown, id?: number): void {
    const event = new MessageEvent(type, { data: JSON.stringify(data), lastEventId: id === undefined ? '' : String(id) })
    for (const listener of this.listeners.get(type) ?? []) listener(event)
  }

  /** The connection dropped and the browser retries by itself (it will send Last-Event-ID). */
  dropAndRetry(): void {
    this.readyState = FakeEventSource.CONNECTING
    this.onerror?.call(this, new Event('error'))
  }

  /** The browser gave up (e.g. a reconnect got HTTP 502): only a new EventSource helps. */
  fail(): void {
    this.readyState = FakeEventSource.CLOSED
    this.onerror?.call(this, new Event('error'))
  }
}

export function fakeFactory(): { factory: EventSourceFactory; sources: FakeEventSource[] } {
  const sources: FakeEventSource[] = []
  return {
    sources,
    factory: (url) => {
      const source = new FakeEventSource(url)
      sources.push(source)
      return source
    },
  }
}

export function line(seq: number, n: number, text = `line ${n}`) {
  return { seq, ts: '2026-11-22T10:00:00.000Z', line: n, stream: 'stdout', text, sensitive: false }
}

/** A fetch stub answering by URL; records every request. */
export function stubFetch(route: (url: string, init?: RequestInit) => { status?: number; body: unknown }) {
  const calls: { url: string; init?: RequestInit }[] = []
  const fetchStub = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input)
    calls.push({ url, init })
    const { status = 200, body } = route(url, init)
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
    })
  }
  return { calls, fetchStub }
}
