import { computed, onMounted, ref, type Ref } from 'vue'

/** Fixed row height (px): it lets us map a scroll position to a line number without measuring. */
export const ROW_HEIGHT = 20
/** Past this the scroll area is scaled (browsers cap element heights near 16–33 million px). */
const MAX_HEIGHT = 8_000_000
/** Rows rendered beyond the viewport, so a small scroll shows lines at once rather than blanks. */
const OVERSCAN = 4
/** Until the element is measured (and where it has no layout, as in tests). */
const DEFAULT_VIEWPORT = 400

/** How a log of `size` lines maps onto a scroll area of a `viewport`-pixel-high element. */
export interface ScrollGeometry {
  /** the scroll area's height (px), scaled down for long logs */
  height: number
  /** how many rows fit in the viewport (fractional) */
  visibleRows: number
  /** the highest 0-based index the top line can have */
  maxFirst: number
  /** the highest scrollTop */
  maxScroll: number
}

export function scrollGeometry(size: number, viewport: number): ScrollGeometry {
  const height = Math.max(Math.min(size * ROW_HEIGHT, MAX_HEIGHT), viewport)
  const visibleRows = viewport / ROW_HEIGHT
  return {
    height,
    visibleRows,
    maxFirst: Math.max(0, size - visibleRows),
    maxScroll: Math.max(0, height - viewport),
  }
}

// Scroll positions map linearly onto line indexes, so a scaled-down area still reaches every line.
/** The fractional 0-based index of the line at the top of the viewport. */
export function topIndexAt(scrollTop: number, geometry: ScrollGeometry): number {
  const { maxScroll, maxFirst } = geometry
  return maxScroll > 0 ? (Math.min(scrollTop, maxScroll) / maxScroll) * maxFirst : 0
}

/** The scrollTop that puts line `n` (1-based) in the middle of the viewport. */
export function scrollTopCentring(n: number, geometry: ScrollGeometry): number {
  const { maxFirst, maxScroll, visibleRows } = geometry
  const target = Math.max(0, Math.min(maxFirst, n - 1 - visibleRows / 2 + 0.5))
  return maxFirst > 0 ? (target / maxFirst) * maxScroll : 0
}

/** The lines to render, 1-based and inclusive; empty when `to < from`. */
export interface LineRange {
  from: number
  to: number
}

/**
 * A scroll area that renders only the rows in view. The rows sit in a sticky window the height of the
 * viewport and are shifted by `offset` px; a spacer gives the area its `height`.
 */
export function useVirtualScroll(scroller: Ref<HTMLElement | null>, size: Readonly<Ref<number>>) {
  const scrollTop = ref(0)
  const viewport = ref(DEFAULT_VIEWPORT)

  const geometry = computed(() => scrollGeometry(size.value, viewport.value))
  const height = computed(() => geometry.value.height)
  const topIndex = computed(() => topIndexAt(scrollTop.value, geometry.value))
  /** The 0-based index of the first rendered line. */
  const first = computed(() => Math.floor(topIndex.value))
  /** Shifts the rows up by the part of the top line that is scrolled past. */
  const offset = computed(() => -(topIndex.value - first.value) * ROW_HEIGHT)
  // the same object while the lines stay the same, so the rows are not made again for nothing
  const range = computed<LineRange>((previous) => {
    const from = first.value + 1
    const to = Math.min(size.value, first.value + Math.ceil(geometry.value.visibleRows) + OVERSCAN)
    return previous && previous.from === from && previous.to === to ? previous : { from, to }
  })
  /** The first and last line fully or partly on screen, not counting the overscan. */
  const firstShown = computed(() => first.value + 1)
  const lastShown = computed(() => Math.min(size.value, first.value + Math.floor(geometry.value.visibleRows)))

  function measure(): void {
    const el = scroller.value
    if (!el) return
    viewport.value = el.clientHeight || DEFAULT_VIEWPORT
    scrollTop.value = el.scrollTop
  }

  /** Takes the element's scroll position after it moved. */
  function sync(): void {
    const el = scroller.value
    if (el) scrollTop.value = el.scrollTop
  }

  /**
   * Takes the bottom as the scroll position before the element is scrolled there, so that the rows are
   * made once for where the view is going rather than once for where it was and again after the scroll.
   */
  function expectBottom(): void {
    scrollTop.value = geometry.value.maxScroll
  }

  function scrollTopFor(n: number): number {
    return scrollTopCentring(n, geometry.value)
  }

  onMounted(measure)

  return { scrollTop, viewport, height, first, offset, range, firstShown, lastShown, measure, sync, expectBottom, scrollTopFor }
}
