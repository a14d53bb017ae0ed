import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import type { Job } from '../src/api/types'
import { JobModel } from '../src/stream/jobModel'
import { fakeFactory, line, stubFetch } from './fakeEventSource'
import { pendingPrompt } from './fixtures'

afterEach(() => vi.unstubAllGlobals())

const prompt = pendingPrompt({ jobId: 9, prompt: 'Backport the changes?', default: 'y' })

function job(patch: Partial<Job> = {}): Job {
  return {
    id: 9,
    command: 'backport',
    parameters: { changeIds: ['1'] },
    description: 'Backport 1',
    owner: 'alice',
    state: 'running',
    status: null,
    progress: null,
    createdAt: '2026-11-22T10:00:00Z',
    startedAt: '2026-11-22T10:00:00Z',
    finishedAt: null,
    exitCode: null,
    cancelledBy: null,
    reason: null,
    pendingInteraction: null,
    lastSeq: 12,
    lineCount: 10,
    ...patch,
  }
}

async function started(answer?: { status: number; body: unknown }) {
  const { calls, fetchStub } = stubFetch((url) =>
    url.endsWith('/interactions/3') && answer ? answer : { body: job({ pendingInteraction: prompt, state: 'awaiting-input' }) },
  )
  vi.stubGlobal('fetch', fetchStub)
  const { factory, sources } = fakeFactory()
  const model = new JobModel(9, factory)
  await model.start()
  return { model, sources, calls }
}

describe('JobModel', () => {
  it('starts from the snapshot and streams what follows it', async () => {
    const { model, sources } = await started()
    expect(model.log.size.value).toBe(10)
    expect(sources[0].url).toBe('/api/jobs/9/events?lines=latest&after=12')
    sources[0].open()
    sources[0].emit('line', line(13, 11, 'eleven'), 13)
    sources[0].emit('status', { seq: 14, ts: 't', status: 'Syncing' }, 14)
    expect(model.log.get(11)?.text).toBe('eleven')
    expect(model.job.value?.status).toBe('Syncing')
    model.close()
  })

  it('shows who answered first when our answer lost (409 already-answered), without an error', async () => {
    const { model, calls } = await started({
      status: 409,
      body: {
        type: 'https://spiderpig.wikimedia.org/problems/already-answered',
        title: 'Already answered',
        status: 409,
        answeredBy: 'bob',
        response: 'n',
        answeredAt: '2026-11-22T10:00:01Z',
      },
    })
    await model.answer(prompt, 'y')
    expect(JSON.parse(String(calls.at(-1)?.init?.body))).toEqual({ response: 'y' })
    expect(model.answerError.value).toBeNull()
    expect(model.job.value?.pendingInteraction).toBeNull()
    expect(model.answered.value).toEqual({
      interaction: expect.objectContaining({ answeredBy: 'bob', response: 'n' }),
      fromThisPage: false,
      notSent: 'y',
    })
    model.close()
  })

  it('shows an answer given elsewhere (interaction-answered event)', async () => {
    const { model, sources } = await started()
    sources[0].open()
    sources[0].emit('interaction-answered', { seq: 13, ts: 't', interaction: { ...prompt, response: 'y', answeredBy: 'carol' } }, 13)
    expect(model.job.value?.pendingInteraction).toBeNull()
    expect(model.answered.value?.fromThisPage).toBe(false)
    expect(model.answered.value?.interaction.answeredBy).toBe('carol')
    model.close()
  })

  it('records our own winning answer, even when its event overtakes the POST’s answer', async () => {
    const { model, sources } = await started({ status: 200, body: { ...prompt, response: 'y', answeredBy: 'alice' } })
    const answering = model.answer(prompt, 'y')
    sources[0].emit('interaction-answered', { seq: 13, ts: 't', interaction: { ...prompt, response: 'y', answeredBy: 'alice' } }, 13)
    expect(model.job.value?.pendingInteraction).toBeNull()
    await answering
    expect(model.answered.value?.fromThisPage).toBe(true)
    model.close()
  })

  it('ends with the outcome and fetches the final snapshot', async () => {
    const { model, sources, calls } = await started()
    sources[0].open()
    sources[0].emit('end', { seq: 20, ts: '2026-11-22T10:05:00Z', state: 'failed', exitCode: 1 }, 20)
    expect(model.job.value?.state).toBe('failed')
    expect(model.job.value?.exitCode).toBe(1)
    expect(model.connection.value).toBe('ended')
    await flushPromises()
    expect(calls.filter((c) => c.url === '/api/jobs/9')).toHaveLength(2)
    model.close()
  })

  it('skips a backlog: a page far behind the live end resumes from a fresh snapshot', async () => {
    let snapshot = job({ lastSeq: 12, lineCount: 10 })
    const { calls, fetchStub } = stubFetch(() => ({ body: snapshot }))
    vi.stubGlobal('fetch', fetchStub)
    const { factory, sources } = fakeFactory()
    const model = new JobModel(9, factory)
    await model.start()
    sources[0].open()
    let seq = 12
    const fresh = new Date().toISOString()
    for (let n = 11; n < 511; n++) sources[0].emit('line', { ...line(++seq, n), ts: fresh }, seq)
    expect(sources).toHaveLength(1)
    snapshot = job({ lastSeq: 90_000, lineCount: 80_000 })
    const stale = new Date(Date.now() - 10_000).toISOString()
    for (let n = 511; n < 1011; n++) sources[0].emit('line', { ...line(++seq, n), ts: stale }, seq)
    await flushPromises()
    expect(calls.filter((c) => c.url === '/api/jobs/9')).toHaveLength(2)
    expect(sources[0].closed).toBe(true)
    expect(sources[1].url).toBe('/api/jobs/9/events?lines=latest&after=90000')
    expect(model.log.size.value).toBe(80_000)
    model.close()
  })

  it('opens no stream for a finished job', async () => {
    vi.stubGlobal('fetch', stubFetch(() => ({ body: job({ state: 'succeeded', exitCode: 0 }) })).fetchStub)
    const { factory, sources } = fakeFactory()
    const model = new JobModel(9, factory)
    await model.start()
    expect(sources).toHaveLength(0)
    expect(model.connection.value).toBe('ended')
  })

  it("hides the previous step's progress when the status moves on", async () => {
    const { model, sources } = await started()
    sources[0].open()
    const progress = { name: 'sync-testservers', totalTasks: 4, tasksInFlight: 0, tasksFinishedOk: 4, tasksFinishedFailed: 0, tasksFinishedTotal: 4, tasksPercentComplete: 100, tasksRemaining: 0, progressFinished: true }
    sources[0].emit('progress', { seq: 13, ts: 't', progress }, 13)
    expect(model.job.value?.progress?.name).toBe('sync-testservers')
    sources[0].emit('status', { seq: 14, ts: 't', status: 'Sync k8s canaries' }, 14)
    expect(model.job.value?.progress).toBeNull()
    model.close()
  })

  it("lists the server's steps up to the snapshot, then builds the later ones from the stream", async () => {
    const listed = [
      { seq: 5, status: 'Checking changes', startedAt: 't1', firstLine: 1, endedAt: 't2', lastLine: 4, failedTasks: 0 },
      { seq: 11, status: 'Syncing', startedAt: 't2', firstLine: 5, endedAt: null, lastLine: null, failedTasks: 0 },
      { seq: 30, status: 'after the snapshot', startedAt: 't9', firstLine: 40, endedAt: null, lastLine: null, failedTasks: 0 },
    ]
    const { fetchStub } = stubFetch((url) => (url.endsWith('/steps') ? { body: { steps: listed, lastSeq: 30, lineCount: 40 } } : { body: job() }))
    vi.stubGlobal('fetch', fetchStub)
    const { factory, sources } = fakeFactory()
    const model = new JobModel(9, factory)
    await model.start()
    await flushPromises()
    expect(model.steps.value.map((s) => s.status)).toEqual(['Checking changes', 'Syncing'])
    sources[0].open()
    sources[0].emit('line', line(13, 11), 13)
    sources[0].emit('status', { seq: 14, ts: 't3', status: 'Restarting' }, 14)
    sources[0].emit('line', line(15, 12), 15)
    sources[0].emit('end', { seq: 16, ts: 't4', state: 'failed', exitCode: 1 }, 16)
    expect(model.steps.value.slice(1)).toEqual([
      { seq: 11, status: 'Syncing', startedAt: 't2', firstLine: 5, endedAt: 't3', lastLine: 11, failedTasks: 0 },
      { seq: 14, status: 'Restarting', startedAt: 't3', firstLine: 12, endedAt: 't4', lastLine: 12, failedTasks: 0 },
    ])
    model.close()
  })

  it('knows when it lost the stream, and that the state is known again once it is back', async () => {
    const { model, sources } = await started()
    sources[0].open()
    expect(model.lostAt.value).toBeNull()
    sources[0].dropAndRetry()
    expect(model.lostAt.value).not.toBeNull()
    sources[0].open()
    expect(model.lostAt.value).toBeNull()
    model.close()
  })

  it('says an answer that could not reach the server was not sent, until the state is known again', async () => {
    const { fetchStub } = stubFetch(() => ({ body: job({ pendingInteraction: prompt, state: 'awaiting-input' }) }))
    vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
      if (String(input).includes('/interactions/')) throw new TypeError('Failed to fetch')
      return fetchStub(input, init)
    })
    const { factory, sources } = fakeFactory()
    const model = new JobModel(9, factory)
    await model.start()
    sources[0].open()
    sources[0].dropAndRetry()
    await model.answer(prompt, 'y')
    expect(model.answerError.value).toBe('Could not reach the server — your answer was not sent.')
    sources[0].open()
    expect(model.answerError.value).toBeNull()
    model.close()
  })

  it('reads the log and the stream again unmasked when asked, and masked again after', async () => {
    const { model, sources, calls } = await started()
    sources[0].open()
    sources[0].emit('line', line(13, 11, 'password=*****'), 13)
    await model.setUnmasked(true)
    expect(sources[0].closed).toBe(true)
    expect(model.log.get(11)).toBeUndefined()
    expect(sources[1].url).toBe('/api/jobs/9/events?lines=latest&unmasked=true&after=12')
    await model.log.ensure(1, 10)
    expect(calls.some(({ url }) => url === '/api/jobs/9/log?from=1&to=11&unmasked=true')).toBe(true)
    await model.setUnmasked(false)
    expect(sources[2].url).toBe('/api/jobs/9/events?lines=latest&after=12')
    model.close()
  })
})
