import { onBeforeUnmount, onMounted, type Ref } from 'vue'

/** Calls `onResize` whenever the element changes size, from mount to unmount (where browsers observe). */
export function useResizeObserver(target: Ref<HTMLElement | null>, onResize: () => void): void {
  let observer: ResizeObserver | null = null
  onMounted(() => {
    if (typeof ResizeObserver === 'undefined' || !target.value) return
    observer = new ResizeObserver(onResize)
    observer.observe(target.value)
  })
  onBeforeUnmount(() => observer?.disconnect())
}
