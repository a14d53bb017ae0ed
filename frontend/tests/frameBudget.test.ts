import { describe, expect, it } from 'vitest'
import { FrameBudget } from '../src/stream/frameBudget'

/** A budget on a clock the test moves, with frames the test draws. */
function budgetOf(ms: number) {
  let now = 0
  let waits = 0
  let drawFrame: (() => void) | null = null
  const budget = new FrameBudget(
    ms,
    () => now,
    async () => {
      waits++
    },
    (callback) => (drawFrame = callback),
  )
  return {
    budget,
    work: (took: number) => () => (now += took),
    waits: () => waits,
    drawFrame: () => {
      const draw = drawFrame
      drawFrame = null
      draw?.()
    },
  }
}

describe('FrameBudget', () => {
  it('runs work at once until the frame\'s budget is spent, then waits for the next frame', async () => {
    const { budget, work, waits } = budgetOf(8)
    await budget.run(work(5))
    await budget.run(work(5)) // started within the budget: runs, though it ends past it
    expect(waits()).toBe(0)
    await budget.run(work(1))
    expect(waits()).toBe(1)
    // after the wait the budget is fresh
    await budget.run(work(6))
    expect(waits()).toBe(1)
  })

  it('counts work from every caller against the same budget', async () => {
    const { budget, work, waits } = budgetOf(8)
    await Promise.all([budget.run(work(4)), budget.run(work(4))])
    await budget.run(work(1))
    expect(waits()).toBe(1)
  })

  it('starts a fresh budget when a frame was drawn in between', async () => {
    const { budget, work, waits, drawFrame } = budgetOf(8)
    await budget.run(work(9))
    drawFrame()
    await budget.run(work(1))
    expect(waits()).toBe(0)
  })

  it('counts work that throws', async () => {
    const { budget, work, waits } = budgetOf(8)
    await expect(
      budget.run(() => {
        work(9)()
        throw new Error('bad line')
      }),
    ).rejects.toThrow('bad line')
    await budget.run(work(1))
    expect(waits()).toBe(1)
  })
})
