import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import type { Job } from '../src/api/types'
import { ServerState } from '../src/stream/serverState'
import { fakeFactory, stubFetch } from './fakeEventSource'

afterEach(() => vi.unstubAllGlobals())

function job(id: number, state: Job['state']): Job {
  return { id, state, command: 'backport', description: `Backport ${id}`, owner: 'alice' } as Job
}

describe('ServerState', () => {
  it('refetches the lists on every (re)connection and applies job events to rows and status', async () => {
    let listed = [job(2, 'running'), job(1, 'succeeded')]
    const { calls, fetchStub } = stubFetch((url) =>
      url === '/api/status'
        ? { body: { user: { name: 'alice', roles: ['DEPLOYER'] }, active: listed.filter((j) => j.state === 'running'), queued: [] } }
        : { body: { jobs: listed, next: '/api/jobs?limit=20&before=1' } },
    )
    vi.stubGlobal('fetch', fetchStub)
    const { factory, sources } = fakeFactory()
    const state = new ServerState(factory).start()
    sources[0].open()
    await flushPromises()
    expect(state.jobs.value.map((j) => j.id)).toEqual([2, 1])
    expect(state.status.value?.active.map((j) => j.id)).toEqual([2])

    sources[0].emit('job-created', { job: job(3, 'queued') })
    expect(state.jobs.value.map((j) => j.id)).toEqual([3, 2, 1])
    expect(state.status.value?.queued.map((j) => j.id)).toEqual([3])

    sources[0].emit('job-finished', { job: job(2, 'succeeded') })
    sources[0].emit('job-updated', { job: job(3, 'running') })
    expect(state.status.value?.active.map((j) => j.id)).toEqual([3])
    expect(state.status.value?.queued).toEqual([])
    expect(state.jobs.value.find((j) => j.id === 2)?.state).toBe('succeeded')

    listed = [job(4, 'running'), job(3, 'succeeded'), job(2, 'succeeded'), job(1, 'succeeded')]
    sources[0].dropAndRetry()
    expect(state.connection.value).toBe('reconnecting')
    sources[0].open()
    await flushPromises()
    expect(calls.filter((c) => c.url === '/api/status')).toHaveLength(2)
    expect(state.jobs.value.map((j) => j.id)).toEqual([4, 3, 2, 1])
    state.close()
  })
})

describe('ServerState paging', () => {
  it('loads older jobs on demand through `next` and keeps them across refreshes', async () => {
    const { calls, fetchStub } = stubFetch((url) => {
      if (url === '/api/status') return { body: { user: { name: 'alice', roles: [] }, active: [], queued: [] } }
      if (url === '/api/jobs?limit=20&before=3') return { body: { jobs: [job(2, 'failed'), job(1, 'succeeded')], next: null } }
      return { body: { jobs: [job(4, 'succeeded'), job(3, 'succeeded')], next: '/api/jobs?limit=20&before=3' } }
    })
    vi.stubGlobal('fetch', fetchStub)
    const { factory, sources } = fakeFactory()
    const state = new ServerState(factory).start()
    sources[0].open()
    await flushPromises()
    expect(state.next.value).toBe('/api/jobs?limit=20&before=3')
    await state.loadMore()
    expect(calls.at(-1)?.url).toBe('/api/jobs?limit=20&before=3')
    expect(state.jobs.value.map((j) => j.id)).toEqual([4, 3, 2, 1])
    expect(state.next.value).toBeNull()
    await state.refresh()
    expect(state.jobs.value.map((j) => j.id)).toEqual([4, 3, 2, 1])
    state.close()
  })
})

