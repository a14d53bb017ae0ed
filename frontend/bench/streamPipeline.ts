// What the page's main thread spends per line of a flood before anything is drawn: the stream's text as
// the server writes it, through the text/event-stream parser, JSON.parse and the line cache.
// Each stage includes the ones before it: `parse` the SSE parser alone, `json` also JSON.parse, `cache`
// also LineCache.append (no rendering). Times are printed, never asserted.
// Run: npm run bench:stream (bundles this file with rolldown, which comes with vite, and runs it in Node).
import { SseParser } from '../src/stream/sseParser'
import { LineCache } from '../src/log/lineCache'

const LINES = 50_000
const SLICE = 16_384

function wire(from: number, count: number): string {
  const parts: string[] = []
  for (let n = from; n < from + count; n++) {
    const seq = n + 3
    const ts = new Date(1_780_000_000_000 + n / 50).toISOString()
    parts.push(`id:${seq}\nevent:line\ndata:{"seq":${seq},"ts":"${ts}","line":${n},"stream":"stdout","text":"flood line ${n} of 1000000: the quick brown fox jumps over the lazy dog","sensitive":false}\n\n`)
  }
  return parts.join('')
}

const noFetch = () => Promise.reject(new Error('not in this benchmark'))

// One cache throughout, as on the page: lines keep arriving and old chunks are evicted, so what the
// cache holds ages and dies as it does during a flood (garbage collection included).
const cache = new LineCache(noFetch, 200, () => undefined)
let nextLine = 1

function run(stages: 'parse' | 'json' | 'cache'): number {
  const text = wire(nextLine, LINES)
  nextLine += LINES
  let count = 0
  const parser = new SseParser((message) => {
    count++
    if (stages === 'parse') return
    const data = JSON.parse(message.data)
    data.type = message.type
    if (stages === 'cache') cache.append(data)
  })
  const start = performance.now()
  for (let at = 0; at < text.length; at += SLICE) parser.feed(text.substring(at, at + SLICE))
  const ms = performance.now() - start
  if (count !== LINES) throw new Error(`parsed ${count} of ${LINES}`)
  return ms
}

for (const stages of ['parse', 'json', 'cache'] as const) {
  const times: number[] = []
  for (let i = 0; i < 9; i++) times.push(run(stages))
  times.sort((a, b) => a - b)
  const us = (ms: number) => ((ms * 1000) / LINES).toFixed(2)
  console.log(`BENCH stream-pipeline stages=${stages} best-us-per-line=${us(times[0])} median-us-per-line=${us(times[4])}`)
}
