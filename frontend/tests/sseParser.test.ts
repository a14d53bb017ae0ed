import { describe, expect, it, vi } from 'vitest'
import { SseParser, type SseMessage } from '../src/stream/sseParser'
import { FetchEventSource } from '../src/stream/fetchEventSource'
import type { FrameBudget } from '../src/stream/frameBudget'

function parse(...chunks: string[]): SseMessage[] {
  const messages: SseMessage[] = []
  const parser = new SseParser((m) => messages.push(m))
  for (const chunk of chunks) parser.feed(chunk)
  return messages
}

describe('SseParser', () => {
  it('reads named events with ids, across any chunk boundaries', () => {
    const text = 'id:3\nevent:line\ndata:{"seq":3}\n\nid: 4\nevent: state\ndata: {"seq":4}\n\n'
    const expected = [
      { type: 'line', data: '{"seq":3}', lastEventId: '3' },
      { type: 'state', data: '{"seq":4}', lastEventId: '4' },
    ]
    expect(parse(text)).toEqual(expected)
    for (let cut = 1; cut < text.length; cut++) expect(parse(text.slice(0, cut), text.slice(cut))).toEqual(expected)
  })

  it('takes CRLF and CR line ends, joins data lines, skips comments and events without data', () => {
    expect(parse(': keep-alive\r\n\r\nevent: x\r\n\r\ndata: a\rdata: b\r', '\r', '\n')).toEqual([
      { type: 'message', data: 'a\nb', lastEventId: '' },
    ])
  })

  it('keeps the retry time the server asks for', () => {
    const parser = new SseParser(() => undefined)
    parser.feed('retry: 1500\n\n')
    expect(parser.retryMs).toBe(1500)
  })
})

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const bytes = chunks.map((c) => new TextEncoder().encode(c))
  return new ReadableStream({
    start(controller) {
      for (const b of bytes) controller.enqueue(b)
      controller.close()
    },
  })
}

describe('FetchEventSource', () => {
  it('opens, hands every event to its listeners, and is CLOSED with an error when the stream ends', async () => {
    const seen: string[] = []
    let requested: RequestInit | undefined
    const fetcher = (async (_url: string, init?: RequestInit) => {
      requested = init
      return new Response(streamOf('event: line\ndata: 1\n\nevent: li', 'ne\ndata: 2\n\nevent: other\ndata: 3\n\n'), { status: 200 })
    }) as typeof fetch
    const source = new FetchEventSource('/api/jobs/1/events', fetcher)
    const events: string[] = []
    source.onopen = () => events.push('open')
    const ended = new Promise<void>((resolve) => (source.onerror = () => resolve()))
    source.addEventListener('line', (e) => seen.push(e.data))
    await ended
    expect(events).toEqual(['open'])
    expect(seen).toEqual(['1', '2'])
    expect(source.readyState).toBe(2)
    expect((requested?.headers as Record<string, string>).Accept).toBe('text/event-stream')
  })

  it('applies a large read in slices, each within the page\'s frame budget, in order', async () => {
    const text = Array.from({ length: 3000 }, (_, i) => `event: line\ndata: ${i}\n\n`).join('')
    let slices = 0
    const budget = {
      run: async (work: () => void) => {
        slices++
        work()
      },
    } as unknown as FrameBudget
    const source = new FetchEventSource('/api/jobs/1/events', (async () => new Response(streamOf(text), { status: 200 })) as typeof fetch, 60_000, budget)
    const seen: string[] = []
    source.addEventListener('line', (e) => seen.push(e.data))
    await new Promise<void>((resolve) => (source.onerror = () => resolve()))
    expect(seen).toEqual(Array.from({ length: 3000 }, (_, i) => String(i)))
    // the read's decoding is one piece, then its text is parsed in slices of 16,384 characters
    expect(slices).toBe(1 + Math.ceil(text.length / 16_384))
  })

  it('reads the next chunk only once the current one is applied: a page that falls behind leaves it queued at the server', async () => {
    const chunks = [0, 1, 2].map((c) => Array.from({ length: 2000 }, (_, i) => `event: line\ndata: ${c * 2000 + i}\n\n`).join(''))
    let pulls = 0
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          const chunk = chunks[pulls++]
          if (chunk === undefined) controller.close()
          else controller.enqueue(new TextEncoder().encode(chunk))
        },
      },
      { highWaterMark: 0 }, // asked for only when read, like a network stream whose buffer is full
    )
    const waiting: (() => void)[] = []
    const budget = {
      run: (work: () => void) => new Promise<void>((resolve) => waiting.push(() => (work(), resolve()))),
    } as unknown as FrameBudget
    const source = new FetchEventSource('/api/jobs/1/events', (async () => new Response(body, { status: 200 })) as typeof fetch, 60_000, budget)
    const seen: number[] = []
    source.addEventListener('line', (e) => seen.push(Number(e.data)))
    const ended = new Promise<void>((resolve) => (source.onerror = () => resolve()))
    const settle = () => new Promise((resolve) => setTimeout(resolve, 0))
    await settle()
    const slicesOfFirst = 1 + Math.ceil(chunks[0].length / 16_384) // its decoding, then its slices
    for (let slice = 0; slice < slicesOfFirst; slice++) {
      expect(pulls).toBe(1) // the first chunk is not applied yet: nothing more is read
      waiting.shift()?.()
      await settle()
    }
    expect(pulls).toBe(2)
    while (waiting.length > 0) {
      waiting.shift()?.()
      await settle()
    }
    await ended
    expect(seen).toEqual(Array.from({ length: 6000 }, (_, i) => i))
  })

  it('keeps a character whose bytes a slice cuts in two', async () => {
    // "é" is two bytes: the first ends the first 16,384-byte slice
    const head = `event: line\ndata: ${'x'.repeat(16_383 - 'event: line\ndata: '.length)}`
    const text = `${head}é\n\nevent: line\ndata: ü\n\n`
    const source = new FetchEventSource('/api/jobs/1/events', (async () => new Response(streamOf(text), { status: 200 })) as typeof fetch)
    const seen: string[] = []
    source.addEventListener('line', (e) => seen.push(e.data))
    await new Promise<void>((resolve) => (source.onerror = () => resolve()))
    expect(seen).toEqual([`${'x'.repeat(16_383 - 'event: line\ndata: '.length)}é`, 'ü'])
  })

  it('reports an HTTP error without opening, and nothing once closed on purpose', async () => {
    const failing = new FetchEventSource('/x', (async () => new Response('no', { status: 502 })) as typeof fetch)
    let opened = false
    failing.onopen = () => (opened = true)
    await new Promise<void>((resolve) => (failing.onerror = () => resolve()))
    expect(opened).toBe(false)

    let release: (r: Response) => void = () => undefined
    const closing = new FetchEventSource('/y', (() => new Promise<Response>((r) => (release = r))) as typeof fetch)
    let errors = 0
    closing.onerror = () => errors++
    closing.close()
    release(new Response(streamOf('data: 1\n\n'), { status: 200 }))
    await new Promise((r) => setTimeout(r, 0))
    expect(errors).toBe(0)
  })

  it('takes a stream that goes silent for too long as lost, however long it talked before', async () => {
    vi.useFakeTimers()
    try {
      let body: ReadableStreamDefaultController<Uint8Array> | null = null
      // like the browser's fetch: aborting the request errors its body
      const fetcher = (async (_url: string, init?: RequestInit) =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(c) {
              body = c
              init?.signal?.addEventListener('abort', () => c.error(new DOMException('aborted', 'AbortError')))
            },
          }),
          { status: 200 },
        )) as typeof fetch
      const source = new FetchEventSource('/api/jobs/1/events', fetcher, 1000)
      let errors = 0
      source.onerror = () => errors++
      await vi.advanceTimersByTimeAsync(0)
      expect(source.readyState).toBe(1)
      for (let i = 0; i < 5; i++) {
        body!.enqueue(new TextEncoder().encode(': heartbeat\n\n'))
        await vi.advanceTimersByTimeAsync(900)
      }
      expect(errors).toBe(0)
      await vi.advanceTimersByTimeAsync(200)
      expect(errors).toBe(1)
      expect(source.readyState).toBe(2)
    } finally {
      vi.useRealTimers()
    }
  })
})
