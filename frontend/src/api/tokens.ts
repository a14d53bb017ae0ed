/** The roles, lowest first, as the server names them in a token's `role`. */
const ROLES = ['VIEWER', 'DEPLOYER', 'ADMIN'] as const

/** The longest life a token may have (the server's limit too). */
export const MAX_TOKEN_DAYS = 366

/** The roles a new token may carry: the caller's highest and the ones below it, lowest first, for the API (lower case). */
export function tokenRoles(roles: readonly string[]): string[] {
  const highest = Math.max(...roles.map((role) => ROLES.indexOf(role.toUpperCase() as (typeof ROLES)[number])))
  return ROLES.slice(0, highest + 1).map((role) => role.toLowerCase())
}

/** What is wrong with the lifetime typed in (whole days, 1 to 366), or null when it will do. */
export function daysProblem(text: string): string | null {
  const trimmed = text.trim()
  if (!/^[0-9]+$/.test(trimmed)) return 'Whole days, e.g. 30.'
  const days = Number(trimmed)
  return days >= 1 && days <= MAX_TOKEN_DAYS ? null : `Between 1 and ${MAX_TOKEN_DAYS} days.`
}
