// Browser tests of the Tokens page and the job page's "Show sensitive output" switch, against the shared
// local-mode server (its local user is an admin, so it may make tokens and read output unmasked).
import { assert, api, isFinalState, openPage, shot, startJob, waitFor } from './support.mjs'

const statusWith = (ctx, secret) => fetch(`${ctx.baseUrl}/api/status`, { headers: { Authorization: `Bearer ${secret}` } })

export const tests = [
  {
    name: 'tokens page: a new token is shown once, is listed without its secret, and is gone once revoked',
    async run(ctx) {
      const page = await openPage(ctx, '/')
      await page.click('[data-testid="tokens-link"]')
      await page.waitForSelector('[data-testid="tokens-page"]')
      const name = `e2e token ${Date.now()}`
      await page.fill('input[data-testid="token-name"]', name)
      await page.fill('input[data-testid="token-days"]', '7')
      await page.click('[data-testid="token-create"]')
      const secret = (await page.textContent('[data-testid="token-secret-value"]', { timeout: 60_000 })).trim()
      assert(secret.length > 20, `a secret is shown, got "${secret}"`)
      assert(/will not be shown again/.test(await page.textContent('[data-testid="token-secret"]')), 'the page warns it is shown once')
      const row = page.locator('[data-testid="tokens-table"] tr', { hasText: name })
      await row.waitFor()
      assert(!(await page.textContent('[data-testid="tokens-table"]')).includes(secret), 'the list never shows the secret')
      await page.click('[data-testid="token-copy"]') // the clipboard may be refused headless: the secret stays on screen
      await shot(ctx, page, 'tokens.png')

      const allowed = await statusWith(ctx, secret)
      assert(allowed.status === 200, `a request with the token is answered, got ${allowed.status}`)
      const listed = await api(ctx, '/api/tokens')
      const token = listed.tokens.find((t) => t.name === name)
      assert(token && token.role === 'VIEWER', `listed as a viewer token: ${JSON.stringify(token)}`)

      await page.reload()
      await page.waitForSelector('[data-testid="tokens-page"]')
      assert((await page.locator('[data-testid="token-secret"]').count()) === 0, 'the secret is not shown again after a reload')
      await row.locator('[data-testid="token-revoke"]').click()
      await page.waitForSelector('[data-testid="token-revoke-dialog"]')
      await page.click('[data-testid="token-revoke-dialog"] .cdx-dialog__footer__primary-action')
      await row.waitFor({ state: 'detached' })
      // Local mode authenticates every request as its local user and does not look at tokens, so a revoked
      // token is not a 401 here (it is with sign-in on: BearerTokenAuthentication); the server says it is gone.
      const again = await fetch(`${ctx.baseUrl}/api/tokens/${token.id}`, { method: 'DELETE' })
      assert(again.status === 404, `the token is revoked already, got ${again.status}`)
      assert(!(await api(ctx, '/api/tokens')).tokens.some((t) => t.id === token.id), 'the revoked token is no longer listed')
    },
  },
  {
    name: 'job page: "Show sensitive output" reads the log unmasked and says so',
    async run(ctx) {
      const job = await startJob(ctx, 'backport', { changeIds: ['13579'] })
      await waitFor(async () => {
        const j = await api(ctx, `/api/jobs/${job.id}`)
        if (isFinalState(j.state)) return j
        if (j.pendingInteraction) {
          await fetch(`${ctx.baseUrl}/api/jobs/${j.id}/interactions/${j.pendingInteraction.id}`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify({ response: 'y' }),
          })
        }
        return null
      }, `backport ${job.id} to end`)
      const page = await openPage(ctx, `/jobs/${job.id}`)
      await page.waitForSelector('[data-testid="log"] .sp-log__row')
      assert((await page.locator('[data-testid="unmasked-marker"]').count()) === 0, 'masked at first')
      await Promise.all([
        page.waitForRequest((request) => /\/log\?.*unmasked=true/.test(request.url())),
        page.click('input[data-testid="unmask-toggle"]'),
      ])
      await page.waitForSelector('[data-testid="unmasked-marker"]')
      await page.waitForSelector('[data-testid="log"] .sp-log__row')
      await waitFor(async () => (await api(ctx, `/api/audit?action=unmasked-output-read&job=${job.id}`)).entries.length > 0,
        'the unmasked read to be in the audit trail')
      await page.click('input[data-testid="unmask-toggle"]')
      await page.locator('[data-testid="unmasked-marker"]').waitFor({ state: 'detached' })
    },
  },
  {
    name: 'audit page: "Sign everyone out" asks first, then says how many sessions ended',
    async run(ctx) {
      const page = await openPage(ctx, '/audit')
      await page.click('[data-testid="sign-everyone-out"]')
      await page.waitForSelector('[data-testid="sign-everyone-out-dialog"]')
      await page.click('[data-testid="sign-everyone-out-dialog"] .cdx-dialog__footer__primary-action')
      const said = await page.textContent('[data-testid="sign-everyone-out-result"]')
      assert(/Signed everyone out: \d+ sessions ended/.test(said), `the page says what happened: "${said}"`)
      await waitFor(async () => (await api(ctx, '/api/audit?action=everyone-signed-out')).entries.length > 0,
        'the sign-out to be in the audit trail')
    },
  },
]
