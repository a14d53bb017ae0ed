import { afterEach, describe, expect, it, vi } from 'vitest'
import { api, whenSignedOut } from '../src/api/client'
import { parseRoute, route } from '../src/router'
import { goToSignIn, secondFactorOwed, sessionInfo, signedIn } from '../src/session'

describe('sign-in', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    sessionInfo.value = null
    window.history.pushState(null, '', '/')
    route.value = parseRoute('/')
  })

  it('has pages of its own', () => {
    expect(parseRoute('/signin')).toEqual({ name: 'signin' })
    expect(parseRoute('/audit')).toEqual({ name: 'audit' })
  })

  it('knows a session that still owes its second factor from a signed-in one', () => {
    const base = { user: 'alice', roles: [], localMode: false }
    expect(secondFactorOwed({ ...base, secondFactor: 'verify' })).toBe(true)
    expect(secondFactorOwed({ ...base, secondFactor: 'enrol' })).toBe(true)
    expect(signedIn({ ...base, secondFactor: 'verify' })).toBe(false)
    expect(signedIn({ ...base, roles: ['VIEWER'], secondFactor: 'enrolled' })).toBe(true)
    expect(signedIn({ user: 'me', roles: ['ADMIN'], localMode: true, secondFactor: null })).toBe(false)
  })

  it('goes to the sign-in page when the API answers 401', async () => {
    vi.stubGlobal('fetch', async () => new Response('{"status":401}', { status: 401 }))
    expect(whenSignedOut.handler).toBe(goToSignIn)
    await expect(api.jobs()).rejects.toThrow()
    expect(route.value).toEqual({ name: 'signin' })
    expect(window.location.pathname).toBe('/signin')
  })

  it('never in local mode', async () => {
    sessionInfo.value = { user: 'me', roles: ['ADMIN'], localMode: true, secondFactor: null }
    vi.stubGlobal('fetch', async () => new Response('{"status":401}', { status: 401 }))
    await expect(api.jobs()).rejects.toThrow()
    expect(route.value).toEqual({ name: 'overview' })
  })
})
