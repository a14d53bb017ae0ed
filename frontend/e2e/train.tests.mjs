// The Train page against the real server's embedded train: its groups, a promotion through the live job page,
// and the promoted group shown as rolled.
import { TIMEOUT, assert, api, jobReaches, openPage, promptText, shot, waitFor, yesButton } from './support.mjs'

const rolled = (page, group) =>
  page.$eval(`[data-testid="train-group-${group}"]`, (el) => el.getAttribute('data-rolled') === 'true')

export const tests = [
  {
    name: 'train: the page shows the groups, and a promotion followed on the job page rolls its group',
    async run(ctx) {
      const page = await openPage(ctx, '/')
      await page.click('[data-testid="nav-train"]')
      await page.waitForURL(/\/train$/)
      await page.waitForSelector('[data-testid="train-group-group2"]')
      const status = await api(ctx, '/api/train/status')
      assert(status.warnings.length === 0, `the embedded train has warnings: ${JSON.stringify(status.warnings)}`)
      const version = status.trainVersion
      await page.waitForSelector(`[data-testid="train-version"]:has-text("${version}")`)
      await page.waitForSelector(`[data-testid="train-blocker"] a[href="${status.blocker.url}"]`)
      const group = status.groups.find((g) => !g.rolled)?.name
      assert(group, 'every group has rolled already')
      assert(!(await rolled(page, group)), `${group} shows as rolled before its promotion`)
      for (const g of status.groups) {
        assert((await rolled(page, g.name)) === g.rolled, `${g.name} shows rolled=${!g.rolled}, the server says ${g.rolled}`)
      }
      await shot(ctx, page, 'train.png')

      await page.click('[data-testid="train-group-select"]') // Codex gives the select's handle its attributes
      await page.click(`.cdx-menu-item:has-text("${group}")`)
      await page.click('[data-testid="promote-button"]')
      const dialog = page.locator('.cdx-dialog')
      await dialog.waitFor({ timeout: TIMEOUT })
      const question = await dialog.textContent()
      assert(question.includes(`Promote ${group} to ${version}?`), `the confirmation does not name group and version: ${question}`)
      await dialog.locator('.cdx-dialog__footer__primary-action').click()

      await page.waitForURL(/\/jobs\/\d+$/)
      const id = Number(new URL(page.url()).pathname.split('/').pop())
      const job = await api(ctx, `/api/jobs/${id}`)
      assert(job.command === 'train' && job.parameters.group[0] === group, `unexpected job ${JSON.stringify(job)}`)
      await promptText(page, 'Sync wikiversions.json to production')
      await (await yesButton(page)).click()
      await jobReaches(ctx, id, ['succeeded'])
      await page.waitForSelector('[data-testid="job-header"] [data-state="succeeded"]', { timeout: TIMEOUT })

      await page.click('[data-testid="nav-train"]')
      await page.waitForURL(/\/train$/)
      await waitFor(() => rolled(page, group), `${group} to show as rolled`)
    },
  },
]
