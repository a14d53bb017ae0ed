// The page's event streams are read by a worker. On the page's thread, reading and decoding a flood of
// 50,000 lines a second took about 40% of the page's script time, and what the reads left behind was
// finalized after each major garbage collection in single tasks of 50-95 ms, the page's longest frames
// once nothing else competed for its cores. In the worker, both are off the page's thread. The worker hands
// over the decoded text, parsed by the page within its frame budget (see `frameBudget.ts`); the page tells
// the worker when it took a piece, so a flood's text gathers in the worker while the page draws.
import { CLOSED, ParsingEventSource } from './eventSource'
import { pageFrameBudget, type WorkBudget } from './frameBudget'
import type { FromWorker, ToWorker } from './sseForwarder'

/** What the page needs of a Worker (the unit tests give it one that runs in the same thread). */
export interface WorkerLike {
  onmessage: ((event: MessageEvent) => void) | null
  onerror: ((event: ErrorEvent) => void) | null
  postMessage(message: ToWorker): void
  terminate(): void
}

/** Set once a worker failed before it ran (e.g. a browser without module workers): streams are read here. */
let workersFailed = false

export function sseWorkersWork(): boolean {
  return typeof Worker === 'function' && !workersFailed
}

/** One worker reads all of the page's streams, so a stream opened while the server is away needs no script from it. */
export class StreamsWorker {
  private readonly streams = new Map<number, (message: FromWorker) => void>()
  private nextStream = 1
  private loaded = false

  constructor(
    private readonly worker: WorkerLike,
    private readonly failed: () => void = () => undefined,
  ) {
    worker.onmessage = (event) => {
      const message = event.data as FromWorker
      if (message.kind === 'loaded') this.loaded = true
      else this.streams.get(message.stream)?.(message)
    }
    worker.onerror = () => {
      if (this.loaded) return // an error inside it, which ends the stream it was in (and says so)
      worker.terminate()
      this.failed()
      for (const [stream, receive] of [...this.streams]) receive({ stream, kind: 'closed' })
    }
  }

  open(url: string, receive: (message: FromWorker) => void): number {
    const stream = this.nextStream++
    this.streams.set(stream, receive)
    this.worker.postMessage({ op: 'open', stream, url })
    return stream
  }

  taken(stream: number): void {
    this.worker.postMessage({ op: 'taken', stream })
  }

  close(stream: number): void {
    if (this.streams.delete(stream)) this.worker.postMessage({ op: 'close', stream })
  }
}

let pageWorker: StreamsWorker | null = null

function theStreamsWorker(): StreamsWorker {
  if (pageWorker === null) {
    const worker = new Worker(new URL('./sseWorker.ts', import.meta.url), { type: 'module', name: 'event streams' })
    pageWorker = new StreamsWorker(worker, () => {
      workersFailed = true
      pageWorker = null
    })
  }
  return pageWorker
}

/**
 * Starts the page's worker now, where workers work: its script is fetched and compiled while the page loads
 * what it shows first, rather than delay the first stream (by half a second on a busy machine).
 */
export function startStreamsWorker(): void {
  if (sseWorkersWork()) theStreamsWorker()
}

/** An EventSource whose stream a worker reads and decodes; it is parsed here, within the page's frame budget. */
export class WorkerEventSource extends ParsingEventSource {
  /** The worker's messages, taken one after the other: a long text may wait for frames in between. */
  private taking: Promise<void> = Promise.resolve()
  private readonly stream: number

  constructor(
    url: string,
    private readonly worker: StreamsWorker = theStreamsWorker(),
    budget: WorkBudget = pageFrameBudget,
  ) {
    super(budget)
    // the worker's own address is not the page's: it gets the URL whole
    this.stream = worker.open(new URL(url, location.href).href, (message) => {
      this.taking = this.taking.then(() => this.take(message))
    })
  }

  close(): void {
    this.readyState = CLOSED
    this.worker.close(this.stream)
  }

  private async take(message: FromWorker): Promise<void> {
    if (this.readyState === CLOSED) return
    switch (message.kind) {
      case 'open':
        this.opened()
        return
      case 'text':
        await this.parse(message.text)
        if (this.readyState !== CLOSED) this.worker.taken(this.stream)
        return
      case 'closed':
        this.worker.close(this.stream)
        this.ended()
        return
    }
  }
}
