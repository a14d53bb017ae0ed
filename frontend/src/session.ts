import { shallowRef } from 'vue'
import { api, whenSignedOut } from './api/client'
import { navigate, route } from './router'
import type { SessionInfo, User } from './api/types'

/** Who the server says we are (from `GET /api/status`). */
export const currentUser = shallowRef<User | null>(null)

export function canDeploy(user: User | null): boolean {
  return !!user && (user.roles.includes('DEPLOYER') || user.roles.includes('ADMIN'))
}

/** The server's sign-in state; null until known (or when the server does not say). */
export const sessionInfo = shallowRef<SessionInfo | null>(null)

export async function loadSessionInfo(): Promise<void> {
  try {
    sessionInfo.value = await api.session()
  } catch {
    sessionInfo.value = null
  }
}

/** Whether the user is only half-way signed in: the second factor (or its enrolment) is still owed. */
export function secondFactorOwed(info: SessionInfo | null): boolean {
  return info?.secondFactor === 'verify' || info?.secondFactor === 'enrol'
}

/** Signed in all the way with a session (not local mode): what shows "Sign out". */
export function signedIn(info: SessionInfo | null): boolean {
  return !!info && !info.localMode && !!info.user && !secondFactorOwed(info)
}

/** Where to go back to after signing in. */
let returnTo = '/'

/** The server said 401: show the sign-in page (never in local mode, which has none). */
export function goToSignIn(): void {
  if (sessionInfo.value?.localMode || route.value.name === 'signin') return
  returnTo = window.location.pathname
  navigate('/signin')
}

export function returnAfterSignIn(): void {
  navigate(returnTo === '/signin' ? '/' : returnTo)
  returnTo = '/'
}

export async function signOut(): Promise<void> {
  try {
    await api.signOut()
  } finally {
    currentUser.value = null
    await loadSessionInfo()
    returnTo = '/'
    navigate('/signin')
  }
}

whenSignedOut.handler = goToSignIn
