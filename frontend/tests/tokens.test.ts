import { describe, expect, it } from 'vitest'
import { daysProblem, tokenRoles } from '../src/api/tokens'
import { parseRoute } from '../src/router'

describe('tokens', () => {
  it('offers the caller\'s own role and the ones below it, never above', () => {
    expect(tokenRoles(['VIEWER', 'DEPLOYER', 'ADMIN'])).toEqual(['viewer', 'deployer', 'admin'])
    expect(tokenRoles(['VIEWER', 'DEPLOYER'])).toEqual(['viewer', 'deployer'])
    expect(tokenRoles(['VIEWER'])).toEqual(['viewer'])
    expect(tokenRoles([])).toEqual([])
  })

  it('takes whole days from 1 to 366', () => {
    expect(daysProblem('30')).toBeNull()
    expect(daysProblem(' 366 ')).toBeNull()
    expect(daysProblem('0')).toMatch(/Between 1 and 366/)
    expect(daysProblem('367')).toMatch(/Between 1 and 366/)
    expect(daysProblem('1.5')).toMatch(/Whole days/)
    expect(daysProblem('')).toMatch(/Whole days/)
  })

  it('has its own page', () => {
    expect(parseRoute('/tokens')).toEqual({ name: 'tokens' })
  })
})
