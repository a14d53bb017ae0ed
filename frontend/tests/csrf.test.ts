import { describe, expect, it } from 'vitest'
import { csrfToken, requestHeaders } from '../src/api/client'

describe('CSRF header', () => {
  const cookies = 'other=1; XSRF-TOKEN=abc%3D123; last=x'

  it('reads the XSRF-TOKEN cookie', () => {
    expect(csrfToken(cookies)).toBe('abc=123')
    expect(csrfToken('other=1')).toBeNull()
  })

  it('echoes it on changes only', () => {
    expect(requestHeaders({ method: 'POST', body: '{}' }, cookies)['X-XSRF-TOKEN']).toBe('abc=123')
    expect(requestHeaders({ method: 'DELETE' }, cookies)['X-XSRF-TOKEN']).toBe('abc=123')
    expect(requestHeaders(undefined, cookies)['X-XSRF-TOKEN']).toBeUndefined()
  })

  it('sends no header without the cookie (local mode)', () => {
    expect(requestHeaders({ method: 'POST', body: '{}' }, '')).not.toHaveProperty('X-XSRF-TOKEN')
  })
})
