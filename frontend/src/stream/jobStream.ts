import { JOB_EVENT_TYPES, type JobEvent } from '../api/types'
import { api } from '../api/client'
import type { EventSourceFactory } from './eventSource'
import { SseConnection, type ConnectionState } from './sse'

export interface JobStreamOptions {
  jobId: number
  /** Resume after this seq (the `lastSeq` of a job snapshot), 0 for the whole history. */
  after: number
  onEvent: (event: JobEvent) => void
  onState?: (state: ConnectionState | 'ended') => void
  factory?: EventSourceFactory
  /** Ask for the output unmasked (the server checks the role and audits it). */
  unmasked?: boolean
  initialRetryMs?: number
  maxRetryMs?: number
}

/**
 * One job's event stream: delivers each event exactly once, in seq order, whatever the reconnects
 * replay, and stops after `end`. Every event but lines of a flood that the server left out: their line
 * numbers jump (docs/api.md#the-latest-lines).
 */
export class JobStream {
  private lastSeq: number
  private readonly connection: SseConnection
  private ended = false

  constructor(private readonly options: JobStreamOptions) {
    this.lastSeq = options.after
    this.connection = new SseConnection({
      // `lines=latest`: in a flood the server sends the latest lines, not all 50,000 a second; the page shows
      // the end of the log and reads the lines left out by range (see LineCache) when they are scrolled to.
      url: () =>
        `${api.jobEventsUrl(options.jobId)}?lines=latest&${options.unmasked ? 'unmasked=true&' : ''}after=${this.lastSeq}`,
      types: JOB_EVENT_TYPES,
      factory: options.factory,
      initialRetryMs: options.initialRetryMs,
      maxRetryMs: options.maxRetryMs,
      onState: (state) => {
        if (!this.ended) options.onState?.(state)
      },
      onMessage: (type, data) => this.deliver(type, data as Record<string, unknown>),
    })
  }

  get seq(): number {
    return this.lastSeq
  }

  start(): this {
    this.connection.start()
    return this
  }

  close(): void {
    this.connection.close()
  }

  private deliver(type: string, data: Record<string, unknown>): void {
    const seq = typeof data.seq === 'number' ? data.seq : NaN
    if (this.ended || !(seq > this.lastSeq)) return // a replay of something we already have
    this.lastSeq = seq
    data.type = type // in place: a fast job sends many thousands of events a second
    this.options.onEvent(data as unknown as JobEvent)
    if (type === 'end') {
      this.ended = true
      this.connection.close()
      this.options.onState?.('ended')
    }
  }
}
