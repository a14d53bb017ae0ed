import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import StartForm from '../src/components/StartForm.vue'
import { stubFetch } from './fakeEventSource'

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

const PROBLEM = 'https://spiderpig.wikimedia.org/problems/'

describe('the start form’s change chips', () => {
  it('show what Gerrit knows, refuse what it does not, and let a start through when it is down', async () => {
    vi.useFakeTimers()
    const { calls, fetchStub } = stubFetch((url) => {
      if (url.endsWith('/12345'))
        return { body: { number: '12345', project: 'mediawiki/core', branch: 'wmf/1.45.0-wmf.4', subject: 'Fix it', status: 'MERGED' } }
      if (url.endsWith('/404')) return { status: 404, body: { type: PROBLEM + 'unknown-change', title: 'Unknown change', status: 404 } }
      return { status: 502, body: { type: PROBLEM + 'gerrit-unavailable', title: 'Gerrit unavailable', status: 502 } }
    })
    vi.stubGlobal('fetch', fetchStub)
    const wrapper = mount(StartForm)
    const button = () => wrapper.get('[data-testid="start-button"]')

    await wrapper.get('input[data-testid="change-input"]').setValue('12345 404 777')
    expect(calls).toHaveLength(0) // nothing asked while typing fast
    await vi.advanceTimersByTimeAsync(300)
    await flushPromises()

    expect(calls.map((c) => c.url)).toEqual(['/api/gerrit/changes/12345', '/api/gerrit/changes/404', '/api/gerrit/changes/777'])
    expect(wrapper.get('[data-testid="change-chip-12345"]').text()).toContain('mediawiki/core · wmf/1.45.0-wmf.4 · merged')
    expect(wrapper.get('[data-testid="change-chip-12345"]').text()).toContain('Fix it')
    expect(wrapper.get('[data-testid="change-chip-404"]').text()).toContain('Gerrit does not know this change')
    expect(wrapper.get('[data-testid="change-chip-777"]').text()).toContain('Gerrit did not answer')
    expect(wrapper.text()).toContain('Gerrit does not know change 404.')
    expect(button().attributes('disabled')).toBeDefined()

    await wrapper.get('input[data-testid="change-input"]').setValue('12345 777')
    await vi.advanceTimersByTimeAsync(300)
    await flushPromises()
    expect(button().attributes('disabled')).toBeUndefined()
    expect(calls.filter((c) => c.url.endsWith('/12345'))).toHaveLength(1) // a known change is not asked again
  })

  it('says Queue while another backport runs', () => {
    const wrapper = mount(StartForm, { props: { queue: true } })
    expect(wrapper.get('[data-testid="start-button"]').text()).toBe('Queue backport')
  })
})
