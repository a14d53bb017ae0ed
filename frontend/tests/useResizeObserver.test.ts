import { afterEach, describe, expect, it, vi } from 'vitest'
import { ref } from 'vue'
import { useResizeObserver } from '../src/util/useResizeObserver'
import { withSetup } from './withSetup'

/** Stands in for the browser's ResizeObserver, which jsdom lacks. */
class FakeResizeObserver {
  static last: FakeResizeObserver | null = null
  observed: Element[] = []
  disconnected = false

  constructor(readonly callback: () => void) {
    FakeResizeObserver.last = this
  }

  observe(target: Element): void {
    this.observed.push(target)
  }

  disconnect(): void {
    this.disconnected = true
  }
}

describe('useResizeObserver', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    FakeResizeObserver.last = null
  })

  it('observes the element from mount to unmount', () => {
    vi.stubGlobal('ResizeObserver', FakeResizeObserver)
    const target = ref<HTMLElement | null>(null)
    let resizes = 0
    const { unmount } = withSetup(() => useResizeObserver(target, () => resizes++), target)
    const observer = FakeResizeObserver.last!
    expect(observer.observed).toEqual([target.value])
    observer.callback()
    expect(resizes).toBe(1)
    unmount()
    expect(observer.disconnected).toBe(true)
  })

  it('does without where the browser has no ResizeObserver', () => {
    vi.stubGlobal('ResizeObserver', undefined)
    const target = ref<HTMLElement | null>(null)
    const { unmount } = withSetup(() => useResizeObserver(target, () => {}), target)
    unmount()
    expect(FakeResizeObserver.last).toBeNull()
  })
})
