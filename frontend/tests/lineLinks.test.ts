import { afterEach, describe, expect, it } from 'vitest'
import { nextTick } from 'vue'
import { clickedLines, lineHash, parseLineHash } from '../src/log/lineLinks'
import { usePreference } from '../src/util/usePreference'

afterEach(() => window.localStorage.clear())

describe('line links', () => {
  it('read #L40 and #L40-L52, either way round, and nothing else', () => {
    expect(parseLineHash('#L40')).toEqual({ from: 40, to: 40 })
    expect(parseLineHash('#L40-L52')).toEqual({ from: 40, to: 52 })
    expect(parseLineHash('#L52-L40')).toEqual({ from: 40, to: 52 })
    expect(parseLineHash('#L40-52')).toEqual({ from: 40, to: 52 })
    for (const other of ['', '#', '#L0', '#L-1', '#L4x', '#top', '#L40-L']) expect(parseLineHash(other)).toBeNull()
  })

  it('write the shortest form and extend a range with Shift', () => {
    expect(lineHash({ from: 40, to: 40 })).toBe('#L40')
    expect(lineHash({ from: 40, to: 52 })).toBe('#L40-L52')
    expect(clickedLines({ from: 40, to: 40 }, 52, true)).toEqual({ from: 40, to: 52 })
    expect(clickedLines({ from: 40, to: 52 }, 30, true)).toEqual({ from: 30, to: 52 })
    expect(clickedLines({ from: 40, to: 52 }, 30, false)).toEqual({ from: 30, to: 30 })
    expect(clickedLines(null, 7, true)).toEqual({ from: 7, to: 7 })
  })
})

describe('preferences', () => {
  it('are remembered in this browser', async () => {
    const wrap = usePreference('wrap', false)
    expect(wrap.value).toBe(false)
    wrap.value = true
    await nextTick()
    expect(window.localStorage.getItem('spiderpig.wrap')).toBe('yes')
    expect(usePreference('wrap', false).value).toBe(true)
  })
})
