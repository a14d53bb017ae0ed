import { computed, nextTick, onMounted, ref, watch, type Ref } from 'vue'
import { ROW_HEIGHT } from './useVirtualScroll'

/** How long after a wheel, key, pointer or touch a scroll still counts as the user's. */
const INTENT_MS = 1000
const UPWARD_KEYS = new Set(['ArrowUp', 'PageUp', 'Home'])

export function isUpward(event: WheelEvent | KeyboardEvent): boolean {
  return event instanceof WheelEvent ? event.deltaY < 0 : UPWARD_KEYS.has(event.key)
}

/** What the view knows when a scroll event arrives. */
export interface ScrollFacts {
  following: boolean
  atBottom: boolean
  /** scrollTop went down since the last scroll event */
  movedUp: boolean
  /** the viewport or the content changed height since the last scroll event */
  geometryChanged: boolean
  /** the user reached for the log just before */
  byUser: boolean
  /** the user wheeled or keyed upward just before */
  upwardJustNow: boolean
}

/**
 * `resume` following, `stop` following, `pin` the view back to the bottom, or leave things as they are.
 *
 * Lines arriving never lower scrollTop, but a resized viewport can (the browser clamps it). So moving up
 * stops following only when the user did it, or when nothing else changed; reaching the bottom resumes,
 * except that a scroll event from before an upward wheel or key, still reporting the bottom, does not
 * undo it. A scroll the user did not make while following is the browser's, and must not leave the end.
 */
export function judgeScroll(facts: ScrollFacts): 'resume' | 'stop' | 'pin' | 'none' {
  if (facts.atBottom) return facts.upwardJustNow ? 'none' : 'resume'
  if (!facts.following) return 'none'
  if (facts.movedUp && (facts.byUser || !facts.geometryChanged)) return 'stop'
  return facts.byUser ? 'none' : 'pin'
}

/**
 * Keeps a scroll area at its bottom while lines arrive, until the user scrolls away; counts the lines
 * that arrived since. `moved` is told whenever the element's scroll position may have changed.
 */
export function useFollowBottom(
  scroller: Ref<HTMLElement | null>,
  size: Readonly<Ref<number>>,
  moved: () => void,
  now: () => number = () => performance.now(),
) {
  const following = ref(true)
  /** The size when following stopped: lines after it are new to the user. */
  const seenSize = ref(0)
  const newLines = computed(() => (following.value ? 0 : Math.max(0, size.value - seenSize.value)))

  // the element as the previous scroll event left it
  let lastScrollTop = 0
  let lastClientHeight = 0
  let lastScrollHeight = 0
  let userIntentAt = -Infinity
  let upwardAt = -Infinity

  function stopFollowing(): void {
    following.value = false
    seenSize.value = size.value
  }

  /** The user reached for the log (wheel, keys, scrollbar, touch): a scroll soon after is theirs. */
  function noteIntent(): void {
    userIntentAt = now()
  }

  /**
   * Wheeling or keying upward stops following at once: waiting for the scroll event would let lines that
   * arrive meanwhile (a flood on a busy machine) pull the view back to the bottom first.
   */
  function noteUpward(event: WheelEvent | KeyboardEvent): void {
    noteIntent()
    if (!isUpward(event)) return
    upwardAt = now()
    if (following.value) stopFollowing()
  }

  function factsOf(el: HTMLElement): ScrollFacts {
    const at = now()
    return {
      following: following.value,
      atBottom: el.scrollTop >= el.scrollHeight - el.clientHeight - ROW_HEIGHT / 2,
      movedUp: el.scrollTop < lastScrollTop - 1,
      geometryChanged: el.clientHeight !== lastClientHeight || el.scrollHeight !== lastScrollHeight,
      byUser: at - userIntentAt < INTENT_MS,
      upwardJustNow: at - upwardAt <= INTENT_MS,
    }
  }

  function onScroll(): void {
    const el = scroller.value
    if (!el) return
    moved()
    const verdict = judgeScroll(factsOf(el))
    if (verdict === 'resume') following.value = true
    else if (verdict === 'stop') stopFollowing()
    else if (verdict === 'pin') el.scrollTop = el.scrollHeight
    lastScrollTop = el.scrollTop
    lastClientHeight = el.clientHeight
    lastScrollHeight = el.scrollHeight
  }

  function scrollToBottom(): void {
    const el = scroller.value
    if (!el) return
    following.value = true
    el.scrollTop = el.scrollHeight
    moved()
    lastScrollTop = el.scrollTop
  }

  /** Scrolls to `top` and stops following (to show a search match, say). */
  function scrollAwayTo(top: number): void {
    const el = scroller.value
    if (!el) return
    stopFollowing()
    el.scrollTop = top
    moved()
    lastScrollTop = el.scrollTop
  }

  /** After the viewport changed size: the bottom may have moved. */
  function keepAtBottom(): void {
    if (following.value) scrollToBottom()
  }

  /** After the next render, once the new rows have made the scroll area taller. */
  function keepAtBottomSoon(): void {
    if (following.value) void nextTick(scrollToBottom)
  }

  watch(size, keepAtBottomSoon)
  onMounted(keepAtBottomSoon)

  return { following, newLines, noteIntent, noteUpward, onScroll, scrollToBottom, scrollAwayTo, keepAtBottom }
}
