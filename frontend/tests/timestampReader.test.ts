import { describe, expect, it } from 'vitest'
import { TimestampReader } from '../src/log/timestampReader'

describe('TimestampReader', () => {
  const samples = [
    '2026-11-30T10:00:05.123Z',
    '2026-11-30T10:00:59.999Z',
    '2026-11-30T10:01:00.000Z',
    '2026-12-31T23:59:59.001Z',
    '2027-01-01T00:00:00.000Z',
    '2026-11-30T10:00:05Z', // Instant.toString drops zero milliseconds
    '2026-11-30T10:00:05.123456Z', // and writes micro- and nanoseconds when there are some
    '2026-11-30T10:00:05.123456789Z',
    '2026-11-30T10:00:05.999999999Z',
    '2026-11-30T10:00:05.1Z',
    '2026-11-30T10:00:05.12Z',
    '2026-11-30T10:00:05.Z',
    '2026-11-30T10:00:05.1234567890Z',
    '2026-11-30T10:00:05.12x456789Z',
    '2026-11-30T10:00:05:123Z',
    'not a time',
    '2026-11-30T10:00:5x.123Z',
  ]

  it('reads what Date.parse reads, line after line, whatever came before', () => {
    const reader = new TimestampReader()
    for (const ts of [...samples, ...samples.reverse()]) expect(reader.millis(ts), ts).toEqual(Date.parse(ts))
  })
})
