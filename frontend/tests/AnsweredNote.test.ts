import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import AnsweredNote from '../src/components/AnsweredNote.vue'
import { pendingPrompt } from './fixtures'

const answeredByAlice = { ...pendingPrompt(), response: 'y', answeredBy: 'alice', answeredAt: '2026-11-30T10:00:00Z' }

describe('AnsweredNote', () => {
  it('names who won the race and says that our own answer was not sent', () => {
    const wrapper = mount(AnsweredNote, { props: { answered: { interaction: answeredByAlice, fromThisPage: false, notSent: 'n' } } })
    expect(wrapper.get('[data-testid="lost-race"]').text().replace(/\s+/g, ' '))
      .toBe('alice answered Yes (“y”) first; your No (“n”) was not sent.')
  })

  it('names who answered when this page did not try', () => {
    const wrapper = mount(AnsweredNote, { props: { answered: { interaction: answeredByAlice, fromThisPage: false } } })
    expect(wrapper.find('[data-testid="lost-race"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="answered-by"]').text()).toBe('alice')
  })

  it('says our answer came after the prompt closed', () => {
    const closed = { ...pendingPrompt(), closedReason: 'closed', closedAt: '2026-11-30T10:00:00Z' }
    const wrapper = mount(AnsweredNote, { props: { answered: { interaction: closed, fromThisPage: false, notSent: 'y' } } })
    expect(wrapper.text()).toContain('The prompt closed without an answer; your Yes (“y”) was not sent.')
  })
})
