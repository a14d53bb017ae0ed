import { describe, expect, it } from 'vitest'
import { ref } from 'vue'
import { scrollGeometry, scrollTopCentring, topIndexAt, useVirtualScroll } from '../src/log/useVirtualScroll'
import { FakeScroller } from './fakeScroller'
import { withSetup } from './withSetup'

describe('scrollGeometry', () => {
  it('gives a short log the viewport and nothing to scroll', () => {
    expect(scrollGeometry(5, 400)).toEqual({ height: 400, visibleRows: 20, maxFirst: 0, maxScroll: 0 })
  })

  it('gives each line a 20 px row, up to a cap past which a long log is scaled', () => {
    expect(scrollGeometry(1000, 400)).toEqual({ height: 20_000, visibleRows: 20, maxFirst: 980, maxScroll: 19_600 })
    expect(scrollGeometry(1_000_000, 400)).toEqual({ height: 8_000_000, visibleRows: 20, maxFirst: 999_980, maxScroll: 7_999_600 })
  })
})

describe('topIndexAt', () => {
  it('maps the scroll range linearly onto the lines, so a scaled log still reaches its last line', () => {
    const short = scrollGeometry(1000, 400)
    expect(topIndexAt(0, short)).toBe(0)
    expect(topIndexAt(200, short)).toBe(10)
    expect(topIndexAt(short.maxScroll, short)).toBe(980)
    expect(topIndexAt(short.maxScroll + 500, short)).toBe(980)
    const long = scrollGeometry(1_000_000, 400)
    expect(topIndexAt(long.maxScroll, long) + long.visibleRows).toBe(1_000_000)
  })

  it('is 0 when there is nothing to scroll', () => {
    expect(topIndexAt(300, scrollGeometry(5, 400))).toBe(0)
  })
})

describe('scrollTopCentring', () => {
  it('puts a line in the middle of the viewport, in short and in scaled logs', () => {
    for (const [size, n] of [
      [1000, 500],
      [1000, 11],
      [1_000_000, 777_777],
    ]) {
      const geometry = scrollGeometry(size, 400)
      const top = topIndexAt(scrollTopCentring(n, geometry), geometry)
      // line n occupies index n - 1 .. n; its middle is the viewport's
      expect(top + geometry.visibleRows / 2).toBeCloseTo(n - 0.5, 6)
    }
  })

  it('stops at either end of the log', () => {
    const geometry = scrollGeometry(1000, 400)
    expect(scrollTopCentring(1, geometry)).toBe(0)
    expect(scrollTopCentring(1000, geometry)).toBe(geometry.maxScroll)
    expect(scrollTopCentring(3, scrollGeometry(5, 400))).toBe(0)
  })
})

describe('useVirtualScroll', () => {
  function setup(size: number, clientHeight = 200) {
    const element = new FakeScroller(clientHeight, size * 20)
    const lines = ref(size)
    const { result } = withSetup(() => useVirtualScroll(ref(element.asElement()), lines))
    return { element, lines, view: result }
  }

  it('measures the viewport on mount and renders its rows plus a few more', () => {
    const { view } = setup(1000)
    expect(view.viewport.value).toBe(200)
    expect(view.height.value).toBe(20_000)
    expect(view.range.value).toEqual({ from: 1, to: 14 })
    expect([view.firstShown.value, view.lastShown.value]).toEqual([1, 10])
  })

  it('follows the element when told it scrolled, shifting the rows by the part of a line scrolled past', () => {
    const { element, view } = setup(1000)
    element.scrollTop = 9910 // index 495.5 at the top
    expect(view.first.value).toBe(0)
    view.sync()
    expect(view.first.value).toBe(495)
    expect(view.offset.value).toBeCloseTo(-10, 6)
    expect(view.range.value).toEqual({ from: 496, to: 509 })
    expect(view.lastShown.value).toBe(505)
  })

  it('never renders past the last line', () => {
    const { view } = setup(3)
    expect(view.range.value).toEqual({ from: 1, to: 3 })
    expect(view.lastShown.value).toBe(3)
  })

  it('assumes a 400 px viewport where the element has no layout', () => {
    const { view } = setup(1000, 0)
    expect(view.viewport.value).toBe(400)
  })

  it('keeps the same range while the lines in view stay the same, so rows are not made again', () => {
    const { element, view } = setup(1000)
    const before = view.range.value
    element.scrollTop = 5 // a quarter of the top line
    view.sync()
    expect(view.range.value).toBe(before)
  })

  it('can take the bottom as its position before the element is scrolled there', () => {
    const { element, lines, view } = setup(1000)
    lines.value = 2000
    view.expectBottom()
    expect(view.range.value).toEqual({ from: 1991, to: 2000 })
    element.scrollHeight = 2000 * 20 // the browser's layout catches up, and the view is scrolled down
    element.scrollTop = element.bottom
    const expected = view.range.value
    view.sync()
    expect(view.range.value).toBe(expected)
  })

  it('gives the scrollTop that centres a line', () => {
    const { view } = setup(1000)
    expect(view.scrollTopFor(500)).toBe(scrollTopCentring(500, scrollGeometry(1000, 200)))
  })
})
