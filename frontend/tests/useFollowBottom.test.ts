import { describe, expect, it } from 'vitest'
import { nextTick, ref } from 'vue'
import { isUpward, judgeScroll, useFollowBottom, type ScrollFacts } from '../src/log/useFollowBottom'
import { FakeScroller } from './fakeScroller'
import { withSetup } from './withSetup'

const ROW = 20

/** A follower over a 200 px viewport of a `size`-line log; the test moves the clock and the element. */
function setup(size = 100) {
  const element = new FakeScroller(200, size * ROW)
  const lines = ref(size)
  const clock = { now: 0 }
  let moves = 0
  const { result } = withSetup(() =>
    useFollowBottom(ref(element.asElement()), lines, () => moves++, () => clock.now),
  )
  /** Lines arrive; the content grows with them. */
  const grow = (size: number) => {
    lines.value = size
    element.scrollHeight = size * ROW
  }
  return { element, lines, clock, follow: result, grow, moves: () => moves }
}

/** Lets the watcher run, then the scroll it schedules for after the render. */
async function rendered(): Promise<void> {
  await nextTick()
  await nextTick()
}

const wheel = (deltaY: number) => new WheelEvent('wheel', { deltaY })
const key = (name: string) => new KeyboardEvent('keydown', { key: name })

describe('judgeScroll', () => {
  const facts = (overrides: Partial<ScrollFacts>): ScrollFacts => ({
    following: true,
    atBottom: false,
    movedUp: false,
    geometryChanged: false,
    byUser: false,
    upwardJustNow: false,
    ...overrides,
  })

  it('resumes at the bottom, unless the user just went upward', () => {
    expect(judgeScroll(facts({ atBottom: true, following: false }))).toBe('resume')
    expect(judgeScroll(facts({ atBottom: true, following: false, upwardJustNow: true }))).toBe('none')
  })

  it('stops when the user moved up, or when something moved up while nothing else changed', () => {
    expect(judgeScroll(facts({ movedUp: true, byUser: true, geometryChanged: true }))).toBe('stop')
    expect(judgeScroll(facts({ movedUp: true }))).toBe('stop')
  })

  it('pins the view back to the bottom when the browser moved it', () => {
    expect(judgeScroll(facts({ movedUp: true, geometryChanged: true }))).toBe('pin')
    expect(judgeScroll(facts({ geometryChanged: true }))).toBe('pin')
  })

  it('leaves a view that does not follow, or that the user moved without going up, alone', () => {
    expect(judgeScroll(facts({ following: false, movedUp: true }))).toBe('none')
    expect(judgeScroll(facts({ byUser: true }))).toBe('none')
  })
})

describe('isUpward', () => {
  it('knows upward wheels and keys', () => {
    expect(isUpward(wheel(-1))).toBe(true)
    expect(isUpward(wheel(1))).toBe(false)
    expect(['ArrowUp', 'PageUp', 'Home', 'ArrowDown', 'PageDown', 'End', 'a'].map((name) => isUpward(key(name)))).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ])
  })
})

describe('useFollowBottom', () => {
  it('keeps the last line in view from mount on, as lines arrive', async () => {
    const { element, follow, grow } = setup(100)
    await rendered()
    expect(element.scrollTop).toBe(element.bottom)
    grow(200)
    await rendered()
    expect(element.scrollTop).toBe(3800)
    expect(follow.following.value).toBe(true)
    expect(follow.newLines.value).toBe(0)
  })

  it('stops the moment the user wheels or keys upward, and counts the lines that arrive after', async () => {
    const { element, follow, grow } = setup(100)
    await rendered()
    follow.noteUpward(wheel(120))
    expect(follow.following.value).toBe(true)
    follow.noteUpward(wheel(-120))
    expect(follow.following.value).toBe(false)
    grow(150)
    await rendered()
    expect(element.scrollTop).toBe(1800)
    expect(follow.newLines.value).toBe(50)

    follow.scrollToBottom()
    expect(follow.following.value).toBe(true)
    expect(follow.newLines.value).toBe(0)
    expect(element.scrollTop).toBe(element.bottom)
    follow.noteUpward(key('PageUp'))
    expect(follow.following.value).toBe(false)
  })

  it('does not let a scroll event from before an upward wheel, still at the bottom, resume following', async () => {
    const { clock, follow } = setup(100)
    await rendered()
    clock.now = 5000
    follow.noteUpward(wheel(-120))
    clock.now = 5900
    follow.onScroll()
    expect(follow.following.value).toBe(false)
    clock.now = 6001
    follow.onScroll()
    expect(follow.following.value).toBe(true)
  })

  it('stops when the view moves up with nothing else changed', async () => {
    const { element, follow, grow } = setup(100)
    await rendered()
    follow.onScroll()
    element.scrollTop = 1000
    follow.onScroll()
    expect(follow.following.value).toBe(false)
    grow(120)
    expect(follow.newLines.value).toBe(20)
  })

  it('keeps following when a resized viewport moves the view up, and puts it back at the bottom', async () => {
    const { element, follow } = setup(100)
    await rendered()
    follow.onScroll()
    element.clientHeight = 300
    element.scrollHeight = 2100
    element.scrollTop = 1500
    follow.onScroll()
    expect(follow.following.value).toBe(true)
    expect(element.scrollTop).toBe(element.bottom)
  })

  it('stops when the user drags the view up, even while the viewport changes', async () => {
    const { element, clock, follow } = setup(100)
    await rendered()
    follow.onScroll()
    clock.now = 10_000
    follow.noteIntent()
    clock.now = 10_500
    element.clientHeight = 300
    element.scrollHeight = 2100
    element.scrollTop = 1500
    follow.onScroll()
    expect(follow.following.value).toBe(false)
  })

  it('puts the view back at the bottom after a scroll the user did not make', async () => {
    const { element, follow } = setup(100)
    await rendered()
    follow.onScroll()
    element.scrollHeight += 400 // lines rendered before the follow-up scroll
    follow.onScroll()
    expect(element.scrollTop).toBe(element.bottom)
    expect(follow.following.value).toBe(true)
  })

  it('scrolls away to a position without following, and resumes when the user reaches the bottom', async () => {
    const { element, follow, moves } = setup(100)
    await rendered()
    const before = moves()
    follow.scrollAwayTo(500)
    expect(element.scrollTop).toBe(500)
    expect(follow.following.value).toBe(false)
    expect(moves()).toBe(before + 1)
    follow.noteIntent()
    element.scrollTop = element.bottom
    follow.onScroll()
    expect(follow.following.value).toBe(true)
  })

  it('returns to the bottom after a resize only while following', async () => {
    const { element, follow } = setup(100)
    await rendered()
    element.clientHeight = 100
    follow.keepAtBottom()
    expect(element.scrollTop).toBe(1900)
    follow.scrollAwayTo(0)
    element.clientHeight = 50
    follow.keepAtBottom()
    expect(element.scrollTop).toBe(0)
  })
})
