import { afterEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import StartForm from '../src/components/StartForm.vue'
import { stubFetch } from './fakeEventSource'

afterEach(() => vi.unstubAllGlobals())

describe('StartForm', () => {
  it('enables Start only while the input is valid, and explains why not', async () => {
    const wrapper = mount(StartForm)
    const button = () => wrapper.get('[data-testid="start-button"]')
    const input = wrapper.get('input[data-testid="change-input"]')
    expect(button().attributes('disabled')).toBeDefined()
    expect(wrapper.find('.cdx-message--error').exists()).toBe(false) // nothing typed yet: no error

    await input.setValue('12345 nope')
    expect(button().attributes('disabled')).toBeDefined()
    expect(wrapper.text()).toContain('"nope" is not a Gerrit change number or change URL')

    await input.setValue('12345 https://gerrit.wikimedia.org/r/c/mediawiki/core/+/67890')
    expect(button().attributes('disabled')).toBeUndefined()
    expect(wrapper.text()).toContain('Will backport 12345, 67890')
  })

  it('posts the normalised change numbers and reports the new job', async () => {
    const job = { id: 5, state: 'queued' }
    const { calls, fetchStub } = stubFetch(() => ({ status: 201, body: job }))
    vi.stubGlobal('fetch', fetchStub)
    const wrapper = mount(StartForm)
    await wrapper.get('input[data-testid="change-input"]').setValue('https://gerrit.wikimedia.org/r/#/c/42/, 43')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(calls[0].url).toBe('/api/jobs')
    expect(JSON.parse(String(calls[0].init?.body))).toEqual({ command: 'backport', parameters: { changeIds: ['42', '43'] } })
    expect(wrapper.emitted('started')).toEqual([[job]])
    expect(window.location.pathname).toBe('/jobs/5')
  })

  it('shows the server’s problem next to the input', async () => {
    const { fetchStub } = stubFetch(() => ({
      status: 400,
      body: {
        type: 'https://spiderpig.wikimedia.org/problems/invalid-parameters',
        title: 'Invalid parameters',
        status: 400,
        detail: '1 of the change ids is not valid',
        errors: [{ field: 'parameters.changeIds[0]', value: '42', reason: 'is not an open change' }],
      },
    }))
    vi.stubGlobal('fetch', fetchStub)
    const wrapper = mount(StartForm)
    await wrapper.get('input[data-testid="change-input"]').setValue('42')
    await wrapper.get('form').trigger('submit')
    await flushPromises()
    expect(wrapper.get('.cdx-field').text()).toContain('42: is not an open change')
    expect(wrapper.emitted('started')).toBeUndefined()
  })
})
