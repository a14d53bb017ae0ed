import type { JobState } from '../api/types'

/** A job's state as a page shows it: `unknown` while the page has lost the server. */
export type ShownState = JobState | 'unknown'

export const STATE_LABELS: Record<ShownState, string> = {
  queued: 'Queued',
  running: 'Running',
  'awaiting-input': 'Needs an answer',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  interrupted: 'Interrupted',
  unknown: 'Unknown (reconnecting)',
}
