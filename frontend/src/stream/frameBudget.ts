// How much of the page's time a fast stream may take between two frames.
//
// A read that fell behind hands over hundreds of kilobytes, and reads queued up behind each other resolve
// in one chain of microtasks: a time limit per read bounded nothing (one task applied 80-300 ms of queued
// reads, and the frame waited for all of it). So the limit is per frame and shared by every stream of the
// page: once the work done since the last frame passes it, the rest waits until the next frame is drawn.
// A job writing faster than the page can take in then falls behind, and the page skips ahead and says so
// (`JobModel.resync`) rather than stop drawing.

/** Main-thread time (ms) the streams may take between two frames: half of a 60 Hz frame. */
export const FRAME_BUDGET_MS = 8

/** Resolves in a task of its own, after the browser had the chance to render (unlike a microtask). */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel()
    channel.port1.onmessage = () => {
      channel.port1.close()
      resolve()
    }
    channel.port2.postMessage(null)
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

export class FrameBudget {
  private spentMs = 0
  private watching = false

  constructor(
    private readonly budgetMs = FRAME_BUDGET_MS,
    private readonly clock: () => number = () => performance.now(),
    private readonly waitForFrame: () => Promise<void> = afterNextFrame,
    private readonly frameDrawn: (callback: () => void) => void = onNextFrame,
  ) {}

  /** Waits for the next frame if this one's budget is spent, then runs `work`, counting its time. */
  async run(work: () => void): Promise<void> {
    if (this.spentMs >= this.budgetMs) {
      await this.waitForFrame()
      this.spentMs = 0
    }
    this.watchForFrame()
    const start = this.clock()
    try {
      work()
    } finally {
      this.spentMs += this.clock() - start
    }
  }

  /** A frame drawn in between, for whatever reason, starts a fresh budget. */
  private watchForFrame(): void {
    if (this.watching) return
    this.watching = true
    this.frameDrawn(() => {
      this.watching = false
      this.spentMs = 0
    })
  }
}

/** The page's one budget, shared by its streams. */
export const pageFrameBudget = new FrameBudget()
