import type { JobState, Step } from '../api/types'

/** How a step turned out, as its list shows it. */
export type StepOutcome = 'done' | 'current' | 'failed' | 'cancelled' | 'stopped'

/** The steps after a `status` event: it closes the open step, and a non-empty status opens the next. */
export function withStatus(steps: readonly Step[], event: { seq: number; ts: string; status: string | null }, lastLine: number): Step[] {
  const next = closed(steps, event.ts, lastLine)
  if (event.status && event.status.trim()) {
    next.push({ seq: event.seq, status: event.status, startedAt: event.ts, firstLine: lastLine + 1, endedAt: null, lastLine: null, failedTasks: 0 })
  }
  return next
}

/** The steps with the open one (if any) ended at `ts`, its last line `lastLine`. */
export function closed(steps: readonly Step[], ts: string, lastLine: number): Step[] {
  return steps.map((step) => (step.endedAt === null ? { ...step, endedAt: ts, lastLine } : step))
}

/** The open step took note of `failed` failed tasks. */
export function withFailedTasks(steps: readonly Step[], failed: number): Step[] {
  const open = steps.at(-1)
  if (!open || open.endedAt !== null || failed <= open.failedTasks) return steps as Step[]
  return [...steps.slice(0, -1), { ...open, failedTasks: failed }]
}

/**
 * The steps the server listed up to `snapshotSeq`, then those built from the stream after it: the
 * server's answer may be newer than the snapshot, so what it says after the snapshot is left to the stream.
 */
export function stepsUpTo(steps: readonly Step[], snapshotSeq: number): Step[] {
  return steps.filter((step) => step.seq <= snapshotSeq)
}

/** The last step of a job that ended badly shares its fate; every other ended step is done. */
export function outcomeOf(step: Step, isLast: boolean, state: JobState): StepOutcome {
  if (step.endedAt === null) return 'current'
  if (!isLast) return 'done'
  switch (state) {
    case 'failed':
      return 'failed'
    case 'cancelled':
      return 'cancelled'
    case 'interrupted':
      return 'stopped'
    default:
      return 'done'
  }
}
