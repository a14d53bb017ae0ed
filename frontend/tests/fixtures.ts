import type { Interaction } from '../src/api/types'

/** A pending yes/no prompt as the server sends it; tests change what they need. */
export function pendingPrompt(patch: Partial<Interaction> = {}): Interaction {
  return {
    id: 3,
    jobId: 1,
    kind: 'choices',
    prompt: 'Continue with sync?',
    choices: { Yes: 'y', No: 'n' },
    default: 'n',
    openedAt: '2026-11-22T10:00:00Z',
    response: null,
    answeredBy: null,
    answeredAt: null,
    closedReason: null,
    closedAt: null,
    ...patch,
  }
}
