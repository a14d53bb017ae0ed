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
 * How long the text of a fast stream gathers in the worker before it goes to the page: about two frames.
 * Text that arrives after a quiet spell goes at once; only what follows it within this time waits.
 */
export const GATHER_MS = 25

/**
 * The most lines of one run of consecutive `line` events that go to the page from what gathered; the run's
 * earlier lines stay with the server (see `keepLastLines`). More than a tall window's rows, so a page that
 * follows the end has every line it shows.
 */
export const KEPT_LINES = 250

/** Where each event of a text/event-stream text ends (after its blank line), and whether it is a `line`. */
function eventEnds(text: string): { ends: number[]; isLine: boolean[] } {
  const ends: number[] = []
  const isLine: boolean[] = []
  let start = 0
  for (let blank = text.indexOf('\n\n'); blank >= 0; blank = text.indexOf('\n\n', start)) {
    const end = blank + 2
    // the server writes `id:`, then `event:`, then `data:`: the type is on the event's first or second line
    const second = text.indexOf('\n', start) + 1
    isLine.push(text.startsWith('event:line\n', start) || (second < end && text.startsWith('event:line\n', second)))
    ends.push(end)
    start = end
  }
  return { ends, isLine }
}

/**
 * The complete events of `text` with every run of more than `keep` consecutive `line` events cut to its last
 * `keep`: the lines a job writes faster than anyone reads (a flood of 50,000 a second) stay with the server,
 * and the page reads them by range when they are scrolled to, as it does lines from before it opened. Every
 * other event, and the lines right before it, go to the page: a `status` event's step starts after the line
 * the page saw last. Text after the last complete event is kept as it is.
 */
export function keepLastLines(text: string, keep: number): string {
  const { ends, isLine } = eventEnds(text)
  const parts: string[] = []
  let from = 0
  for (let i = 0; i < ends.length; ) {
    if (!isLine[i]) {
      i++
      continue
    }
    let last = i
    while (last + 1 < ends.length && isLine[last + 1]) last++
    const dropped = last - i + 1 - keep
    if (dropped > 0) {
      const runStart = i === 0 ? 0 : ends[i - 1]
      parts.push(text.substring(from, runStart))
      from = ends[i + dropped - 1]
    }
    i = last + 1
  }
  if (from === 0) return text
  parts.push(text.substring(from))
  return parts.join('')
}

/**
 * One stream as the worker reads it: the decoded text gathers for up to `GATHER_MS`, then goes to the page
 * with its long runs of lines cut (`keepLastLines`), in pieces of up to `PIECE_CHARS`, one string each, which
 * costs a copy to send (a message per event cost the page far more to receive, and its garbage collector
 * too). At most `PIECES_IN_FLIGHT` wait for the page to parse them, so a page that is busy is not handed more
 * than it can take; a slow job's lines go at once.
 */
export class SseForwarder {
  /** Text read and not yet cut into pieces; its last event may be incomplete. */
  private gathered = ''
  private readonly pieces: string[] = []
  private heldChars = 0
  private inFlight = 0
  private lastCut = -Infinity
  private gatherTimer: ReturnType<typeof setTimeout> | null = null
  private resumeReading: (() => void) | null = null
  private readonly source: FetchEventSource

  constructor(
    url: string,
    private readonly post: (message: FromWorker) => void,
    private readonly stream: number,
    fetcher: typeof fetch = fetch,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.source = new DecodingEventSource(url, fetcher, (text) => this.forward(text))
    this.source.onopen = () => this.post({ stream, kind: 'open' })
    this.source.onerror = () => {
      this.stopGathering()
      this.cut(this.gathered.length)
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
    this.stopGathering()
    this.source.close()
    this.wakeReader()
  }

  /** Holds the text for the page; the read goes on only while the page does not have too much waiting. */
  private async forward(text: string): Promise<void> {
    this.gathered += text
    this.heldChars += text.length
    this.sendPieces()
    while (this.heldChars >= HELD_CHARS_LIMIT && this.source.readyState !== CLOSED) {
      await new Promise<void>((resolve) => (this.resumeReading = resolve))
    }
  }

  private sendPieces(): void {
    if (this.pieces.length === 0 && this.gathered.length > 0) {
      const wait = this.lastCut + GATHER_MS - this.now()
      if (wait > 0) {
        this.gatherTimer ??= setTimeout(() => {
          this.gatherTimer = null
          this.sendPieces()
        }, wait)
        return
      }
      // an event cut in two by the read waits for its end (with the server's "\n\n" ends; any other text goes whole)
      const lastEnd = this.gathered.lastIndexOf('\n\n')
      this.cut(lastEnd < 0 ? this.gathered.length : lastEnd + 2)
    }
    while (this.inFlight < PIECES_IN_FLIGHT && this.pieces.length > 0) this.sendPiece()
  }

  /** Cuts the first `length` characters gathered into pieces for the page, without the lines that stay behind. */
  private cut(length: number): void {
    if (length === 0) return
    const text = keepLastLines(this.gathered.substring(0, length), KEPT_LINES)
    this.gathered = this.gathered.substring(length)
    this.heldChars -= length - text.length
    this.lastCut = this.now()
    for (let at = 0; at < text.length; at += PIECE_CHARS) this.pieces.push(text.slice(at, at + PIECE_CHARS))
    if (this.heldChars < HELD_CHARS_LIMIT) this.wakeReader()
  }

  private sendPiece(): void {
    const text = this.pieces.shift() as string
    this.heldChars -= text.length
    this.inFlight++
    this.post({ stream: this.stream, kind: 'text', text })
    if (this.heldChars < HELD_CHARS_LIMIT) this.wakeReader()
  }

  private stopGathering(): void {
    if (this.gatherTimer !== null) clearTimeout(this.gatherTimer)
    this.gatherTimer = null
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
