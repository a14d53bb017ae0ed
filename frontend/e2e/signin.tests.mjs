// Sign-in with a second factor, against a server of this file's own with an accounts file (the shared one
// runs in local mode): password → enrol TOTP → sign out → password and code → the admin's audit page.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { TIMEOUT, VIEWPORT, assert, runJar, shot, startServer, waitFor } from './support.mjs'

const PASSWORD = 'correct horse battery staple'

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = 0
  let value = 0
  const bytes = []
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(c)
    bits += 5
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return Buffer.from(bytes)
}

/** RFC 6238 with HMAC-SHA1, 6 digits, 30 s steps: what an authenticator app shows. */
function totp(secret, step) {
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(step))
  const hash = crypto.createHmac('sha1', base32Decode(secret)).update(counter).digest()
  const offset = hash[hash.length - 1] & 0x0f
  return String((hash.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0')
}

const currentStep = () => Math.floor(Date.now() / 30_000)

export const tests = [
  {
    name: 'sign-in: password, TOTP enrolment, sign out, password and code, then the audit page',
    // it starts a server of its own, which alone may take up to 4 min on a busy machine (startServer)
    timeoutMs: 420_000,
    async run(ctx) {
      const accounts = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'spiderpig-e2e-accounts-')), 'accounts')
      // The jar's own `user add` writes the bcrypt hash, as an operator would.
      await runJar(['user', 'add', 'alice', '--group', 'admins', '--file', accounts], `${PASSWORD}\n`)
      const server = await startServer([`--spiderpig.security.accounts-file=${accounts}`, '--spiderpig.security.local-mode=false'])
      const context = await ctx.browser.newContext({ viewport: VIEWPORT, colorScheme: 'light' })
      context.setDefaultTimeout(TIMEOUT)
      const errors = []
      const previous = ctx.cleanup
      ctx.cleanup = async () => {
        await previous?.()
        await context.close()
        await server.stop()
      }
      const page = await context.newPage()
      page.on('console', (message) => {
        // Being sent to sign in is a 401 on purpose; anything else is a fault.
        if (message.type() === 'error' && !/status of 401\b/.test(message.text())) errors.push(message.text())
      })
      page.on('pageerror', (error) => errors.push(`uncaught ${error.message}`))

      await page.goto(server.baseUrl + '/')
      await page.waitForURL(/\/signin$/)
      assert(!(await page.isVisible('text=Local mode')), 'the sign-in server says local mode')
      await page.fill('input[data-testid="signin-user"]', 'alice')
      await page.fill('input[data-testid="signin-password"]', PASSWORD)
      await page.click('[data-testid="signin-submit"]')

      await page.waitForSelector('img[data-testid="enrol-qr"]')
      const secret = (await page.textContent('[data-testid="enrol-secret"]')).trim()
      assert(/^[A-Z2-7]{32}$/.test(secret), `the key is not base32: ${secret}`)
      const enrolStep = currentStep()
      await page.fill('input[data-testid="signin-code"]', totp(secret, enrolStep))
      await shot(ctx, page, 'signin.png')
      await page.click('[data-testid="signin-code-submit"]')
      await page.waitForURL((url) => url.pathname === '/')
      await page.waitForSelector('text=Signed in as alice')

      await page.click('[data-testid="sign-out"]')
      await page.waitForURL(/\/signin$/)
      await page.fill('input[data-testid="signin-user"]', 'alice')
      await page.fill('input[data-testid="signin-password"]', PASSWORD)
      await page.click('[data-testid="signin-submit"]')
      await page.waitForSelector('input[data-testid="signin-code"]')
      assert(!(await page.isVisible('img[data-testid="enrol-qr"]')), 'enrolled, yet asked to enrol again')
      // The enrolment used its step's code: a code is never accepted twice, so take the next step's (within
      // the one step of tolerance) unless time has moved on already.
      await page.fill('input[data-testid="signin-code"]', totp(secret, Math.max(enrolStep + 1, currentStep())))
      await page.click('[data-testid="signin-code-submit"]')
      await page.waitForURL((url) => url.pathname === '/')

      await page.click('[data-testid="audit-link"]')
      await page.waitForURL(/\/audit$/)
      for (const action of ['second-factor-enrolled', 'signed-in', 'signed-out']) {
        await page.waitForSelector(`[data-testid="audit-table"] tr[data-audit-action="${action}"]`)
      }
      const signedIn = await page.$$('[data-testid="audit-table"] tr[data-audit-action="signed-in"]')
      assert(signedIn.length === 2, `expected two sign-ins in the audit trail, saw ${signedIn.length}`)
      await page.fill('input[data-testid="audit-user"]', 'nobody')
      await page.click('[data-testid="audit-search"]')
      await waitFor(async () => (await page.$$('[data-testid="audit-table"] tr[data-audit-action]')).length === 0,
        'the filter to leave no entries')
      await page.fill('input[data-testid="audit-user"]', 'alice')
      await page.click('[data-testid="audit-search"]')
      await page.waitForSelector('[data-testid="audit-table"] tr[data-audit-action="second-factor-enrolled"]')
      await shot(ctx, page, 'audit.png')
      assert(errors.length === 0, `console errors:\n${errors.join('\n')}`)
    },
  },
]
