/** One server-sent event: its type (`message` when unnamed), data and the last id seen. */
export interface SseMessage {
  type: string
  data: string
  lastEventId: string
}

/**
 * The text/event-stream format (WHATWG HTML §9.2.6), fed in chunks as they arrive: a chunk may end in
 * the middle of a line or of a character's bytes (the caller decodes with `{ stream: true }`).
 */
export class SseParser {
  private rest = ''
  private type = ''
  // one data line is the rule (the server's JSON is one line): no array is made per event for it
  private data: string | null = null
  private lastEventId = ''
  /** The reconnection time the server asked for with `retry:`, if any. */
  retryMs: number | null = null

  constructor(private readonly onMessage: (message: SseMessage) => void) {}

  feed(chunk: string): void {
    const text = this.rest + chunk
    let start = 0
    // looked up again only once passed: servers rarely send "\r", and scanning for it per line is quadratic
    let cr = text.indexOf('\r')
    for (;;) {
      const newline = text.indexOf('\n', start)
      if (cr >= 0 && cr < start) cr = text.indexOf('\r', start)
      const end = cr >= 0 && (newline < 0 || cr < newline) ? cr : newline
      if (end < 0) break
      // "\r\n" is one line end; a lone "\r" at the chunk's end may be the first half of one
      if (end === cr && cr === text.length - 1) break
      this.line(text.substring(start, end))
      start = end === cr && text.charCodeAt(cr + 1) === 10 ? cr + 2 : end + 1
    }
    this.rest = text.substring(start)
  }

  private line(line: string): void {
    if (line.length === 0) {
      this.dispatch()
      return
    }
    if (line.charCodeAt(0) === 58) return // ":" a comment, such as a keep-alive
    const colon = line.indexOf(':')
    const field = colon < 0 ? line : line.substring(0, colon)
    let value = colon < 0 ? '' : line.substring(colon + 1)
    if (value.charCodeAt(0) === 32) value = value.substring(1)
    switch (field) {
      case 'event':
        this.type = value
        return
      case 'data':
        this.data = this.data === null ? value : `${this.data}\n${value}`
        return
      case 'id':
        if (!value.includes('\u0000')) this.lastEventId = value
        return
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value)
        return
    }
  }

  private dispatch(): void {
    const type = this.type || 'message'
    this.type = ''
    const data = this.data
    if (data === null) return
    this.data = null
    this.onMessage({ type, data, lastEventId: this.lastEventId })
  }
}
