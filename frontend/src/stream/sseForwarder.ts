// The worker's side of the page's event streams (see `workerEventSource.ts`): it reads each stream with
// fetch, decodes it, and forwards the text to the page in pieces, a few at a time.
import { CLOSED } from './eventSource'
import { FetchEventSource, SILENCE_MS } from './fetchEventSource'
import type { WorkBudget } from './frameBudget'

/** What the page tells the worker, about one of its streams. */
export type ToWorker = { op: 'open'; stream: number; url: string } | { op: 'taken'; stream: number } | { op: 'close'; stream: number }

/**
 * What the worker tells the page: that it runs (stream 0, once), and for a stream that it opened, its text
 * as decoded and that it closed (ended or failed).
 */
export type FromWorker =
  | { stream: 0; kind: 'loaded' }
  | { stream: number; kind: 'open' | 'closed' }
  | { stream: number; kind: 'text'; text: string }

/**
 * Characters held for a page that has not taken the last text yet, beyond which the worker stops reading:
 * a page that cannot keep up then falls behind in the network's buffers and the server's, and sees its
 * backlog in the events' timestamps, as it did before the worker.
 */
export const HELD_CHARS_LIMIT = 4_000_000

/** In the worker nothing waits for frames: the decoding runs as soon as a read arrives. */
const atOnce: WorkBudget = { run: async (work) => work() }

class DecodingEventSource extends FetchEventSource {
  constructor(
    url: string,
    fetcher: typeof fetch,
    private readonly forward: (text: string) => Promise<void>,
  ) {
    super(url, fetcher, SILENCE_MS, atOnce)
  }

  protected override take(text: string): Promise<void> {
    return this.forward(text)
  }
}

/**
 * The most characters sent to the page in one message. The page receives a message in one task, and a
 * whole backlog in one (megabytes) took it 80-130 ms; a piece this size takes a millisecond or two.
 */
export const PIECE_CHARS = 65_536

/**
 * Pieces the page may have to parse at once: with one at a time, the page waited for the worker between
 * two pieces, and on a busy machine took 25,000 lines a second of a 50,000 lines/s flood.
 */
export const PIECES_IN_FLIGHT = 8

/**
 * One stream as the worker reads it: the decoded text goes to the page in pieces of up to `PIECE_CHARS`,
 * one string each, which costs a copy to send (a message per event cost the page far more to receive, and
 * its garbage collector too). At most `PIECES_IN_FLIGHT` wait for the page to parse them, so a page that
 * is busy is not handed more than it can take; a slow job's lines go at once.
 */
export class SseForwarder {
  private readonly pieces: string[] = []
  private heldChars = 0
  private inFlight = 0
  private resumeReading: (() => void) | null = null
  private readonly source: FetchEventSource

  constructor(
    url: string,
    private readonly post: (message: FromWorker) => void,
    private readonly stream: number,
    fetcher: typeof fetch = fetch,
  ) {
    this.source = new DecodingEventSource(url, fetcher, (text) => this.forward(text))
    this.source.onopen = () => this.post({ stream, kind: 'open' })
    this.source.onerror = () => {
      while (this.pieces.length > 0) this.sendPiece()
      this.post({ stream, kind: 'closed' })
    }
  }

  /** The page parsed a piece it was sent. */
  taken(): void {
    if (this.inFlight > 0) this.inFlight--
    this.sendPieces()
  }

  close(): void {
    this.source.close()
    this.wakeReader()
  }

  /** Holds the text for the page; the read goes on only while the page does not have too much waiting. */
  private async forward(text: string): Promise<void> {
    for (let at = 0; at < text.length; at += PIECE_CHARS) this.pieces.push(text.slice(at, at + PIECE_CHARS))
    this.heldChars += text.length
    this.sendPieces()
    while (this.heldChars >= HELD_CHARS_LIMIT && this.source.readyState !== CLOSED) {
      await new Promise<void>((resolve) => (this.resumeReading = resolve))
    }
  }

  private sendPieces(): void {
    while (this.inFlight < PIECES_IN_FLIGHT && this.pieces.length > 0) this.sendPiece()
  }

  private sendPiece(): void {
    const text = this.pieces.shift() as string
    this.heldChars -= text.length
    this.inFlight++
    this.post({ stream: this.stream, kind: 'text', text })
    if (this.heldChars < HELD_CHARS_LIMIT) this.wakeReader()
  }

  private wakeReader(): void {
    const resume = this.resumeReading
    this.resumeReading = null
    resume?.()
  }
}

/** The worker's streams: what it does with each message from the page. */
export function streamHost(post: (message: FromWorker) => void, fetcher: typeof fetch = fetch): (message: ToWorker) => void {
  const streams = new Map<number, SseForwarder>()
  return (message) => {
    switch (message.op) {
      case 'open':
        streams.set(message.stream, new SseForwarder(message.url, post, message.stream, fetcher))
        return
      case 'taken':
        streams.get(message.stream)?.taken()
        return
      case 'close':
        streams.get(message.stream)?.close()
        streams.delete(message.stream)
        return
    }
  }
}
