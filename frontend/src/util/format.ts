import { shallowRef } from 'vue'

/** Wall-clock time, ticking once a second, for "running for" and elapsed times. */
export const now = shallowRef(Date.now())
let clockUsers = 0
let clock: ReturnType<typeof setInterval> | null = null

export function useClock(): () => void {
  clockUsers++
  if (clock === null) clock = setInterval(() => (now.value = Date.now()), 1000)
  return () => {
    clockUsers--
    if (clockUsers === 0 && clock !== null) {
      clearInterval(clock)
      clock = null
    }
  }
}

/** 3 s, 2 min 05 s, 1 h 02 min */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000))
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min ${String(seconds % 60).padStart(2, '0')} s`
  const hours = Math.floor(minutes / 60)
  return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`
}

export function durationBetween(from: string | null, to: string | null, nowMs: number): string | null {
  if (!from) return null
  return formatDuration((to ? Date.parse(to) : nowMs) - Date.parse(from))
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' })

export function formatDateTime(iso: string | null): string {
  return iso ? dateTime.format(new Date(iso)) : '—'
}

/** HH:MM:SS.mmm in local time, for log timestamps. */
export function formatClock(ms: number): string {
  if (!Number.isFinite(ms)) return ''
  const d = new Date(ms)
  const pad = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
}
