import { describe, expect, it } from 'vitest'
import type { Step } from '../src/api/types'
import { closed, outcomeOf, stepsUpTo, withFailedTasks, withStatus } from '../src/stream/steps'

const step = (patch: Partial<Step>): Step => ({
  seq: 1, status: 'Checking', startedAt: 't1', firstLine: 1, endedAt: null, lastLine: null, failedTasks: 0, ...patch,
})

describe('steps', () => {
  it('a status closes the open step at the line before and opens the next at the line after', () => {
    let steps = withStatus([], { seq: 3, ts: 't1', status: 'Checking' }, 4)
    expect(steps).toEqual([step({ seq: 3, firstLine: 5 })])
    steps = withStatus(steps, { seq: 9, ts: 't2', status: 'Syncing' }, 12)
    expect(steps).toEqual([step({ seq: 3, firstLine: 5, endedAt: 't2', lastLine: 12 }), step({ seq: 9, status: 'Syncing', startedAt: 't2', firstLine: 13 })])
  })

  it('a cleared status only closes, and the end closes what is open', () => {
    const open = withStatus([], { seq: 3, ts: 't1', status: 'Checking' }, 0)
    expect(withStatus(open, { seq: 4, ts: 't2', status: null }, 2)).toEqual([step({ seq: 3, endedAt: 't2', lastLine: 2 })])
    expect(closed(open, 't3', 7)[0]).toMatchObject({ endedAt: 't3', lastLine: 7 })
  })

  it('failed tasks count for the open step only, keeping the most seen', () => {
    const open = [step({ seq: 1, endedAt: 't', lastLine: 1 }), step({ seq: 2 })]
    expect(withFailedTasks(open, 2)[1].failedTasks).toBe(2)
    expect(withFailedTasks(withFailedTasks(open, 2), 1)[1].failedTasks).toBe(2)
    expect(withFailedTasks([step({ endedAt: 't', lastLine: 1 })], 3)[0].failedTasks).toBe(0)
  })

  it('keeps the listed steps up to the snapshot; the stream brings the later ones', () => {
    expect(stepsUpTo([step({ seq: 3 }), step({ seq: 20 })], 10).map((s) => s.seq)).toEqual([3])
  })

  it('the last step shares a bad end; the others are done, the open one current', () => {
    const done = step({ endedAt: 't', lastLine: 3 })
    expect(outcomeOf(done, true, 'failed')).toBe('failed')
    expect(outcomeOf(done, false, 'failed')).toBe('done')
    expect(outcomeOf(done, true, 'cancelled')).toBe('cancelled')
    expect(outcomeOf(done, true, 'succeeded')).toBe('done')
    expect(outcomeOf(step({}), true, 'running')).toBe('current')
  })
})
