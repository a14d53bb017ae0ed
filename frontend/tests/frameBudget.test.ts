import { describe, expect, it, vi } from 'vitest'
import { FrameBudget } from '../src/stream/frameBudget'

/** A budget on a clock the test moves, with frames the test draws. */
function budgetOf(ms: number, taskMs = ms) {
  let now = 0
  let waits = 0
  let hops = 0
  let drawFrame: (() => void) | null = null
  let endTask: (() => void) | null = null
  const budget = new FrameBudget(
    ms,
    () => now,
    async () => {
      waits++
    },
    (callback) => (drawFrame = callback),
    taskMs,
    async () => {
      hops++
    },
    (callback) => (endTask = callback),
  )
  return {
    budget,
    work: (took: number) => () => (now += took),
    waits: () => waits,
    hops: () => hops,
    drawFrame: () => {
      const draw = drawFrame
      drawFrame = null
      draw?.()
    },
    endTask: () => {
      const end = endTask
      endTask = null
      end?.()
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

  it('hands the thread back after a task\'s budget, and waits for a frame only once the frame\'s is spent', async () => {
    const { budget, work, waits, hops } = budgetOf(8, 3)
    await budget.run(work(2))
    await budget.run(work(2)) // started within the task's budget
    expect(hops()).toBe(0)
    await budget.run(work(2)) // 4 ms in this task: a task of its own
    expect(hops()).toBe(1)
    await budget.run(work(1))
    await budget.run(work(1)) // 3 ms in the second task: a third
    expect(hops()).toBe(2)
    expect(waits()).toBe(0)
    await budget.run(work(1)) // 8 ms since the frame: the next frame, not just the next task
    expect(waits()).toBe(1)
    expect(hops()).toBe(2)
  })

  it('starts a fresh task budget when the work comes back in a later task by itself', async () => {
    const { budget, work, hops, endTask } = budgetOf(8, 3)
    await budget.run(work(4))
    endTask() // say, the next read of the stream resolved in a task of its own
    await budget.run(work(1))
    expect(hops()).toBe(0)
  })

  it('slices a big piece of work into tasks and frames, in order, losing nothing', async () => {
    const { budget, work, waits, hops } = budgetOf(8, 3)
    const done: number[] = []
    // like a large read: 40 slices of 1 ms, each awaited before the next is started
    for (let slice = 0; slice < 40; slice++) {
      await budget.run(() => {
        work(1)()
        done.push(slice)
      })
    }
    expect(done).toEqual(Array.from({ length: 40 }, (_, i) => i))
    // 8 slices a frame, in tasks of 3, 3 and 2: 5 frames, each after the first waited for
    expect(waits()).toBe(4)
    expect(hops()).toBe(5 * 2)
  })
})

describe('nextTask', () => {
  it('wakes its callers in the order they asked, each in a later task, through one channel however often asked', async () => {
    const RealChannel = globalThis.MessageChannel
    let channels = 0
    vi.stubGlobal(
      'MessageChannel',
      class extends RealChannel {
        constructor() {
          super()
          channels++
        }
      },
    )
    try {
      vi.resetModules()
      const { nextTask } = await import('../src/stream/frameBudget')
      const woken: number[] = []
      const waits = Array.from({ length: 300 }, (_, n) => nextTask().then(() => woken.push(n)))
      await Promise.resolve()
      await Promise.resolve()
      expect(woken).toEqual([]) // not in this task's microtasks
      await Promise.all(waits)
      expect(woken).toEqual(Array.from({ length: 300 }, (_, n) => n))
      await nextTask()
      expect(channels).toBe(1)
    } finally {
      vi.unstubAllGlobals()
    }
  })
  it('takes its task from scheduler.postTask where the browser has it, in order, with no channel', async () => {
    const tasks: (() => void)[] = []
    let channels = 0
    vi.stubGlobal('scheduler', {
      postTask: (callback: () => void) => new Promise<void>((resolve) => tasks.push(() => resolve(callback()))),
    })
    vi.stubGlobal(
      'MessageChannel',
      class {
        constructor() {
          channels++
        }
      },
    )
    try {
      vi.resetModules()
      const { nextTask } = await import('../src/stream/frameBudget')
      const woken: number[] = []
      const waits = Array.from({ length: 3 }, (_, n) => nextTask().then(() => woken.push(n)))
      await Promise.resolve()
      expect(woken).toEqual([]) // not before the scheduler runs the task
      for (const task of tasks.splice(0)) task()
      await Promise.all(waits)
      expect(woken).toEqual([0, 1, 2])
      expect(channels).toBe(0)
    } finally {
      vi.unstubAllGlobals()
      vi.resetModules()
    }
  })
})
