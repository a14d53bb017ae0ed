// How much of the page's time a fast stream may take between two frames.
//
// A read that fell behind hands over hundreds of kilobytes, and reads queued up behind each other resolve
// in one chain of microtasks: a time limit per read bounded nothing (one task applied 80-300 ms of queued
// reads, and the frame waited for all of it). So the limit is per frame and shared by every stream of the
// page: once the work done since the last frame passes it, the rest waits until the next frame is drawn.
// A job writing faster than the page can take in then falls behind, and the page skips ahead and says so
// (`JobModel.resync`) rather than stop drawing.
//
// Within a frame's budget the work is also cut into tasks of a few milliseconds: on a machine short of
// cores the operating system takes the page off its core every few milliseconds, so a task's wall time
// grows with the CPU time it asks for (a task of 11 ms CPU took 130 ms, one of 68 ms took 143 ms, while
// following a flood under load). Between two short tasks the browser can draw a frame that is due, read
// input, and take in the network.

/** Main-thread time (ms) the streams may take between two frames: half of a 60 Hz frame. */
export const FRAME_BUDGET_MS = 8

/** Main-thread time (ms) the streams may take in one task before handing the thread back. */
export const TASK_BUDGET_MS = 3

/** Who waits for a task of their own, in the order they asked; each message on `taskChannel` wakes one. */
const waitingForTask: (() => void)[] = []
let taskChannel: MessageChannel | null = null

/** The Prioritized Task Scheduling API (Chromium's `scheduler.postTask`), where the browser has it. */
interface TaskScheduler {
  postTask(callback: () => void): Promise<void>
}

const taskScheduler: TaskScheduler | null = (() => {
  const candidate = (globalThis as { scheduler?: Partial<TaskScheduler> }).scheduler
  return typeof candidate?.postTask === 'function' ? (candidate as TaskScheduler) : null
})()

/**
 * Resolves in a task of its own, after the browser had the chance to render (unlike a microtask).
 *
 * Where the browser has `scheduler.postTask`, that is the task: a message to a channel is an event object
 * for the page's heap to sweep, hundreds a second while following a flood, and the sweeping ran in tasks of
 * 45-140 ms, the longest frames left. Elsewhere one channel serves every call. A channel per call (two
 * ports and their message pipe each) left the garbage collector that many ports to finalize: Chromium ran
 * their second-pass callbacks in single tasks of 160-380 ms of CPU.
 */
export function nextTask(): Promise<void> {
  if (taskScheduler !== null) return taskScheduler.postTask(() => undefined)
  return new Promise((resolve) => {
    if (taskChannel === null) {
      taskChannel = new MessageChannel()
      taskChannel.port1.onmessage = () => waitingForTask.shift()?.()
      // in Node (the unit tests), a port listening must not keep the process alive on its own
      ;(taskChannel.port1 as MessagePort & { unref?: () => void }).unref?.()
    }
    waitingForTask.push(resolve)
    taskChannel.port2.postMessage(null)
  })
}

function drawsFrames(): boolean {
  return typeof requestAnimationFrame === 'function' && typeof document !== 'undefined' && document.visibilityState !== 'hidden'
}

/**
 * Resolves in the first task after the next frame was drawn; in a hidden tab (no frames), in the next
 * task. A tab hidden meanwhile gets no frame: after 100 ms it goes on without one.
 */
export function afterNextFrame(): Promise<void> {
  if (!drawsFrames()) return nextTask()
  return new Promise((resolve) => {
    let done = false
    const go = () => {
      if (done) return
      done = true
      void nextTask().then(resolve)
    }
    requestAnimationFrame(go)
    setTimeout(go, 100)
  })
}

/** Calls `callback` when the next frame is drawn; never in a tab that draws none. */
function onNextFrame(callback: () => void): void {
  if (drawsFrames()) requestAnimationFrame(callback)
}

/** Calls `callback` in a later task: by then the task that asked has ended. */
function onLaterTask(callback: () => void): void {
  void nextTask().then(callback)
}

/** A function that has `reset` called when `moment` next comes, asking for it once however often called. */
function resetAt(moment: (callback: () => void) => void, reset: () => void): () => void {
  let asked = false
  return () => {
    if (asked) return
    asked = true
    moment(() => {
      asked = false
      reset()
    })
  }
}

/** Runs work in turns: each `run` may first wait for its turn. */
export interface WorkBudget {
  run(work: () => void): Promise<void>
}

export class FrameBudget implements WorkBudget {
  private spentMs = 0
  private taskSpentMs = 0
  /** A frame drawn in between, for whatever reason, starts a fresh budget. */
  private readonly watchForFrame: () => void
  /** Work in a later task, however it got there (a read that resolved, a timer), starts a fresh task budget. */
  private readonly watchForTaskEnd: () => void

  constructor(
    private readonly budgetMs = FRAME_BUDGET_MS,
    private readonly clock: () => number = () => performance.now(),
    private readonly waitForFrame: () => Promise<void> = afterNextFrame,
    frameDrawn: (callback: () => void) => void = onNextFrame,
    private readonly taskBudgetMs = TASK_BUDGET_MS,
    private readonly waitForTask: () => Promise<void> = nextTask,
    taskEnded: (callback: () => void) => void = onLaterTask,
  ) {
    this.watchForFrame = resetAt(frameDrawn, () => (this.spentMs = 0))
    this.watchForTaskEnd = resetAt(taskEnded, () => (this.taskSpentMs = 0))
  }

  /**
   * Waits for the next frame if this one's budget is spent, or for a task of its own if this task's is,
   * then runs `work`, counting its time. Callers keep their order: each awaits its `run` before the next.
   */
  async run(work: () => void): Promise<void> {
    if (this.spentMs >= this.budgetMs) {
      await this.waitForFrame()
      this.spentMs = 0
      this.taskSpentMs = 0
    } else if (this.taskSpentMs >= this.taskBudgetMs) {
      await this.waitForTask()
      this.taskSpentMs = 0
    }
    this.watchForFrame()
    this.watchForTaskEnd()
    const start = this.clock()
    try {
      work()
    } finally {
      const took = this.clock() - start
      this.spentMs += took
      this.taskSpentMs += took
    }
  }
}

/** The page's one budget, shared by its streams. */
export const pageFrameBudget = new FrameBudget()
