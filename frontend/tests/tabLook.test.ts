import { describe, expect, it } from 'vitest'
import { defineComponent, h, nextTick, shallowRef } from 'vue'
import { mount } from '@vue/test-utils'
import { jobTitle, stateFavicon, useJobTabLook } from '../src/util/tabLook'
import type { ShownState } from '../src/util/stateLabels'

describe('the tab of a job page', () => {
  it('says what the job needs first', () => {
    expect(jobTitle(12, 'awaiting-input')).toBe('Needs an answer · Job 12 · SpiderPig')
    expect(jobTitle(12, 'unknown')).toBe('Unknown (reconnecting) · Job 12 · SpiderPig')
  })

  it('has an icon of its own for each state', () => {
    const icons = new Set((['queued', 'running', 'awaiting-input', 'succeeded', 'failed', 'cancelled', 'interrupted'] as ShownState[]).map(stateFavicon))
    expect(icons.size).toBe(7)
    expect(stateFavicon('succeeded')).toMatch(/^data:image\/svg\+xml,/)
  })

  it("follows the state and puts the app's title and icon back when the page goes", async () => {
    document.head.innerHTML = '<link rel="icon" href="/favicon.svg">'
    document.title = 'SpiderPig'
    const state = shallowRef<ShownState>('running')
    const wrapper = mount(defineComponent({ setup: () => (useJobTabLook(12, () => state.value), () => h('div')) }))
    expect(document.title).toBe('Running · Job 12 · SpiderPig')
    state.value = 'awaiting-input'
    await nextTick()
    expect(document.title).toBe('Needs an answer · Job 12 · SpiderPig')
    expect(document.querySelector('link[rel="icon"]')?.getAttribute('href')).toBe(stateFavicon('awaiting-input'))
    wrapper.unmount()
    expect(document.title).toBe('SpiderPig')
    expect(document.querySelector('link[rel="icon"]')?.getAttribute('href')).toBe('/favicon.svg')
  })
})
