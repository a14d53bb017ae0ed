import { afterEach, describe, expect, it, vi } from 'vitest'
import { GATHER_MS, HELD_CHARS_LIMIT, KEPT_LINES, PIECE_CHARS, PIECES_IN_FLIGHT, SseForwarder, keepLastLines, streamHost, type FromWorker, type ToWorker } from '../src/stream/sseForwarder'
import { StreamsWorker, WorkerEventSource, type WorkerLike } from '../src/stream/workerEventSource'
import type { WorkBudget } from '../src/stream/frameBudget'

const atOnce: WorkBudget = { run: async (work) => work() }
const settle = () => new Promise((resolve) => setTimeout(resolve, 0))

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk))
      controller.close()
    },
  })
}

/** A worker running in this thread: messages both ways are copied and arrive in a later task, as a real one's. */
function workerInThisThread(fetcher: typeof fetch): WorkerLike & { received: ToWorker[] } {
  const worker = {
    onmessage: null as ((event: MessageEvent) => void) | null,
    onerror: null as ((event: ErrorEvent) => void) | null,
    received: [] as ToWorker[],
    postMessage(message: ToWorker) {
      worker.received.push(message)
      setTimeout(() => host(structuredClone(message)), 0)
    },
    terminate() {},
  }
  const host = streamHost((message) => setTimeout(() => worker.onmessage?.({ data: structuredClone(message) } as MessageEvent), 0), fetcher)
  setTimeout(() => worker.onmessage?.({ data: { stream: 0, kind: 'loaded' } } as MessageEvent), 0)
  return worker
}

describe('WorkerEventSource', () => {
  it('hands over what the worker read, in order, opens once, and is CLOSED with an error when the stream ends', async () => {
    const text = Array.from({ length: 3000 }, (_, i) => `id: ${i}\nevent: ${i % 100 === 0 ? 'state' : 'line'}\ndata: ${i}\n\n`).join('')
    let requested = ''
    const fetcher = (async (url: string) => {
      requested = url
      // cut anywhere, also inside an event: the page's parser joins the pieces
      return new Response(streamOf(text.slice(0, 1000), text.slice(1000, 70_000), text.slice(70_000)), { status: 200 })
    }) as typeof fetch
    const worker = workerInThisThread(fetcher)
    const source = new WorkerEventSource('/api/jobs/1/events?after=0', new StreamsWorker(worker), atOnce)
    const seen: string[] = []
    const events: string[] = []
    source.onopen = () => events.push('open')
    source.addEventListener('line', (e) => seen.push(`line ${e.data} #${e.lastEventId}`))
    source.addEventListener('state', (e) => seen.push(`state ${e.data} #${e.lastEventId}`))
    await new Promise<void>((resolve) => (source.onerror = () => resolve()))
    expect(requested).toBe(new URL('/api/jobs/1/events?after=0', location.href).href)
    expect(events).toEqual(['open'])
    expect(source.readyState).toBe(2)
    expect(seen).toEqual(Array.from({ length: 3000 }, (_, i) => `${i % 100 === 0 ? 'state' : 'line'} ${i} #${i}`))
    // the page told the worker it took each piece, and that it is done with the stream
    expect(worker.received.filter((m) => m.op === 'taken').length).toBeGreaterThan(0)
    expect(worker.received.at(-1)).toEqual({ op: 'close', stream: 1 })
  })

  it('stops delivering once closed, and tells the worker to stop reading', async () => {
    const text = Array.from({ length: 10 }, (_, i) => `event: line\ndata: ${i}\n\n`).join('')
    const worker = workerInThisThread((async () => new Response(streamOf(text), { status: 200 })) as typeof fetch)
    const source = new WorkerEventSource('/api/events', new StreamsWorker(worker), atOnce)
    const seen: string[] = []
    let errors = 0
    source.onerror = () => errors++
    source.addEventListener('line', (e) => {
      seen.push(e.data)
      if (e.data === '3') source.close()
    })
    for (let i = 0; i < 10; i++) await settle()
    expect(seen).toEqual(['0', '1', '2', '3'])
    expect(errors).toBe(0)
    expect(worker.received.filter((m) => m.op === 'close')).toEqual([{ op: 'close', stream: 1 }])
  })
})

describe('StreamsWorker', () => {
  function fakeWorker() {
    return {
      onmessage: null as ((event: MessageEvent) => void) | null,
      onerror: null as ((event: ErrorEvent) => void) | null,
      posted: [] as ToWorker[],
      terminated: false,
      postMessage(message: ToWorker) {
        this.posted.push(message)
      },
      terminate() {
        this.terminated = true
      },
    }
  }

  it('gives up on a worker that fails before it runs: it says so (the page then reads its streams itself), and its streams are told they closed', () => {
    const worker = fakeWorker()
    let failed = 0
    const streams = new StreamsWorker(worker, () => failed++)
    const told: FromWorker[] = []
    streams.open('http://localhost/a', (m) => told.push(m))
    worker.onerror?.({} as ErrorEvent)
    expect(failed).toBe(1)
    expect(worker.terminated).toBe(true)
    expect(told).toEqual([{ stream: 1, kind: 'closed' }])
  })

  it('keeps a worker that ran: an error inside it ends only the stream it was in', () => {
    const worker = fakeWorker()
    let failed = 0
    const streams = new StreamsWorker(worker, () => failed++)
    const told: FromWorker[] = []
    streams.open('http://localhost/a', (m) => told.push(m))
    worker.onmessage?.({ data: { stream: 0, kind: 'loaded' } } as MessageEvent)
    worker.onmessage?.({ data: { stream: 1, kind: 'open' } } as MessageEvent)
    worker.onerror?.({} as ErrorEvent)
    expect(failed).toBe(0)
    expect(worker.terminated).toBe(false)
    expect(told).toEqual([{ stream: 1, kind: 'open' }])
  })
})

describe('SseForwarder', () => {
  it(`sends at most ${PIECES_IN_FLIGHT} pieces the page has not taken, and the next as it takes one`, async () => {
    const text = 'x'.repeat(PIECE_CHARS * (PIECES_IN_FLIGHT + 3))
    let end: () => void = () => undefined
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(text))
        end = () => controller.close()
      },
    })
    const posted: FromWorker[] = []
    const forwarder = new SseForwarder('http://localhost/a', (m) => posted.push(m), 1, (async () => new Response(body, { status: 200 })) as typeof fetch)
    for (let i = 0; i < 5; i++) await settle()
    const pieces = () => posted.filter((m) => m.kind === 'text')
    expect(pieces().length).toBe(PIECES_IN_FLIGHT)
    forwarder.taken()
    expect(pieces().length).toBe(PIECES_IN_FLIGHT + 1)
    // the stream's end sends what is left, then says it closed
    end()
    for (let i = 0; i < 5; i++) await settle()
    expect(posted.at(-1)).toEqual({ stream: 1, kind: 'closed' })
    expect(pieces().map((m) => (m.kind === 'text' ? m.text : '')).join('')).toBe(text)
  })

  it('stops reading while the page has too much waiting, and reads on once it takes enough', async () => {
    const read = 'y'.repeat(1_000_000)
    let pulls = 0
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulls++
          if (pulls > 10) controller.close()
          else controller.enqueue(new TextEncoder().encode(read))
        },
      },
      { highWaterMark: 0 },
    )
    const posted: FromWorker[] = []
    const forwarder = new SseForwarder('http://localhost/a', (m) => posted.push(m), 1, (async () => new Response(body, { status: 200 })) as typeof fetch)
    for (let i = 0; i < 20; i++) await settle()
    // what the page was sent plus what is held reaches the limit: no more is read
    const held = Math.ceil(HELD_CHARS_LIMIT / read.length) + Math.ceil((PIECES_IN_FLIGHT * PIECE_CHARS) / read.length)
    expect(pulls).toBeLessThanOrEqual(held + 1)
    const pullsWhileFull = pulls
    for (let i = 0; i < 20; i++) await settle()
    expect(pulls).toBe(pullsWhileFull)
    // the page takes pieces: the read goes on until the stream ends
    while (posted.at(-1)?.kind !== 'closed') {
      forwarder.taken()
      await settle()
    }
    expect(pulls).toBe(11)
    expect(posted.filter((m) => m.kind === 'text').reduce((n, m) => n + (m.kind === 'text' ? m.text.length : 0), 0)).toBe(10 * read.length)
  })
})

/** One event as the server writes it. */
const sse = (seq: number, type: string, data: object) => `id:${seq}\nevent:${type}\ndata:${JSON.stringify({ seq, ...data })}\n\n`
const lineEvent = (seq: number) => sse(seq, 'line', { line: seq, text: `flood line ${seq}` })
const seqsOf = (text: string) => [...text.matchAll(/^id:(\d+)$/gm)].map((m) => Number(m[1]))
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

/** keepLastLines on text, as the server's bytes */
const keptOf = (text: string, keep: number) => new TextDecoder().decode(keepLastLines(new TextEncoder().encode(text), keep))

describe('keepLastLines', () => {
  it('cuts each run of lines to its last ones, and keeps every other event with the lines right before it', () => {
    let text = ''
    for (let seq = 1; seq <= 10; seq++) text += lineEvent(seq)
    text += sse(11, 'status', { status: 'Sync' })
    for (let seq = 12; seq <= 14; seq++) text += lineEvent(seq)
    text += ':heartbeat\n\n'
    for (let seq = 15; seq <= 20; seq++) text += lineEvent(seq)
    text += 'id:21\nevent:line\ndata:{"seq":21,' // cut by the read
    const kept = keptOf(text, 4)
    expect(seqsOf(kept)).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 17, 18, 19, 20, 21])
    expect(kept).toContain(':heartbeat\n\n')
    expect(kept.endsWith('data:{"seq":21,')).toBe(true)
    // what is kept is whole events, as the server wrote them
    expect(kept.startsWith(lineEvent(7))).toBe(true)
  })

  it('leaves a text alone that has no run longer than asked, or no event end at all', () => {
    const text = lineEvent(1) + lineEvent(2) + sse(3, 'state', { state: 'running' })
    expect(keptOf(text, 2)).toBe(text)
    expect(keptOf('x'.repeat(100), 2)).toBe('x'.repeat(100))
  })
})

describe('SseForwarder gathering', () => {
  function forwarderOver(clock: { t: number }) {
    let pushBytes: (bytes: Uint8Array) => void = () => undefined
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        pushBytes = (bytes) => controller.enqueue(bytes)
      },
    })
    const push = (text: string) => pushBytes(new TextEncoder().encode(text))
    const posted: FromWorker[] = []
    new SseForwarder('http://localhost/a', (m) => posted.push(m), 1, (async () => new Response(body, { status: 200 })) as typeof fetch, () => clock.t)
    const texts = () => posted.flatMap((m) => (m.kind === 'text' ? [m.text] : []))
    return { push, pushBytes, texts }
  }

  it('decodes a character and an event that reads cut in two whole', async () => {
    const clock = { t: 1000 }
    const { pushBytes, texts } = forwarderOver(clock)
    const first = new TextEncoder().encode(sse(1, 'line', { line: 1, text: 'Größe ✓' }))
    const bytes = new TextEncoder().encode(sse(1, 'line', { line: 1, text: 'Größe ✓' }) + sse(2, 'line', { line: 2, text: 'ünd' }))
    const cutAt = bytes.indexOf(0xc3, first.length) + 1 // inside the second event, between the bytes of a character
    pushBytes(bytes.subarray(0, cutAt))
    await vi.waitFor(() => expect(texts()).toHaveLength(1))
    clock.t += GATHER_MS
    pushBytes(bytes.subarray(cutAt))
    await vi.waitFor(() => expect(texts()).toHaveLength(2), { timeout: 5000 })
    expect(texts().join('')).toBe(new TextDecoder().decode(bytes))
    expect(texts()[0]).toBe(sse(1, 'line', { line: 1, text: 'Größe ✓' }))
  })

  it('sends text after a quiet spell at once, and what follows within the gathering time together, with long runs of lines cut', async () => {
    const clock = { t: 1000 }
    const { push, texts } = forwarderOver(clock)
    push(lineEvent(1))
    await vi.waitFor(() => expect(texts()).toHaveLength(1))
    expect(seqsOf(texts()[0])).toEqual([1])

    // a flood: many reads within the gathering time go as one text, with the run's last lines only
    clock.t += 1
    let flood = ''
    for (let seq = 2; seq <= 2 + KEPT_LINES * 2; seq++) flood += lineEvent(seq)
    const cut = Math.floor(flood.length / 2)
    push(flood.slice(0, cut))
    push(flood.slice(cut))
    for (let i = 0; i < 5; i++) await settle()
    expect(texts()).toHaveLength(1) // gathering
    clock.t += GATHER_MS
    await vi.waitFor(() => expect(texts()).toHaveLength(2), { timeout: 5000 })
    const last = 2 + KEPT_LINES * 2
    expect(seqsOf(texts()[1])).toEqual(range(last - KEPT_LINES + 1, last))
  })
})

describe('the page\'s worker', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    vi.resetModules()
  })

  it('is given up for good when it fails to start: the page then reads its streams on its own thread', async () => {
    const started: WorkerLike[] = []
    vi.stubGlobal(
      'Worker',
      class {
        onmessage: ((event: MessageEvent) => void) | null = null
        onerror: ((event: ErrorEvent) => void) | null = null
        constructor() {
          started.push(this as unknown as WorkerLike)
        }
        postMessage() {}
        terminate() {}
      },
    )
    const { sseWorkersWork, startStreamsWorker } = await import('../src/stream/workerEventSource')
    expect(sseWorkersWork()).toBe(true)
    startStreamsWorker()
    startStreamsWorker() // one worker for the page
    expect(started.length).toBe(1)
    started[0].onerror?.({} as ErrorEvent) // its script did not load
    expect(sseWorkersWork()).toBe(false)
    const { browserEventSource } = await import('../src/stream/sse')
    const { FetchEventSource } = await import('../src/stream/fetchEventSource')
    const source = browserEventSource('/api/events')
    expect(source).toBeInstanceOf(FetchEventSource)
    source.close()
  })
})
