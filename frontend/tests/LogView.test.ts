import { describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import LogView from '../src/components/LogView.vue'
import type { LogLine, LogRange } from '../src/api/types'
import { LineCache, immediately } from '../src/log/lineCache'

function logLine(n: number, text: string, extra: Partial<LogLine> = {}): LogLine {
  return { line: n, ts: '2026-11-22T10:00:00.000Z', stream: 'stdout', text, sensitive: false, ...extra }
}

const noServer = async (): Promise<LogRange> => ({ from: 1, to: 1, size: 0, lines: [] })

describe('LogView', () => {
  it('renders only the rows in view however long the log', async () => {
    const cache = new LineCache(noServer, 200, immediately)
    for (let n = 1; n <= 100_000; n++) cache.append(logLine(n, `line ${n}`))
    const wrapper = mount(LogView, { props: { cache, downloadUrl: '/api/jobs/1/log.txt', live: true } })
    await wrapper.vm.$nextTick()
    const rows = wrapper.findAll('.sp-log__row')
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.length).toBeLessThan(60)
    expect(wrapper.get('[data-testid="log"]').attributes('data-lines')).toBe('100000')
  })

  it('shows ANSI colours as classes, escapes HTML, masks and numbers lines', async () => {
    const cache = new LineCache(noServer, 200, immediately)
    cache.append(logLine(1, '\u001b[32mgreen\u001b[0m <b>not bold</b>'))
    cache.append(logLine(2, '[sensitive output hidden]', { sensitive: true }))
    cache.append(logLine(3, 'oops', { stream: 'stderr' }))
    const wrapper = mount(LogView, { props: { cache, downloadUrl: '/x', live: false } })
    await wrapper.vm.$nextTick()
    const rows = wrapper.findAll('.sp-log__row')
    expect(rows.map((r) => r.get('.sp-log__number').text())).toEqual(['1', '2', '3'])
    expect(rows[0].get('.ansi-green-fg').text()).toBe('green')
    expect(rows[0].find('b').exists()).toBe(false)
    expect(rows[0].text()).toContain('<b>not bold</b>')
    expect(rows[1].classes()).toContain('sp-log__row--sensitive')
    expect(rows[2].classes()).toContain('sp-log__row--stderr')
  })

  it('stops following the moment the user wheels or keys upward, even while lines pour in', async () => {
    const cache = new LineCache(noServer, 200, immediately)
    for (let n = 1; n <= 500; n++) cache.append(logLine(n, `line ${n}`))
    const wrapper = mount(LogView, { props: { cache, downloadUrl: '/x', live: true } })
    await wrapper.vm.$nextTick()
    const log = wrapper.get('[data-testid="log"]')
    expect(wrapper.find('[data-testid="jump-latest"]').exists()).toBe(false)

    await log.trigger('wheel', { deltaY: 120 })
    expect(wrapper.find('[data-testid="jump-latest"]').exists()).toBe(false)
    await log.trigger('wheel', { deltaY: -120 })
    cache.append(logLine(501, 'line 501'))
    await wrapper.vm.$nextTick()
    expect(wrapper.get('[data-testid="jump-latest"]').text()).toContain('1 new')

    await wrapper.get('[data-testid="jump-latest"]').trigger('click')
    await log.trigger('keydown', { key: 'PageUp' })
    await wrapper.vm.$nextTick()
    expect(wrapper.find('[data-testid="jump-latest"]').exists()).toBe(true)
  })

  it('shows timestamps on request and links the raw download', async () => {
    const cache = new LineCache(noServer, 200, immediately)
    cache.append(logLine(1, 'a'))
    const wrapper = mount(LogView, { props: { cache, downloadUrl: '/api/jobs/4/log.txt', live: false } })
    expect(wrapper.find('.sp-log__time').exists()).toBe(false)
    await wrapper.get('[data-testid="show-timestamps"] input').setValue(true)
    expect(wrapper.get('.sp-log__time').text()).toMatch(/^\d\d:\d\d:\d\d\.000$/)
    expect(wrapper.get('[data-testid="download-log"]').attributes('href')).toBe('/api/jobs/4/log.txt')
  })

  it('finds a line that is not rendered and marks it', async () => {
    const cache = new LineCache(noServer, 200, immediately)
    for (let n = 1; n <= 5000; n++) cache.append(logLine(n, n === 4321 ? 'the Needle' : `line ${n}`))
    const wrapper = mount(LogView, { props: { cache, downloadUrl: '/x', live: false }, attachTo: document.body })
    await wrapper.get('input[data-testid="log-search"]').setValue('needle')
    await wrapper.get('[data-testid="search-next"]').trigger('click')
    // the search scans the held lines in turns, each a task of the page's frame budget
    await vi.waitFor(() => expect(wrapper.get('[data-testid="search-status"]').text()).toBe('1 of 1'), { timeout: 10_000 })
    expect(wrapper.get('.sp-log__row--match .sp-log__mark').text()).toBe('Needle')
    wrapper.unmount()
  })

  it('links line numbers: a click puts #L<n> in the address and highlights it, Shift+click a range', async () => {
    const cache = new LineCache(noServer, 200, immediately)
    for (let n = 1; n <= 12; n++) cache.append(logLine(n, `line ${n}`))
    const wrapper = mount(LogView, { props: { cache, downloadUrl: '/x', live: false }, attachTo: document.body })
    await wrapper.vm.$nextTick()
    expect(wrapper.get('[data-line="3"] .sp-log__number').attributes('href')).toBe('#L3')
    await wrapper.get('[data-line="3"] .sp-log__number').trigger('click')
    expect(window.location.hash).toBe('#L3')
    await wrapper.get('[data-line="5"] .sp-log__number').trigger('click', { shiftKey: true })
    expect(window.location.hash).toBe('#L3-L5')
    expect(wrapper.findAll('.sp-log__row--linked').map((row) => row.attributes('data-line'))).toEqual(['3', '4', '5'])
    expect(wrapper.get('[data-testid="copy-line-link"]').text()).toContain('lines 3–5')
    // the gutter is as wide as two digits need
    expect(wrapper.get('.sp-log').attributes('style')).toContain('--sp-gutter-digits: 2')
    wrapper.unmount()
    window.history.replaceState(null, '', '/')
  })

  it('wraps long lines on request and remembers the choice', async () => {
    const cache = new LineCache(noServer, 200, immediately)
    cache.append(logLine(1, 'x'.repeat(500)))
    const wrapper = mount(LogView, { props: { cache, downloadUrl: '/x', live: false } })
    expect(wrapper.get('.sp-log').classes()).not.toContain('sp-log--wrap')
    await wrapper.get('[data-testid="wrap-lines"] input').setValue(true)
    expect(wrapper.get('.sp-log').classes()).toContain('sp-log--wrap')
    await wrapper.vm.$nextTick()
    expect(window.localStorage.getItem('spiderpig.log.wrap')).toBe('yes')
    window.localStorage.clear()
  })
})
