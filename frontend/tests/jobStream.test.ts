import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { JobEvent } from '../src/api/types'
import { JobStream } from '../src/stream/jobStream'
import { fakeFactory, line } from './fakeEventSource'

describe('JobStream', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  function setup(after = 0) {
    const { factory, sources } = fakeFactory()
    const events: JobEvent[] = []
    const states: string[] = []
    const stream = new JobStream({
      jobId: 7,
      after,
      factory,
      initialRetryMs: 1000,
      maxRetryMs: 4000,
      onEvent: (e) => events.push(e),
      onState: (s) => states.push(s),
    }).start()
    return { stream, sources, events, states }
  }

  it('resumes after the snapshot position', () => {
    const { sources } = setup(41)
    expect(sources[0].url).toBe('/api/jobs/7/events?lines=latest&after=41')
  })

  it('delivers events with their type, in order', () => {
    const { sources, events } = setup()
    sources[0].open()
    sources[0].emit('line', line(1, 1), 1)
    sources[0].emit('status', { seq: 2, ts: 't', status: 'Syncing' }, 2)
    expect(events.map((e) => [e.type, e.seq])).toEqual([
      ['line', 1],
      ['status', 2],
    ])
  })

  it('drops events replayed after a reconnect (de-duplication by seq)', () => {
    const { sources, events, states } = setup()
    const source = sources[0]
    source.open()
    source.emit('line', line(1, 1), 1)
    source.emit('line', line(2, 2), 2)
    source.dropAndRetry()
    expect(states).toEqual(['open', 'reconnecting'])
    source.open()
    // a server (or proxy) that replays more than asked for
    source.emit('line', line(1, 1), 1)
    source.emit('line', line(2, 2), 2)
    source.emit('line', line(3, 3), 3)
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3])
    expect(states).toEqual(['open', 'reconnecting', 'open'])
    expect(sources).toHaveLength(1) // the browser's own retry, which sends Last-Event-ID
  })

  it('opens a new connection from the last seq when the browser gives up, backing off', () => {
    const { sources, events, states } = setup()
    sources[0].open()
    sources[0].emit('line', line(5, 1), 5)
    sources[0].fail()
    expect(sources[0].closed).toBe(true)
    expect(states.at(-1)).toBe('reconnecting')
    vi.advanceTimersByTime(999)
    expect(sources).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(sources).toHaveLength(2)
    expect(sources[1].url).toBe('/api/jobs/7/events?lines=latest&after=5')
    sources[1].fail()
    vi.advanceTimersByTime(1999)
    expect(sources).toHaveLength(2)
    vi.advanceTimersByTime(1)
    expect(sources).toHaveLength(3)
    sources[2].open()
    sources[2].emit('line', line(5, 1), 5)
    sources[2].emit('line', line(6, 2), 6)
    expect(events.map((e) => e.seq)).toEqual([5, 6])
    expect(states.at(-1)).toBe('open')
  })

  it('stops after end and ignores anything later', () => {
    const { sources, events, states } = setup()
    sources[0].open()
    sources[0].emit('end', { seq: 9, ts: 't', state: 'succeeded', exitCode: 0 }, 9)
    expect(sources[0].closed).toBe(true)
    expect(states.at(-1)).toBe('ended')
    sources[0].emit('line', line(10, 3), 10)
    sources[0].fail()
    vi.advanceTimersByTime(60_000)
    expect(events.map((e) => e.type)).toEqual(['end'])
    expect(sources).toHaveLength(1)
  })

  it('close() stops reconnecting', () => {
    const { stream, sources } = setup()
    sources[0].fail()
    stream.close()
    vi.advanceTimersByTime(60_000)
    expect(sources).toHaveLength(1)
  })
})
