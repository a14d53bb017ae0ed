import { afterEach, describe, expect, it, vi } from 'vitest'
import type { LogLine, LogRange } from '../src/api/types'
import { CHUNK_LINES, LineCache, everyOtherFrame, immediately } from '../src/log/lineCache'
import type { FrameBudget } from '../src/stream/frameBudget'

function logLine(n: number, text = `line ${n}`): LogLine {
  return { line: n, ts: '2026-11-22T10:00:00.000Z', stream: n % 2 ? 'stdout' : 'stderr', text, sensitive: false }
}

/** A frame budget that is always spent: each piece of work waits until the test lets the next frame come. */
function spentBudget() {
  const waiting: (() => void)[] = []
  const budget = {
    run: (work: () => void) =>
      new Promise<void>((resolve) =>
        waiting.push(() => {
          work()
          resolve()
        }),
      ),
  } as unknown as FrameBudget
  return {
    budget,
    pieces: () => waiting.length,
    /** Runs the piece of work that waits, and lets what follows it reach the next wait. */
    async nextFrame() {
      waiting.shift()?.()
      await new Promise((resolve) => setTimeout(resolve, 0))
    },
  }
}

/** A server log of `size` lines; line 777,777 holds a needle. Counts range requests. */
function server(size: number) {
  const requests: [number, number][] = []
  const fetchRange = async (from: number, to: number): Promise<LogRange> => {
    requests.push([from, to])
    const end = Math.min(to, size + 1, from + 10_000)
    const lines: LogLine[] = []
    for (let n = from; n < end; n++) lines.push(logLine(n, n === 777_777 ? '\u001b[31mNeedle\u001b[0m here' : `line ${n}`))
    return { from, to: end, size, lines }
  }
  return { requests, fetchRange }
}

describe('LineCache', () => {
  it('keeps live lines and grows with them', () => {
    const cache = new LineCache(server(0).fetchRange, 200, immediately)
    cache.append(logLine(1, 'hello'))
    cache.append(logLine(2, 'world'))
    expect(cache.size.value).toBe(2)
    expect(cache.get(1)).toMatchObject({ text: 'hello', stderr: false, sensitive: false })
    expect(cache.get(2)).toMatchObject({ text: 'world', stderr: true })
    expect(cache.get(3)).toBeUndefined()
  })

  it('tells the view about live lines once per flush, not once per line', () => {
    const flushes: (() => void)[] = []
    const cache = new LineCache(server(0).fetchRange, 200, (flush) => flushes.push(flush))
    for (let n = 1; n <= 1000; n++) cache.append(logLine(n))
    expect(flushes).toHaveLength(1)
    expect(cache.size.value).toBe(0)
    expect(cache.get(1000)?.text).toBe('line 1000')
    flushes[0]()
    expect(cache.size.value).toBe(1000)
    expect(cache.version.value).toBe(1)
  })

  it('fetches lines it does not hold, once per chunk, and only what is asked for', async () => {
    const { requests, fetchRange } = server(5000)
    const cache = new LineCache(fetchRange)
    cache.growTo(5000)
    const version = cache.version.value
    await Promise.all([cache.ensure(2990, 3010), cache.ensure(2995, 3005)])
    expect(requests).toEqual([
      [2001, 3001],
      [3001, 4001],
    ])
    expect(cache.get(2990)?.text).toBe('line 2990')
    expect(cache.version.value).toBeGreaterThan(version)
    await cache.ensure(2990, 3010)
    expect(requests).toHaveLength(2)
  })

  it('reads the lines a flood left with the server only once one of them is asked for', async () => {
    const { requests, fetchRange } = server(1000)
    const cache = new LineCache(fetchRange, 200, immediately)
    // the page's stream brought the first lines and the last ones of a run; 11..899 stayed with the server
    for (let n = 1; n <= 10; n++) cache.append(logLine(n))
    for (let n = 900; n <= 1000; n++) cache.append(logLine(n))
    await cache.ensure(980, 1000)
    expect(requests).toEqual([])
    await cache.ensure(890, 910)
    expect(requests).toEqual([[11, 1001]])
    expect(cache.get(500)?.text).toBe('line 500')
  })

  it('goes on from where a shortened answer stopped', async () => {
    const requests: [number, number][] = []
    const cache = new LineCache(async (from, to) => {
      requests.push([from, to])
      const end = Math.min(to, from + 300) // the server stops early (4 MiB of text)
      const lines: LogLine[] = []
      for (let n = from; n < end; n++) lines.push(logLine(n))
      return { from, to: end, size: 1000, lines }
    }, 200, immediately)
    cache.growTo(1000)
    await cache.ensure(1, 1000)
    await cache.ensure(1, 1000)
    await cache.ensure(1, 1000)
    await cache.ensure(1, 1000)
    expect(requests).toEqual([
      [1, 1001],
      [301, 1001],
      [601, 1001],
      [901, 1001],
    ])
    expect(cache.get(1000)?.text).toBe('line 1000')
  })

  it('forgets what it holds when cleared, and a read under way then lands nothing', async () => {
    let release: (range: LogRange) => void = () => undefined
    const texts = ['masked', 'unmasked']
    let reads = 0
    const cache = new LineCache(
      (from, to, signal) => {
        const text = texts[reads++]
        if (reads === 1) return new Promise((resolve) => (release = resolve)) // the old reading, slow
        expect(signal?.aborted).toBe(false)
        return Promise.resolve({ from, to, size: 1, lines: [logLine(1, text)] })
      },
      200,
      immediately,
    )
    cache.growTo(1)
    const old = cache.ensure(1, 1)
    const version = cache.version.value
    cache.clear()
    expect(cache.version.value).toBeGreaterThan(version)
    await cache.ensure(1, 1)
    expect(cache.get(1)?.text).toBe('unmasked')
    release({ from: 1, to: 2, size: 1, lines: [logLine(1, 'masked')] })
    await old
    expect(cache.get(1)?.text).toBe('unmasked')
  })

  it('lands a range answer when the frame budget allows, whole and with its size, or not at all once cleared', async () => {
    const { fetchRange } = server(3000)
    const frames = spentBudget()
    const cache = new LineCache(fetchRange, 200, immediately, frames.budget)
    cache.growTo(2000)
    const version = cache.version.value
    const landed = cache.ensure(1001, 1010)
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(frames.pieces()).toBe(1)
    expect(cache.get(1001)).toBeUndefined() // the answer is in, but waits for its turn
    expect(cache.version.value).toBe(version)
    await frames.nextFrame()
    await landed
    expect(cache.get(1001)?.text).toBe('line 1001')
    expect(cache.get(2000)?.text).toBe('line 2000')
    expect(cache.size.value).toBe(3000) // with the size the answer told, in the same piece
    expect(cache.version.value).toBe(version + 1)

    const cleared = cache.ensure(2001, 2010)
    await new Promise((resolve) => setTimeout(resolve, 0))
    cache.clear()
    await frames.nextFrame()
    await cleared
    expect(cache.get(2001)).toBeUndefined()
    expect(cache.chunkCount).toBe(0)
  })

  it('searches held lines a thousand at a time, each in its turn, in order', async () => {
    const frames = spentBudget()
    const cache = new LineCache(server(0).fetchRange, 200, immediately, frames.budget)
    for (let n = 1; n <= 5000; n++) cache.append(logLine(n, n % 1500 === 0 ? 'Found it' : 'x'))
    const matching = cache.matchingLines((text) => text.includes('Found'), 1, 5000)
    for (let frame = 0; frame < 5; frame++) {
      await new Promise((resolve) => setTimeout(resolve, 0))
      expect(frames.pieces()).toBe(1) // one piece at a time
      await frames.nextFrame()
    }
    expect(await matching).toEqual([1500, 3000, 4500])
    const first = cache.search('found', 5000, -1)
    for (let frame = 0; frame < 2; frame++) await frames.nextFrame()
    expect(await first).toBe(4500)
  })

  it('holds a bounded number of chunks however long the log', () => {
    const cache = new LineCache(server(0).fetchRange, 5, immediately)
    for (let n = 1; n <= 50 * CHUNK_LINES; n++) cache.append(logLine(n))
    expect(cache.size.value).toBe(50_000)
    expect(cache.chunkCount).toBe(5)
    expect(cache.get(50_000)?.text).toBe('line 50000')
    expect(cache.get(1)).toBeUndefined()
  })

  it('searches lines it does not hold, ignoring ANSI and case, and wraps around', async () => {
    const { requests, fetchRange } = server(1_000_000)
    const cache = new LineCache(fetchRange)
    cache.growTo(1_000_000)
    expect(await cache.search('needle HERE', 700_000, 1)).toBe(777_777)
    expect(requests.length).toBe(8) // 10,000-line ranges from 700,000
    expect(await cache.search('needle', 900_000, 1)).toBe(777_777) // wrapped past the end
    expect(await cache.search('needle', 800_000, -1)).toBe(777_777)
    expect(await cache.search('no such text', 1, 1)).toBeNull()
    expect(cache.chunkCount).toBe(0) // searching does not fill the cache
  })

  it('searches held lines without asking the server', async () => {
    const { requests, fetchRange } = server(0)
    const cache = new LineCache(fetchRange, 200, immediately)
    for (let n = 1; n <= 300; n++) cache.append(logLine(n, n === 120 ? 'Found it' : 'x'))
    expect(await cache.search('found', 300, -1)).toBe(120)
    expect(requests).toEqual([])
  })
})

/** Frames drawn by hand: `requestAnimationFrame` is stubbed, and the returned function draws one at `at`. */
function stubbedFrames(): (at: number) => void {
  let frames: FrameRequestCallback[] = []
  vi.stubGlobal('requestAnimationFrame', (callback: FrameRequestCallback) => frames.push(callback))
  return (at) => {
    const due = frames
    frames = []
    for (const callback of due) callback(at)
  }
}

describe('everyOtherFrame', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    vi.useRealTimers()
  })

  it('shows new lines at the next frame, but while they arrive every frame only every other one', () => {
    vi.useFakeTimers()
    const drawFrame = stubbedFrames()
    const schedule = everyOtherFrame()
    const flushed: number[] = []
    schedule(() => flushed.push(1000), 10)
    drawFrame(1000)
    schedule(() => flushed.push(1016), 10)
    drawFrame(1016.7) // too soon after the last: waits a frame
    expect(flushed).toEqual([1000])
    drawFrame(1033.3)
    expect(flushed).toEqual([1000, 1016])
    // a line after a quiet while shows at the very next frame
    schedule(() => flushed.push(2000), 10)
    drawFrame(2000)
    expect(flushed).toEqual([1000, 1016, 2000])
    // no frames (a hidden tab): after 100 ms all the same, once
    schedule(() => flushed.push(3000), 10)
    vi.advanceTimersByTime(100)
    drawFrame(3000)
    expect(flushed).toEqual([1000, 1016, 2000, 3000])
  })

  it('shows a flood (a flush of 500 lines or more) every fourth frame only', () => {
    const drawFrame = stubbedFrames()
    const schedule = everyOtherFrame()
    const flushed: number[] = []
    schedule(() => flushed.push(0), 0)
    drawFrame(0)
    schedule(() => flushed.push(1), 1600) // the last flush showed 1,600 lines
    for (const at of [16.7, 33.3, 50]) drawFrame(at)
    expect(flushed).toEqual([0])
    drawFrame(66.7)
    expect(flushed).toEqual([0, 1])
    // once the lines slow down, every other frame again
    schedule(() => flushed.push(2), 499)
    drawFrame(83.3)
    drawFrame(100)
    expect(flushed).toEqual([0, 1, 2])
  })
})
