import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import PromptPanel from '../src/components/PromptPanel.vue'
import { pendingPrompt } from './fixtures'

const prompt = pendingPrompt()

describe('PromptPanel', () => {
  it('shows one button per choice with the default highlighted', () => {
    const wrapper = mount(PromptPanel, { props: { interaction: prompt, answering: false, error: null, canAnswer: true } })
    expect(wrapper.text()).toContain('Continue with sync?')
    const yes = wrapper.get('[data-testid="choice-y"]')
    const no = wrapper.get('[data-testid="choice-n"]')
    expect(yes.text()).toBe('Yes')
    expect(no.attributes('data-default')).toBe('true')
    expect(no.classes()).toContain('cdx-button--weight-primary')
    expect(yes.classes()).not.toContain('cdx-button--weight-primary')
  })

  it('answers once, then disables the buttons', async () => {
    const wrapper = mount(PromptPanel, { props: { interaction: prompt, answering: false, error: null, canAnswer: true } })
    await wrapper.get('[data-testid="choice-y"]').trigger('click')
    await wrapper.get('[data-testid="choice-n"]').trigger('click')
    expect(wrapper.emitted('answer')).toEqual([['y']])
    expect(wrapper.get('[data-testid="choice-y"]').attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-testid="choice-n"]').attributes('disabled')).toBeDefined()
  })

  it('takes a line of text for input_line prompts', async () => {
    const wrapper = mount(PromptPanel, {
      props: { interaction: { ...prompt, kind: 'input_line', choices: null, default: null }, answering: false, error: null, canAnswer: true },
    })
    await wrapper.get('input[data-testid="prompt-input"]').setValue('because')
    await wrapper.get('form').trigger('submit')
    expect(wrapper.emitted('answer')).toEqual([['because']])
  })

  it('lets watchers see the prompt but not answer it', () => {
    const wrapper = mount(PromptPanel, { props: { interaction: prompt, answering: false, error: null, canAnswer: false } })
    expect(wrapper.get('[data-testid="choice-y"]').attributes('disabled')).toBeDefined()
    expect(wrapper.text()).toContain('Only deployers can answer')
  })
})
