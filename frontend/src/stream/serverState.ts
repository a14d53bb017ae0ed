import { shallowRef, type ShallowRef } from 'vue'
import { api } from '../api/client'
import { SERVER_EVENT_TYPES, isFinal, type Job, type ServerStatus } from '../api/types'
import { currentUser } from '../session'
import { serverLinks } from '../api/links'
import type { EventSourceFactory } from './eventSource'
import { SseConnection, type ConnectionState } from './sse'

/**
 * The overview's live model: the server status and the recent jobs, kept current by `/api/events`.
 * That stream has no history, so each (re)connection refetches the lists first.
 */
export class ServerState {
  readonly status: ShallowRef<ServerStatus | null> = shallowRef(null)
  readonly jobs: ShallowRef<Job[]> = shallowRef([])
  readonly next: ShallowRef<string | null> = shallowRef(null)
  readonly connection: ShallowRef<ConnectionState> = shallowRef('connecting')
  readonly loadError: ShallowRef<string | null> = shallowRef(null)
  private readonly sse: SseConnection

  constructor(factory?: EventSourceFactory) {
    this.sse = new SseConnection({
      url: api.serverEventsUrl,
      types: SERVER_EVENT_TYPES,
      factory,
      onState: (state) => (this.connection.value = state),
      onOpen: () => void this.refresh(),
      onMessage: (_type, data) => {
        const job = (data as { job?: Job }).job
        if (job) this.apply(job)
      },
    })
  }

  start(): this {
    this.sse.start()
    return this
  }

  close(): void {
    this.sse.close()
  }

  async refresh(): Promise<void> {
    try {
      const [status, page] = await Promise.all([api.status(), api.jobs()])
      currentUser.value = status.user
      if (status.links) serverLinks.value = status.links
      this.status.value = status
      const oldest = page.jobs.length > 0 ? page.jobs[page.jobs.length - 1].id : Infinity
      // keep the older pages the user already asked for
      const older = this.jobs.value.filter((job) => job.id < oldest)
      this.jobs.value = [...page.jobs, ...older]
      if (older.length === 0) this.next.value = page.next
      this.loadError.value = null
    } catch (error) {
      this.loadError.value = (error as Error).message
    }
  }

  async loadMore(): Promise<void> {
    const next = this.next.value
    if (!next) return
    const page = await api.jobs(next)
    const known = new Set(this.jobs.value.map((job) => job.id))
    this.jobs.value = [...this.jobs.value, ...page.jobs.filter((job) => !known.has(job.id))]
    this.next.value = page.next
  }

  /** A job changed: update its row and where the status lists it. */
  apply(job: Job): void {
    const jobs = this.jobs.value
    const index = jobs.findIndex((j) => j.id === job.id)
    if (index >= 0) {
      this.jobs.value = jobs.map((j) => (j.id === job.id ? job : j))
    } else if (jobs.length === 0 || job.id > jobs[0].id) {
      this.jobs.value = [job, ...jobs]
    }
    const status = this.status.value
    if (!status) return
    const active = status.active.filter((j) => j.id !== job.id)
    const queued = status.queued.filter((j) => j.id !== job.id)
    if (job.state === 'queued') {
      queued.push(job)
      queued.sort((a, b) => a.id - b.id)
    } else if (!isFinal(job.state)) {
      active.push(job)
    }
    this.status.value = { ...status, active, queued }
  }
}
