// A server-sent event stream read with fetch, not EventSource: Chromium's EventSource dispatches every
// event as a task of its own, and at tens of thousands of lines a second that alone starved the page (1,600
// events/s taken in, frames up to 3 s; fetch took 14,000/s on the same busy machine). A fetch read hands
// over whatever arrived, often hundreds of events, in one go. It never reconnects by itself: SseConnection
// (`sse.ts`) opens the next one, backing off up to 5 s, so a page finds a restarted server within seconds
// (a refused connection costs nothing to either side).
import { CLOSED, ParsingEventSource } from './eventSource'
import { pageFrameBudget, type WorkBudget } from './frameBudget'

/**
 * A stream that hands over nothing for this long is taken as lost: the server sends a heartbeat every 15 s,
 * so four missed ones mean a connection that died without a word (a sleeping laptop, a dropped network, a
 * proxy that lost its backend), which would otherwise hang the page as if nothing happened. Also covers a
 * request that never gets its response.
 */
export const SILENCE_MS = 60_000

/**
 * An EventSource read with fetch, decoded and parsed here: on the page's thread, or in the worker that
 * reads the page's streams (`sseForwarder.ts`), which decodes what the page is to have and forwards it.
 */
export class FetchEventSource extends ParsingEventSource {
  private readonly controller = new AbortController()
  private watchdog: ReturnType<typeof setTimeout> | null = null

  constructor(
    url: string,
    fetcher: typeof fetch = fetch,
    private readonly silenceMs = SILENCE_MS,
    private readonly decodeBudget: WorkBudget = pageFrameBudget,
  ) {
    super(decodeBudget)
    void this.read(url, fetcher)
  }

  close(): void {
    this.readyState = CLOSED
    this.stopWatchdog()
    this.controller.abort()
  }

  /**
   * What becomes of a read's bytes: decoded and parsed here (the worker's forwarder takes the bytes
   * themselves, see `SseForwarder`). Decoded whole, then parsed slice by slice: a view per slice handed to
   * the decoder became an object of Chromium's for its garbage collector to finalize, hundreds a second in a
   * flood, and the finalizing ran in single tasks of 60-160 ms of CPU. The decoder keeps a character a read
   * cuts in two until the next read completes it.
   */
  protected async takeBytes(bytes: Uint8Array, decoder: TextDecoder): Promise<void> {
    let text = ''
    await this.decodeBudget.run(() => (text = decoder.decode(bytes, { stream: true })))
    await this.parse(text)
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
      this.opened()
      const reader = response.body.getReader()
      const decoder = new TextDecoder()
      for (;;) {
        const { value, done } = await reader.read()
        if (done || this.readyState === CLOSED) break
        this.armWatchdog()
        await this.takeBytes(value, decoder)
      }
    } catch {
      // refused, dropped, silent too long or aborted: told below, unless we closed it ourselves
    }
    this.stopWatchdog()
    this.ended()
  }
}
