import { shallowRef } from 'vue'
import { api } from './api/client'
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
