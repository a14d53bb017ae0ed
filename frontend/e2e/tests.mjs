// The browser tests, run in order by run.mjs against one server. Later tests use jobs earlier ones made
// (backports run one at a time, so each test leaves its job finished).
import {
  VIEWPORT,
  TIMEOUT,
  waitFor,
  isFinalState,
  assert,
  api,
  startJob,
  jobReaches,
  openPage,
  renderedRows,
  stripAnsi,
  rowsMatchServer,
  showsLastLine,
  lineCount,
  yesButton,
  promptText,
  firstEvents,
  shot,
  shotLightAndDark,
} from './support.mjs'

export const tests = [
  {
    name: 'overview: validates change numbers as you type and starts a backport',
    async run(ctx) {
      const page = await openPage(ctx, '/')
      await page.waitForSelector('svg.sp-logo')
      await page.waitForSelector('[data-testid="server-idle"]')
      const input = page.locator('input[data-testid="change-input"]')
      const start = page.locator('[data-testid="start-button"]')
      assert(await start.isDisabled(), 'Start is enabled with an empty input')
      await input.fill('12345 not-a-change')
      await page.waitForSelector('text="not-a-change" is not a Gerrit change number or change URL')
      assert(await start.isDisabled(), 'Start is enabled with an invalid input')
      await input.fill('12345, https://gerrit.wikimedia.org/r/c/mediawiki/core/+/12345')
      assert(await start.isEnabled(), 'Start is disabled with a valid input')
      await start.click()
      await page.waitForURL(/\/jobs\/\d+$/)
      ctx.backportId = Number(new URL(page.url()).pathname.split('/').pop())
      const job = await api(ctx, `/api/jobs/${ctx.backportId}`)
      assert(job.command === 'backport' && job.parameters.changeIds.join() === '12345', `unexpected job ${JSON.stringify(job)}`)
      await page.waitForSelector('[data-testid="job-header"]:has-text("12345")')
      ctx.keepPage = page
      ctx.keepCleanup = ctx.cleanup
      ctx.cleanup = undefined // the next tests go on with this page
    },
  },
  {
    name: 'job page: the log streams live and answering a prompt lets the job continue',
    async run(ctx) {
      const page = ctx.keepPage
      assert(page, 'no page from the previous test')
      ctx.cleanup = ctx.keepCleanup
      await promptText(page, 'Backport the changes?')
      const yes = await yesButton(page)
      const defaultKey = await page.$eval('[data-testid="prompt"] [data-default="true"]', (b) => b.getAttribute('data-testid'))
      assert(defaultKey, 'no default choice highlighted')
      await rowsMatchServer(ctx, page, ctx.backportId)
      await showsLastLine(page)
      assert((await page.$('[data-testid="jump-latest"]')) === null, '"jump to latest" is offered while following')
      await shotLightAndDark(ctx, page, 'job-prompt')
      const linesAtPrompt = await lineCount(page)
      // The note shows until the next prompt replaces it, which may be milliseconds later: a DOM observer
      // records it, so a slow machine cannot miss it between two polls.
      await page.evaluate(() => {
        const shown = () => [...document.querySelectorAll('[data-testid="answered-note"]')]
          .some((note) => note.textContent.includes('You answered'))
        window.sawAnsweredNote = false
        new MutationObserver(() => (window.sawAnsweredNote ||= shown()))
          .observe(document.body, { childList: true, subtree: true, characterData: true })
      })
      await yes.click()
      await page.waitForFunction(() => window.sawAnsweredNote)
      // new lines arrive over the stream, without reloading
      await waitFor(async () => (await lineCount(page)) > linesAtPrompt + 2, 'new log lines after answering')
      await page.waitForSelector('[data-testid="answered-note"], [data-testid="prompt"]')
      await rowsMatchServer(ctx, page, ctx.backportId)
      ctx.cleanup = undefined
    },
  },
  {
    name: 'a second browser answers first: the first page shows who answered what',
    async run(ctx) {
      const page = ctx.keepPage
      ctx.cleanup = ctx.keepCleanup
      await promptText(page, 'Continue with sync?')
      const other = await openPage(ctx, `/jobs/${ctx.backportId}`)
      await promptText(other, 'Continue with sync?')
      await (await yesButton(other)).click()
      const note = await page.waitForSelector('[data-testid="answered-note"]:has-text("Answered by")')
      const text = await note.textContent()
      assert(/Yes/.test(text), `the note does not say what was answered: ${text}`)
      assert((await page.$('[data-testid="prompt"]')) === null, 'the prompt is still shown after someone else answered')
      assert((await page.$('.cdx-message--error')) === null, 'an error box is shown')
      await jobReaches(ctx, ctx.backportId, ['succeeded'])
      await page.waitForSelector('[data-testid="job-outcome"]:has-text("succeeded")')
      await page.waitForSelector('[data-testid="job-exit-code"]:has-text("0")')
      await rowsMatchServer(ctx, page, ctx.backportId)
      await showsLastLine(page)
      await shot(ctx, page, 'job-finished.png')
    },
  },
  {
    name: 'reloading mid-job shows the identical log',
    async run(ctx) {
      const job = await startJob(ctx, 'backport', { changeIds: ['23456'] })
      ctx.reloadId = job.id
      const page = await openPage(ctx, `/jobs/${job.id}`)
      await waitFor(async () => (await lineCount(page)) >= 3, 'the first lines')
      await page.reload() // while it runs
      await promptText(page, 'Backport the changes?')
      const before = await rowsMatchServer(ctx, page, job.id)
      const countBefore = await lineCount(page)
      await page.reload()
      await promptText(page, 'Backport the changes?')
      const after = await rowsMatchServer(ctx, page, job.id)
      assert(countBefore === (await lineCount(page)), 'the line count changed across the reload')
      assert(JSON.stringify(before) === JSON.stringify(after), 'the log differs after the reload')
      ctx.keepPage = page
      ctx.keepCleanup = ctx.cleanup
      ctx.cleanup = undefined
    },
  },
  {
    name: 'cancelling a job asks for confirmation, then stops it',
    async run(ctx) {
      const page = ctx.keepPage
      ctx.cleanup = ctx.keepCleanup
      await page.click('[data-testid="cancel-button"]')
      await page.waitForSelector('.cdx-dialog:has-text("Cancel this job?")')
      await page.click('.cdx-dialog button:has-text("Keep running")')
      await page.waitForSelector('.cdx-dialog', { state: 'detached' })
      assert(!['cancelled'].includes((await api(ctx, `/api/jobs/${ctx.reloadId}`)).state), 'cancelled without confirmation')
      await page.click('[data-testid="cancel-button"]')
      await page.click('.cdx-dialog button:has-text("Cancel job")')
      await jobReaches(ctx, ctx.reloadId, ['cancelled'])
      await page.waitForSelector('[data-testid="job-outcome"]:has-text("cancelled")')
      await page.waitForSelector('[data-testid="job-state"]:has-text("Cancelled")')
    },
  },
  {
    name: 'a dropped stream reconnects by itself, showing "reconnecting…", without losing or repeating lines',
    async run(ctx) {
      const job = await startJob(ctx, 'backport', { changeIds: ['45678'] })
      const waiting = await waitFor(async () => {
        const j = await api(ctx, `/api/jobs/${job.id}`)
        return j.pendingInteraction ? j : null
      }, 'the first prompt')
      // the first connection replays 5 events the page already has, then drops; the browser comes back
      // by itself and the real server goes on from there (Playwright does not show the Last-Event-ID
      // header the browser adds, so the test checks the outcome: nothing lost, nothing repeated)
      const replay = await firstEvents(ctx, job.id, waiting.lastSeq - 5, 5)
      let streamRequests = 0
      // The reconnection is held until the test has seen "reconnecting…", so a slow machine cannot miss it.
      let allowReconnect
      const reconnectAllowed = new Promise((resolve) => (allowReconnect = resolve))
      // The page starts elsewhere, so that the first job stream request is surely the job page's.
      const page = await openPage(ctx, '/')
      await page.context().route('**/api/jobs/*/events**', async (route) => {
        streamRequests++
        if (streamRequests === 1) {
          await route.fulfill({ status: 200, contentType: 'text/event-stream', body: `retry: 1500\n\n${replay}` })
        } else {
          await reconnectAllowed
          await route.continue()
        }
      })
      await page.goto(`${ctx.baseUrl}/jobs/${job.id}`)
      await page.waitForSelector('[data-testid="reconnecting"]')
      allowReconnect()
      await page.waitForSelector('[data-testid="reconnecting"]', { state: 'detached', timeout: TIMEOUT })
      try {
        assert(streamRequests >= 2, `${streamRequests} stream requests: the page did not reconnect`)
        await promptText(page, 'Backport the changes?')
        await (await yesButton(page)).click()
        await promptText(page, 'Continue with sync?')
        const server = await api(ctx, `/api/jobs/${job.id}`)
        await waitFor(async () => (await lineCount(page)) === server.lineCount, `the page to count ${server.lineCount} lines`)
        await rowsMatchServer(ctx, page, job.id)
        await showsLastLine(page)
      } finally {
        // the next backports wait for this one
        await api(ctx, `/api/jobs/${job.id}/cancel`, { method: 'POST', body: '{}' }).catch(() => undefined)
        await jobReaches(ctx, job.id, ['cancelled', 'failed', 'succeeded'])
      }
    },
  },
  {
    name: 'a failing backport (change 666) shows its failure and exit code',
    async run(ctx) {
      const job = await startJob(ctx, 'backport', { changeIds: ['666'] })
      const page = await openPage(ctx, `/jobs/${job.id}`)
      await promptText(page, 'Backport the changes?') // change 666 fails once it is to be merged
      await (await yesButton(page)).click()
      await page.waitForSelector('[data-testid="job-outcome"]:has-text("failed")', { timeout: TIMEOUT })
      const exit = await page.textContent('[data-testid="job-exit-code"]')
      assert(exit && exit.trim() !== '0', `exit code ${exit}`)
      // the step the job failed in says so, and no step is left looking current
      await page.waitForSelector('[data-testid="step"]:last-child[data-outcome="failed"]')
      assert((await page.$('[data-testid="step"][aria-current]')) === null, 'a step of the failed job is still marked current')
      await rowsMatchServer(ctx, page, job.id)
    },
  },
  {
    name: 'start form: change chips for a known change, an unknown one, and while Gerrit is down',
    async run(ctx) {
      const page = await openPage(ctx, '/', { expectFailedLoads: true })
      // Gerrit "down" for change 777 only: the simulated Gerrit always answers
      await page.route('**/api/gerrit/changes/777', (route) =>
        route.fulfill({
          status: 502,
          contentType: 'application/problem+json',
          body: JSON.stringify({ type: 'https://spiderpig.wikimedia.org/problems/gerrit-unavailable', title: 'Gerrit unavailable', status: 502, detail: 'down' }),
        }),
      )
      const input = page.locator('input[data-testid="change-input"]')
      const start = page.locator('[data-testid="start-button"]')
      await input.fill('12345 404')
      await page.waitForSelector('[data-testid="change-chip-12345"][data-kind="known"]:has-text("merged")')
      await page.waitForSelector('[data-testid="change-chip-404"][data-kind="unknown"]:has-text("does not know")')
      await page.waitForSelector('text=Gerrit does not know change 404.')
      assert(await start.isDisabled(), 'Start is enabled with a change Gerrit does not know')
      await input.fill('12345 23456')
      await page.waitForSelector('[data-testid="change-chip-23456"][data-kind="known"]')
      assert(await start.isEnabled(), 'Start is disabled with known changes')
      await shot(ctx, page, 'start-chips.png')
      await input.fill('12345 777')
      await page.waitForSelector('[data-testid="change-chip-777"][data-kind="unavailable"]:has-text("did not answer")')
      assert(await start.isEnabled(), 'Start is disabled while Gerrit is down')
    },
  },
  {
    name: 'a finished backport runs again from its page, and the new job says which one it repeats',
    async run(ctx) {
      const first = await startJob(ctx, 'backport', { changeIds: ['666'] })
      const page = await openPage(ctx, `/jobs/${first.id}`)
      await page.waitForSelector('[data-testid="job-change-666"]')
      await promptText(page, 'Backport the changes?')
      assert((await page.$('[data-testid="run-again-button"]')) === null, 'Run again is offered while the job runs')
      await (await yesButton(page)).click()
      await page.waitForSelector('[data-testid="job-outcome"]:has-text("failed")')
      await page.click('[data-testid="run-again-button"]')
      await page.waitForURL((url) => url.pathname !== `/jobs/${first.id}` && /\/jobs\/\d+$/.test(url.pathname))
      const againId = Number(new URL(page.url()).pathname.split('/').pop())
      await page.waitForSelector(`[data-testid="retry-of"] a[href="/jobs/${first.id}"]`)
      const again = await api(ctx, `/api/jobs/${againId}`)
      assert(again.retryOf === first.id && again.parameters.changeIds.join() === '666', `unexpected job ${JSON.stringify(again)}`)
      await page.click('[data-testid="job-change-666"] summary')
      await page.waitForSelector('[data-testid="commit-message"] a[href^="https://phabricator.wikimedia.org/T"]')
      await api(ctx, `/api/jobs/${againId}/cancel`, { method: 'POST', body: '{}' })
      await jobReaches(ctx, againId, ['cancelled'])
    },
  },
  {
    name: 'interrupt sends one SIGINT at once; kill asks first, then kills the job',
    async run(ctx) {
      const first = await startJob(ctx, 'backport', { changeIds: ['56789'] })
      const page = await openPage(ctx, `/jobs/${first.id}`)
      await promptText(page, 'Backport the changes?')
      await page.click('[data-testid="interrupt-button"]')
      await waitFor(async () => {
        const log = await api(ctx, `/api/jobs/${first.id}/log`)
        return log.lines.some((l) => /^\[spiderpig\] .+ sent SIGINT \(interrupt\)/.test(l.text))
      }, 'the SIGINT logged with who sent it')
      // the simulator, a JVM, ends on SIGINT
      await jobReaches(ctx, first.id, ['failed'])
      await page.waitForSelector('[data-testid="job-outcome"]:has-text("failed")')

      const second = await startJob(ctx, 'backport', { changeIds: ['56790'] })
      await page.goto(`${ctx.baseUrl}/jobs/${second.id}`)
      await promptText(page, 'Backport the changes?')
      await page.click('[data-testid="kill-button"]')
      await page.waitForSelector('.cdx-dialog:has-text("Kill this job?")')
      await page.click('.cdx-dialog button:has-text("Keep running")')
      await page.waitForSelector('.cdx-dialog', { state: 'detached' })
      assert(!isFinalState((await api(ctx, `/api/jobs/${second.id}`)).state), 'killed without confirmation')
      await page.click('[data-testid="kill-button"]')
      await page.click('.cdx-dialog button:has-text("Kill")')
      const killed = await jobReaches(ctx, second.id, ['failed'])
      assert(/signal 9 \(SIGKILL\)/.test(killed.reason ?? ''), `reason ${killed.reason}`)
      await page.waitForSelector('[data-testid="job-outcome"]:has-text("ended by signal 9 (SIGKILL)")')
    },
  },
  {
    name: 'overview: rows and server state change live; a second backport queues from the page',
    async run(ctx) {
      const page = await openPage(ctx, '/')
      await page.waitForSelector('[data-testid="server-idle"]')
      await page.waitForSelector('input[data-testid="change-input"]')
      const job = await startJob(ctx, 'backport', { changeIds: ['34567'] })
      await page.waitForSelector(`[data-testid="jobs-table"] tr[data-job-id="${job.id}"]`)
      await page.waitForSelector(`[data-testid="active-job-${job.id}"]`)
      await page.waitForSelector(`[data-testid="busy-backport"] a[href="/jobs/${job.id}"]`)
      await page.waitForSelector(`tr[data-job-id="${job.id}"] .sp-state-chip[data-state="awaiting-input"]`)
      await page.waitForSelector(`[data-testid="active-job-${job.id}"] [data-testid="job-change-34567"]`)
      await shotLightAndDark(ctx, page, 'overview')

      // the form stays, and queues
      const start = page.locator('[data-testid="start-button"]')
      await page.locator('input[data-testid="change-input"]').fill('45679')
      await page.waitForSelector('[data-testid="start-button"]:has-text("Queue backport")')
      await page.waitForSelector('[data-testid="change-chip-45679"][data-kind="known"]')
      await start.click()
      await page.waitForURL(/\/jobs\/\d+$/)
      const queuedId = Number(new URL(page.url()).pathname.split('/').pop())
      assert(queuedId !== job.id, 'went to the running job')
      await page.waitForSelector('[data-testid="queue-position"]:has-text("number 1 in the queue")')
      await page.waitForSelector(`[data-testid="queue-position"] a[href="/jobs/${job.id}"]`)
      const overview = await openPage(ctx, '/')
      await overview.waitForSelector(`[data-testid="queued-job-${queuedId}"]:has-text("1.")`)
      await overview.waitForSelector(`[data-testid="queued-job-${queuedId}"]:has-text("Backport 45679")`)

      // the running one ends: the queued one starts, and its page says so by itself
      await api(ctx, `/api/jobs/${job.id}/cancel`, { method: 'POST', body: '{}' })
      await page.waitForSelector('[data-testid="queue-position"]', { state: 'detached' })
      await page.waitForSelector('[data-testid="job-state"]:has-text("Needs an answer"), [data-testid="job-state"]:has-text("Running")')
      await overview.waitForSelector(`[data-testid="queued-job-${queuedId}"]`, { state: 'detached' })
      await api(ctx, `/api/jobs/${queuedId}/cancel`, { method: 'POST', body: '{}' })
      await jobReaches(ctx, queuedId, ['cancelled'])
      await overview.waitForSelector('[data-testid="server-idle"]')
      const phone = await openPage(ctx, '/', { viewport: { width: 390, height: 844 }, colorScheme: 'dark' })
      await phone.waitForSelector('[data-testid="jobs-table"] tr[data-job-id]')
    },
  },
  {
    name: 'a 1,000,000-line job stays responsive: bounded DOM, scrolling to the end, search near the end',
    async run(ctx) {
      const TOTAL = 1_000_000
      const job = await startJob(ctx, 'flood', {})
      const page = await openPage(ctx, `/jobs/${job.id}`)
      const domSize = () => page.evaluate(() => document.getElementsByTagName('*').length)

      // scrolling up stops following and offers a jump back to the latest lines
      await waitFor(async () => (await lineCount(page)) > 2000, 'the first thousands of lines')
      // Wheeled again until it shows: on a busy machine the layout can shift under the pointer between
      // finding the log and the wheel, and that wheel then scrolls something else.
      const logView = page.locator('[data-testid="log"]')
      await waitFor(async () => {
        await logView.hover()
        await page.mouse.wheel(0, -600)
        return (await page.$('[data-testid="jump-latest"]')) !== null
      }, 'scrolling up to offer "Jump to latest"')
      const jump = await page.waitForSelector('[data-testid="jump-latest"]')
      if ((await api(ctx, `/api/jobs/${job.id}`)).state === 'running') {
        await page.waitForSelector('[data-testid="jump-latest"]:has-text("new)")')
      }
      await jump.click()
      await showsLastLine(page)
      await page.waitForSelector('[data-testid="jump-latest"]', { state: 'detached' })
      // while the lines pour in, the page keeps answering and the DOM stays small
      let maxNodes = 0
      await waitFor(async () => {
        maxNodes = Math.max(maxNodes, await domSize())
        const state = (await api(ctx, `/api/jobs/${job.id}`)).state
        return state === 'succeeded' || state === 'failed' ? state : null
      }, 'the flood job to finish', 140_000)
      await waitFor(async () => (await lineCount(page)) === TOTAL, `the page to know all ${TOTAL} lines`)
      await page.waitForSelector('[data-testid="job-outcome"]')
      maxNodes = Math.max(maxNodes, await domSize())
      assert(maxNodes < 1500, `the page grew to ${maxNodes} elements`)
      const rowCount = (await renderedRows(page)).length
      assert(rowCount > 10 && rowCount < 80, `${rowCount} rows rendered`)

      // scrolling to the start and back to the end
      const log = page.locator('[data-testid="log"]')
      await log.focus()
      await page.keyboard.press('Home')
      await waitFor(async () => (await renderedRows(page))[0]?.[0] === 1, 'line 1 at the top after Home')
      await rowsMatchServer(ctx, page, job.id)
      await page.keyboard.press('End')
      await waitFor(async () => (await renderedRows(page)).some(([n]) => n === TOTAL), 'the last line after End')
      await rowsMatchServer(ctx, page, job.id)

      // search for a line 100,000 lines before the end: not rendered, not held by the page
      const target = TOTAL - 100_000
      const range = await api(ctx, `/api/jobs/${job.id}/log?from=${target}&to=${target + 1}`)
      const query = stripAnsi(range.lines[0].text).trim()
      await page.fill('input[data-testid="log-search"]', query)
      await page.press('input[data-testid="log-search"]', 'Shift+Enter') // previous: backwards from here
      const status = await waitFor(async () => {
        const text = await page.textContent('[data-testid="search-status"]')
        return text?.startsWith('Line') || text === 'No match' ? text : null
      }, 'the search to finish', 90_000)
      const found = Number(status.replace(/\D/g, ''))
      assert(found === target, `search found "${status}", expected line ${target}`)
      await waitFor(async () => (await page.$(`.sp-log__row--match[data-line="${target}"]`)) !== null, 'the match to be shown')
      await rowsMatchServer(ctx, page, job.id)
      const heap = await page.evaluate(() => performance.memory?.usedJSHeapSize ?? 0)
      assert(heap < 400 * 1024 * 1024, `the page uses ${Math.round(heap / 1048576)} MB of JS heap`)
      console.log(`    max ${maxNodes} elements, ${rowCount} rows, JS heap ${Math.round(heap / 1048576)} MB`)
    },
  },
]
