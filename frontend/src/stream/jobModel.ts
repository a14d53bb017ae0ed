import { shallowRef, type ShallowRef } from 'vue'
import { ApiError, api, failureMessage, isUnreachable } from '../api/client'
import { isFinal, type Interaction, type Job, type JobEvent, type Step } from '../api/types'
import { LineCache } from '../log/lineCache'
import { notifyPromptIfHidden } from '../util/notify'
import { JobStream } from './jobStream'
import type { EventSourceFactory } from './eventSource'
import type { ConnectionState } from './sse'
import { closed, stepsUpTo, withFailedTasks, withStatus } from './steps'

/** A page further behind the live end than this catches up by skipping (see `resync`). */
const BACKLOG_MS = 3000

/** What the page says about the latest answered (or closed) prompt. */
/** What changed the steps after the snapshot, with the last line number seen at that moment. */
type StepEvent =
  | { type: 'status'; seq: number; ts: string; status: string | null; lastLine: number }
  | { type: 'failed'; count: number }
  | { type: 'end'; ts: string; lastLine: number }

export interface AnsweredPrompt {
  interaction: Interaction
  /** true when the winning answer was given on this page; otherwise the page names who gave it */
  fromThisPage: boolean
  /** the answer this page sent that lost the race (or came after the prompt closed): it was not used */
  notSent?: string
}

/**
 * One job as its page shows it: a snapshot from `GET /api/jobs/{id}`, then its event stream from
 * the snapshot's `lastSeq` on. Log lines before the snapshot are read by range on demand.
 */
export class JobModel {
  readonly job: ShallowRef<Job | null> = shallowRef(null)
  readonly connection: ShallowRef<ConnectionState | 'ended'> = shallowRef('connecting')
  readonly loadError: ShallowRef<string | null> = shallowRef(null)
  readonly answered: ShallowRef<AnsweredPrompt | null> = shallowRef(null)
  readonly answering: ShallowRef<boolean> = shallowRef(false)
  readonly answerError: ShallowRef<string | null> = shallowRef(null)
  /** When the stream was lost (ms), while it is; the job's state is not known meanwhile. */
  readonly lostAt: ShallowRef<number | null> = shallowRef(null)
  /** The job's steps, as its status messages tell them (see `steps.ts`). */
  readonly steps: ShallowRef<Step[]> = shallowRef([])
  /** Lines the page skipped over to catch up with a job writing faster than it can show (see `resync`). */
  readonly skippedLines: ShallowRef<number> = shallowRef(0)
  readonly log: LineCache
  /** Whether the page reads the output unmasked (see `setUnmasked`). */
  readonly unmasked: ShallowRef<boolean> = shallowRef(false)
  private listedSteps: Step[] = []
  private answerUnreachable = false
  private stepEvents: StepEvent[] = []
  private snapshotSeq = 0
  /** The highest line number the page has heard of: where the next step's output starts. */
  private lastLine = 0
  private stream: JobStream | null = null
  private closed = false
  /** The prompt this page is sending an answer to: its POST's answer, not the event, tells the outcome. */
  private posting: number | null = null
  // How far behind the live end this page is: the smallest delay seen between a line's timestamp and
  // its arrival stands for clock skew plus latency; anything beyond that is a backlog.
  private smallestDelay = Infinity
  private linesSinceCheck = 0
  private resyncing = false

  constructor(
    readonly jobId: number,
    private readonly factory?: EventSourceFactory,
  ) {
    this.log = new LineCache((from, to, signal) => api.logRange(jobId, from, to, signal, this.unmasked.value))
  }

  /**
   * Reads the log and the stream again, unmasked or masked: the lines held are forgotten, and the page
   * follows a fresh snapshot so every line from now on comes the new way (the server audits unmasked reads).
   */
  async setUnmasked(unmasked: boolean): Promise<void> {
    if (this.closed || unmasked === this.unmasked.value) return
    this.unmasked.value = unmasked
    const stale = this.stream
    this.stream = null
    stale?.close()
    this.log.clear()
    try {
      this.follow(await api.job(this.jobId))
    } catch (error) {
      this.loadError.value = failureMessage(error, 'the log was not read again')
    }
  }

  async start(): Promise<void> {
    let job: Job
    try {
      job = await api.job(this.jobId)
    } catch (error) {
      this.loadError.value =
        error instanceof ApiError && error.status === 404 ? `There is no job ${this.jobId}.` : (error as Error).message
      return
    }
    this.follow(job)
  }

  private follow(job: Job): void {
    if (this.closed) return
    this.job.value = job
    this.log.growTo(job.lineCount)
    this.lastLine = job.lineCount
    this.loadSteps(job.lastSeq)
    if (isFinal(job.state)) {
      this.connection.value = 'ended'
      return
    }
    this.openStream(job.lastSeq)
  }

  private openStream(after: number): void {
    this.stream = new JobStream({
      jobId: this.jobId,
      after,
      factory: this.factory,
      unmasked: this.unmasked.value,
      onEvent: (event) => this.apply(event),
      onState: (state) => {
        this.connection.value = state
        if (state === 'reconnecting' && this.lostAt.value === null) this.lostAt.value = Date.now()
        if (state === 'open' || state === 'ended') {
          this.lostAt.value = null
          // the state is known again: what failed for want of the server is told by the job itself now
          if (this.answerUnreachable) this.answerError.value = null
        }
      },
    }).start()
  }

  /** The steps up to the snapshot from the server; the stream's events after it are applied on top. */
  private loadSteps(snapshotSeq: number): void {
    this.snapshotSeq = snapshotSeq
    this.stepEvents = []
    this.listedSteps = []
    this.rebuildSteps()
    api.steps(this.jobId).then(
      (list) => {
        if (this.closed || this.snapshotSeq !== snapshotSeq) return
        this.listedSteps = Array.isArray(list?.steps) ? list.steps : []
        this.rebuildSteps()
      },
      () => undefined, // an older server, or away: the page goes on without the earlier steps
    )
  }

  private noteStepEvent(event: StepEvent): void {
    this.stepEvents.push(event)
    this.rebuildSteps()
  }

  private rebuildSteps(): void {
    let steps = stepsUpTo(this.listedSteps, this.snapshotSeq)
    for (const event of this.stepEvents) {
      if (event.type === 'status') steps = withStatus(steps, event, event.lastLine)
      else if (event.type === 'failed') steps = withFailedTasks(steps, event.count)
      else steps = closed(steps, event.ts, event.lastLine)
    }
    this.steps.value = steps
  }

  /**
   * Skips a backlog: when a job writes lines faster than this page can take them in, the page would
   * fall ever further behind and stop answering. So it takes a fresh snapshot and follows the stream
   * from there; the lines skipped are read by range if the user scrolls to them.
   */
  private async resync(): Promise<void> {
    if (this.resyncing || this.closed) return
    this.resyncing = true
    const stale = this.stream
    this.stream = null
    stale?.close()
    this.connection.value = 'reconnecting'
    try {
      const had = this.log.size.value
      const job = await api.job(this.jobId)
      this.skippedLines.value += Math.max(0, job.lineCount - had)
      this.follow(job)
    } catch {
      // the server is away: follow the old stream's position again, the stream client retries by itself
      this.openStream(stale?.seq ?? 0)
    } finally {
      this.smallestDelay = Infinity
      this.resyncing = false
    }
  }

  private checkBacklog(ts: string): void {
    if (++this.linesSinceCheck < 500) return
    this.linesSinceCheck = 0
    const delay = Date.now() - Date.parse(ts)
    if (delay < this.smallestDelay) this.smallestDelay = delay
    else if (delay - this.smallestDelay > BACKLOG_MS) void this.resync()
  }

  close(): void {
    this.closed = true
    this.stream?.close()
    this.log.dispose()
  }

  async answer(interaction: Interaction, response: string): Promise<void> {
    this.answering.value = true
    this.answerError.value = null
    this.posting = interaction.id
    try {
      const answered = await api.answer(this.jobId, interaction.id, response)
      this.posting = null
      this.promptDone(answered, true)
    } catch (error) {
      this.posting = null
      const kind = error instanceof ApiError ? error.kind : null
      if (error instanceof ApiError && kind === 'already-answered') {
        // someone was quicker: not an error, just tell who answered what
        this.promptDone(
          {
            ...interaction,
            response: (error.problem?.response as string) ?? null,
            answeredBy: (error.problem?.answeredBy as string) ?? null,
            answeredAt: (error.problem?.answeredAt as string) ?? null,
          },
          false,
          response,
        )
      } else if (kind === 'interaction-closed') {
        this.promptDone({ ...interaction, closedReason: 'closed', closedAt: new Date().toISOString() }, false, response)
      } else {
        this.answerError.value = failureMessage(error, 'your answer was not sent')
        this.answerUnreachable = isUnreachable(error)
      }
    } finally {
      this.posting = null
      this.answering.value = false
    }
  }

  async cancel(): Promise<void> {
    const job = await api.cancel(this.jobId)
    this.update({ state: job.state, cancelledBy: job.cancelledBy })
  }

  private update(patch: Partial<Job>): void {
    const job = this.job.value
    if (job) this.job.value = { ...job, ...patch }
  }

  private promptDone(interaction: Interaction, fromThisPage: boolean, notSent?: string): void {
    const pending = this.job.value?.pendingInteraction
    if (pending && pending.id === interaction.id) this.update({ pendingInteraction: null })
    if (!fromThisPage && this.posting === interaction.id) return // our POST's answer will tell
    const current = this.answered.value
    // the POST's answer and the stream's event tell the same story: keep the first telling
    if (current && current.interaction.id === interaction.id && (notSent === undefined || current.notSent)) return
    this.answered.value = notSent === undefined ? { interaction, fromThisPage } : { interaction, fromThisPage, notSent }
  }

  private apply(event: JobEvent): void {
    switch (event.type) {
      case 'line':
        this.log.append(event)
        if (event.line > this.lastLine) this.lastLine = event.line
        this.checkBacklog(event.ts)
        return
      case 'status':
        // the progress shown belongs to the step it was reported in: a new step starts without any
        this.update({ status: event.status, progress: null })
        this.noteStepEvent({ type: 'status', seq: event.seq, ts: event.ts, status: event.status, lastLine: this.lastLine })
        return
      case 'progress':
        this.update({ progress: event.progress })
        if (event.progress.tasksFinishedFailed > 0) this.noteStepEvent({ type: 'failed', count: event.progress.tasksFinishedFailed })
        return
      case 'interaction':
        this.answered.value = null
        this.answerError.value = null
        this.update({ pendingInteraction: event.interaction })
        notifyPromptIfHidden(this.jobId, event.interaction.prompt)
        return
      case 'interaction-answered':
      case 'interaction-closed':
        this.promptDone(event.interaction, false)
        return
      case 'cancel-requested':
        this.update({ cancelledBy: event.by })
        return
      case 'state':
        this.update({
          state: event.state,
          exitCode: event.exitCode,
          ...(event.state === 'running' && !this.job.value?.startedAt ? { startedAt: event.ts } : {}),
        })
        return
      case 'end':
        this.update({ state: event.state, exitCode: event.exitCode, finishedAt: event.ts, pendingInteraction: null })
        this.noteStepEvent({ type: 'end', ts: event.ts, lastLine: this.lastLine })
        // the final snapshot has what the events do not carry (reason, finishedAt as stored)
        api.job(this.jobId).then(
          (job) => {
            if (!this.closed) this.job.value = job
          },
          () => undefined,
        )
        return
    }
  }
}
