import { shallowRef } from 'vue'
import type { User } from './api/types'

/** Who the server says we are (from `GET /api/status`). */
export const currentUser = shallowRef<User | null>(null)

export function canDeploy(user: User | null): boolean {
  return !!user && (user.roles.includes('DEPLOYER') || user.roles.includes('ADMIN'))
}
