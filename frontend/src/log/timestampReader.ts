// Date.parse took 1-2 µs a line, as much as the line's JSON: at 50,000 lines a second, 50-100 ms of the
// page's main thread each second for timestamps that are almost never shown. The server writes them as
// Instant.toString does, and lines that follow each other share their minute: that minute is parsed once,
// and each line adds its own seconds and milliseconds to it. Instant.toString writes as many fraction
// digits as it has (none, 3, 6 or 9: the server's clock gives nanoseconds); the milliseconds are the first
// three, as Date.parse reads them.

const MINUTE = 16 // "2026-11-30T10:00"
const DIGIT_0 = 48

function digits(text: string, at: number, count: number): number {
  let value = 0
  for (let i = at; i < at + count; i++) {
    const digit = text.charCodeAt(i) - DIGIT_0
    if (digit < 0 || digit > 9) return NaN
    value = value * 10 + digit
  }
  return value
}

export class TimestampReader {
  private minute = ''
  private minuteMs = NaN

  /** The time of `ts` in ms since the epoch, as Date.parse gives it (NaN when it is not a time). */
  millis(ts: string): number {
    // "2026-11-30T10:00:05.123456789Z": the minute, then ":ss", a fraction or none, "Z"; anything else goes to Date.parse
    const last = ts.length - 1
    const fraction = last - 20
    if (ts.charCodeAt(MINUTE) !== 58 || ts.charCodeAt(last) !== 90 || (last !== 19 && (ts.charCodeAt(19) !== 46 || fraction < 1 || fraction > 9))) {
      return Date.parse(ts)
    }
    if (!ts.startsWith(this.minute) || this.minute === '') {
      this.minute = ts.substring(0, MINUTE)
      this.minuteMs = Date.parse(`${this.minute}:00.000Z`)
    }
    if (last !== 19 && Number.isNaN(digits(ts, 20, fraction))) return NaN
    const ms = last === 19 ? 0 : digits(ts, 20, Math.min(fraction, 3)) * 10 ** Math.max(0, 3 - fraction)
    return this.minuteMs + digits(ts, 17, 2) * 1000 + ms
  }
}
