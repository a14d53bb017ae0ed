import { defineComponent, h, type Ref } from 'vue'
import { mount } from '@vue/test-utils'

/**
 * Runs a composable inside a mounted component, so its lifecycle hooks run as in a real view.
 * `el`, if given, is bound to the component's root element.
 */
export function withSetup<T>(composable: () => T, el?: Ref<HTMLElement | null>): { result: T; unmount: () => void } {
  let result!: T
  const wrapper = mount(
    defineComponent({
      setup() {
        result = composable()
        return () => h('div', el ? { ref: el } : {})
      },
    }),
  )
  return { result, unmount: () => wrapper.unmount() }
}
