// The worker's side of the page's event streams (see `workerEventSource.ts`): it reads each stream with
// fetch, decodes what the page is to have of it, and forwards the text to the page in pieces, a few at a time.
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
 * Bytes read and characters decoded (the same for the server's JSON, which escapes all but ASCII) held for a
 * page that has not taken the last text yet, beyond which the worker stops reading: a page that cannot keep
 * up then falls behind in the network's buffers and the server's, and sees its backlog in the events'
 * timestamps, as it did before the worker.
 */
export const HELD_CHARS_LIMIT = 4_000_000

/** In the worker nothing waits for frames. */
const atOnce: WorkBudget = { run: async (work) => work() }

/** A stream read with fetch whose bytes go to the forwarder as they are read, to be decoded there. */
class ForwardingEventSource extends FetchEventSource {
  constructor(
    url: string,
    fetcher: typeof fetch,
    private readonly forward: (bytes: Uint8Array) => Promise<void>,
  ) {
    super(url, fetcher, SILENCE_MS, atOnce)
  }

  protected override takeBytes(bytes: Uint8Array): Promise<void> {
    return this.forward(bytes)
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

const NEWLINE = 10
const LINE_TYPE = new TextEncoder().encode('event:line\n')

function startsWithAt(bytes: Uint8Array, at: number, prefix: Uint8Array): boolean {
  if (at + prefix.length > bytes.length) return false
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false
  return true
}

/** Where each event of a text/event-stream ends (after its blank line), and whether it is a `line`. */
function eventEnds(bytes: Uint8Array): { ends: number[]; isLine: boolean[] } {
  const ends: number[] = []
  const isLine: boolean[] = []
  for (let start = 0; ; ) {
    const firstNewline = bytes.indexOf(NEWLINE, start)
    let blank = firstNewline
    while (blank >= 0 && bytes[blank + 1] !== NEWLINE) blank = bytes.indexOf(NEWLINE, blank + 1)
    if (blank < 0) break
    const end = blank + 2
    // the server writes `id:`, then `event:`, then `data:`: the type is on the event's first or second line
    isLine.push(startsWithAt(bytes, start, LINE_TYPE) || (firstNewline + 1 < end && startsWithAt(bytes, firstNewline + 1, LINE_TYPE)))
    ends.push(end)
    start = end
  }
  return { ends, isLine }
}

/** What `keepLastLines` answers, with the events' ends found already. */
function withoutLongRuns(bytes: Uint8Array, ends: number[], isLine: boolean[], keep: number): Uint8Array {
  const kept: [number, number][] = []
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
      kept.push([from, i === 0 ? 0 : ends[i - 1]])
      from = ends[i + dropped - 1]
    }
    i = last + 1
  }
  if (from === 0) return bytes
  kept.push([from, bytes.length])
  const out = new Uint8Array(kept.reduce((n, [a, b]) => n + b - a, 0))
  let at = 0
  for (const [a, b] of kept) {
    out.set(bytes.subarray(a, b), at)
    at += b - a
  }
  return out
}

/**
 * The bytes of a text/event-stream with every run of more than `keep` consecutive `line` events cut to its
 * last `keep`: the lines a job writes faster than anyone reads (a flood of 50,000 a second) stay with the
 * server, and the page reads them by range when they are scrolled to, as it does lines from before it
 * opened. Every other event, and the lines right before it, go to the page: a `status` event's step starts
 * after the line the page saw last. Bytes after the last complete event are kept as they are.
 */
export function keepLastLines(bytes: Uint8Array, keep: number): Uint8Array {
  const { ends, isLine } = eventEnds(bytes)
  return withoutLongRuns(bytes, ends, isLine, keep)
}

function joined(chunks: Uint8Array[], length: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]
  const bytes = new Uint8Array(length)
  let at = 0
  for (const chunk of chunks) {
    bytes.set(chunk, at)
    at += chunk.length
  }
  return bytes
}

/**
 * One stream as the worker reads it: the bytes read gather for up to `GATHER_MS`; then their long runs of
 * lines are cut (`keepLastLines`), and only what is left is decoded (at 50,000 lines a second, decoding every
 * byte was the worker's largest cost) and goes to the page in pieces of up to `PIECE_CHARS`, one string each,
 * which costs a copy to send (a message per event cost the page far more to receive, and its garbage
 * collector too). At most `PIECES_IN_FLIGHT` wait for the page to parse them, so a page that is busy is not
 * handed more than it can take; a slow job's lines go at once.
 */
export class SseForwarder {
  /** Bytes read and not yet decoded; the last event may be incomplete. */
  private gathered: Uint8Array[] = []
  private gatheredBytes = 0
  /** One decoder for the whole stream: a character that a read cut in two waits in it for its other half. */
  private readonly decoder = new TextDecoder()
  private readonly pieces: string[] = []
  /** Bytes gathered plus characters in pieces not sent yet. */
  private held = 0
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
    this.source = new ForwardingEventSource(url, fetcher, (bytes) => this.forward(bytes))
    this.source.onopen = () => this.post({ stream, kind: 'open' })
    this.source.onerror = () => {
      this.stopGathering()
      this.cut(true)
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

  /** Holds the bytes for the page; the read goes on only while the page does not have too much waiting. */
  private async forward(bytes: Uint8Array): Promise<void> {
    this.gathered.push(bytes)
    this.gatheredBytes += bytes.length
    this.held += bytes.length
    this.sendPieces()
    while (this.held >= HELD_CHARS_LIMIT && this.source.readyState !== CLOSED) {
      await new Promise<void>((resolve) => (this.resumeReading = resolve))
    }
  }

  private sendPieces(): void {
    if (this.pieces.length === 0 && this.gatheredBytes > 0) {
      const wait = this.lastCut + GATHER_MS - this.now()
      if (wait > 0) {
        this.gatherTimer ??= setTimeout(() => {
          this.gatherTimer = null
          this.sendPieces()
        }, wait)
        return
      }
      this.cut(false)
    }
    while (this.inFlight < PIECES_IN_FLIGHT && this.pieces.length > 0) this.sendPiece()
  }

  /**
   * Decodes what gathered, without the lines that stay behind, into pieces for the page. An event that the
   * read cut in two waits for its end, unless the stream ended (`whole`) or no event in what gathered has
   * ended (not the server's "\n\n" ends: it all goes on).
   */
  private cut(whole: boolean): void {
    if (this.gatheredBytes === 0 && !whole) return
    const bytes = joined(this.gathered, this.gatheredBytes)
    const { ends, isLine } = eventEnds(bytes)
    const length = whole || ends.length === 0 ? bytes.length : ends[ends.length - 1]
    const text = this.decoder.decode(withoutLongRuns(bytes.subarray(0, length), ends, isLine, KEPT_LINES), { stream: !whole })
    this.gathered = length < bytes.length ? [bytes.subarray(length)] : []
    this.gatheredBytes = bytes.length - length
    this.held += text.length - length
    this.lastCut = this.now()
    for (let at = 0; at < text.length; at += PIECE_CHARS) this.pieces.push(text.slice(at, at + PIECE_CHARS))
    if (this.held < HELD_CHARS_LIMIT) this.wakeReader()
  }

  private sendPiece(): void {
    const text = this.pieces.shift() as string
    this.held -= text.length
    this.inFlight++
    this.post({ stream: this.stream, kind: 'text', text })
    if (this.held < HELD_CHARS_LIMIT) this.wakeReader()
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
