import { describe, expect, it } from 'vitest'
import { mount } from '@vue/test-utils'
import StateChip from '../src/components/StateChip.vue'
import { STATE_LABELS, type ShownState } from '../src/util/stateLabels'

describe('the state chip', () => {
  // a deployer who cannot tell the colours apart still tells the states apart (#15: cancelled and
  // "Needs an answer" once shared a warning triangle)
  it('draws an icon of its own for each state, beside its label', () => {
    const states = Object.keys(STATE_LABELS) as ShownState[]
    const drawn = states.map((state) => {
      const chip = mount(StateChip, { props: { state } })
      expect(chip.text()).toBe(STATE_LABELS[state])
      return chip.find('svg').html()
    })
    expect(new Set(drawn).size).toBe(states.length)
  })
})
