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
    await input.trigger('blur') // typed, and left the field
    expect(wrapper.text()).toContain('"nope" is not a Gerrit change number or change URL')
    expect(input.attributes('aria-invalid')).toBe('true')
    const message = wrapper.get('[data-testid="change-message"]')
    expect(input.attributes('aria-describedby')?.split(' ')).toContain(message.attributes('id'))

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

  it('says nothing about the entry still being typed until the typing pauses', async () => {
    vi.useFakeTimers()
    try {
      const wrapper = mount(StartForm)
      const input = wrapper.get('input[data-testid="change-input"]')
      for (const typed of ['h', 'https://gerrit.wikimedia.org/r/c/', 'https://gerrit.wikimedia.org/r/c/mediawiki/core/+/']) {
        await input.setValue(typed)
        expect(wrapper.find('[data-testid="change-message"]').exists()).toBe(false)
        expect(input.attributes('aria-invalid')).toBe('false')
      }
      await input.setValue('nope 1234') // an earlier entry is judged at once
      expect(wrapper.get('[data-testid="change-message"]').text()).toContain('"nope"')
      await input.setValue('12345 https://gerrit.wikimedia.org/r/c/')
      expect(wrapper.find('[data-testid="change-message"]').exists()).toBe(false)
      await vi.advanceTimersByTimeAsync(2000)
      expect(wrapper.get('[data-testid="change-message"]').text()).toContain('is not a Gerrit change number or change URL')
      expect(input.attributes('aria-invalid')).toBe('true')
    } finally {
      vi.useRealTimers()
    }
  })
})
