// Browser tests of the job page's honest states, steps, links to lines, search, download and tab.
// Jobs come from the built-in simulator (fast pace); prompts are answered through the API unless the test
// is about the page answering.
import { TIMEOUT, waitFor, isFinalState, assert, api, startJob, jobReaches, openPage, renderedRows, evalAll, shot } from './support.mjs'

/** A backport answered "y" at every prompt through the API, until it ends. */
async function finishedBackport(ctx, change) {
  const job = await startJob(ctx, 'backport', { changeIds: [change] })
  const done = await waitFor(async () => {
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
  return done
}

/** A backport waiting at its first prompt (it stays there until answered or cancelled). */
async function waitingBackport(ctx, change) {
  const job = await startJob(ctx, 'backport', { changeIds: [change] })
  return waitFor(async () => {
    const j = await api(ctx, `/api/jobs/${job.id}`)
    return j.pendingInteraction ? j : null
  }, `backport ${job.id} to ask its first question`)
}

/** A backport answered "y" at its first prompt, waiting at "Continue with sync?" (its step "Waiting for confirmation…" open). */
async function backportAtSecondPrompt(ctx, change) {
  const job = await startJob(ctx, 'backport', { changeIds: [change] })
  return waitFor(async () => {
    const j = await api(ctx, `/api/jobs/${job.id}`)
    const prompt = j.pendingInteraction
    if (prompt?.prompt === 'Continue with sync?') return j
    if (prompt) {
      await fetch(`${ctx.baseUrl}/api/jobs/${j.id}/interactions/${prompt.id}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ response: 'y' }),
      })
    }
    return null
  }, `backport ${job.id} to ask "Continue with sync?"`)
}

const cancelJob = (ctx, id) => fetch(`${ctx.baseUrl}/api/jobs/${id}/cancel`, { method: 'POST' })

/** One job held for the tests that only look at a finished job. */
async function sharedFinishedJob(ctx) {
  ctx.finishedForJobPage ??= await finishedBackport(ctx, '24680')
  return ctx.finishedForJobPage
}

/** Requests the test made fail on purpose log an error in the console; only those are forgiven. */
function forgiveRefusedLoads(ctx) {
  ctx.consoleErrors = ctx.consoleErrors.filter((error) => !/net::ERR_(CONNECTION_REFUSED|FAILED)/.test(error))
}

const sseMessage = (type, data) => `id:${data.seq}\nevent:${type}\ndata:${JSON.stringify(data)}\n\n`

export const tests = [
  {
    name: 'job page: with notifications refused by the browser, the switch is off, disabled, and says why',
    async run(ctx) {
      const job = await waitingBackport(ctx, '11111')
      // Chromium refuses a permission the context was not granted when the page asks for it.
      const page = await openPage(ctx, `/jobs/${job.id}`, { permissions: [] })
      await page.waitForSelector('[data-testid="notify-toggle"]')
      const before = await page.evaluate(() => Notification.permission)
      if (before === 'default') {
        await page.locator('input[data-testid="notify-toggle"]').click()
      }
      await page.waitForSelector('[data-testid="notify-blocked"]:has-text("Notifications are blocked in this browser")')
      const toggle = page.locator('input[data-testid="notify-toggle"]')
      assert(!(await toggle.isChecked()), 'the switch is on although notifications are blocked')
      assert(await toggle.isDisabled(), 'the switch can still be used although it can do nothing')
      await cancelJob(ctx, job.id)
    },
  },
  {
    name: 'job page: a lost server shows a banner, the state as unknown and Elapsed stopped; a cancel then says it did not happen; all clears when back',
    async run(ctx) {
      const job = await waitingBackport(ctx, '22222')
      // The loss is simulated in the browser (the suite's one server keeps running): the first stream
      // ends at once and its reconnects wait for the test; the cancel's POST fails like a dead server's.
      let requests = 0
      let serverBack
      const back = new Promise((resolve) => (serverBack = resolve))
      let down = true
      const page = await openPage(ctx, '/')
      await page.context().route('**/api/jobs/*/events**', async (route) => {
        requests++
        if (requests === 1) await route.fulfill({ status: 200, contentType: 'text/event-stream', body: 'retry: 500\n\n' })
        else {
          await back
          await route.continue()
        }
      })
      await page.context().route('**/api/jobs/*/cancel', (route) => (down ? route.abort('connectionrefused') : route.continue()))
      await page.goto(`${ctx.baseUrl}/jobs/${job.id}`)
      await page.waitForSelector('[data-testid="reconnecting"]:has-text("Lost the connection to the server")')
      await page.waitForSelector('[data-testid="job-state"][data-state="unknown"]')
      await page.waitForSelector('[data-testid="job-elapsed"][data-stopped="true"]')
      const elapsed = await page.textContent('[data-testid="job-elapsed"]')
      assert(/Unknown/.test(await page.title()), `the tab says ${await page.title()}`)
      await page.click('[data-testid="cancel-button"]')
      await page.click('[data-testid="cancel-dialog"] .cdx-dialog__footer__primary-action')
      await page.waitForSelector('[data-testid="cancel-error"]:has-text("Could not reach the server — the job was not cancelled.")')
      // Elapsed does not count while the state is unknown (the clock ticks every second)
      await page.waitForTimeout(1500)
      assert((await page.textContent('[data-testid="job-elapsed"]')) === elapsed, 'Elapsed kept counting while the server was away')
      const awaySince = Date.now()
      down = false
      serverBack()
      await page.waitForSelector('[data-testid="reconnecting"]', { state: 'detached', timeout: TIMEOUT })
      await page.waitForSelector('[data-testid="job-state"][data-state="awaiting-input"]')
      await page.waitForSelector('[data-testid="cancel-error"]', { state: 'detached' })
      assert((await api(ctx, `/api/jobs/${job.id}`)).state === 'awaiting-input', 'the job was cancelled after all')
      assert(Date.now() - awaySince < TIMEOUT, 'slow to come back')
      forgiveRefusedLoads(ctx)
      await cancelJob(ctx, job.id)
    },
  },
  {
    name: "job page: the progress bar belongs to the current step (a new status hides the last step's progress)",
    async run(ctx) {
      const job = await waitingBackport(ctx, '33333')
      const progress = { name: 'sync-testservers', totalTasks: 4, tasksInFlight: 0, tasksFinishedOk: 4, tasksFinishedFailed: 0,
        tasksFinishedTotal: 4, tasksPercentComplete: 100, tasksRemaining: 0, progressFinished: true }
      const ts = new Date().toISOString()
      // a stream the test writes: first a step's progress, then (on the reconnect) the next step's status
      let requests = 0
      let nextStep
      const statusAllowed = new Promise((resolve) => (nextStep = resolve))
      const page = await openPage(ctx, '/')
      await page.context().route('**/api/jobs/*/events**', async (route) => {
        requests++
        if (requests === 1) {
          await route.fulfill({ status: 200, contentType: 'text/event-stream',
            body: `retry: 200\n\n${sseMessage('status', { seq: job.lastSeq + 1, ts, status: 'sync-testservers' })}${sseMessage('progress', { seq: job.lastSeq + 2, ts, progress })}` })
        } else if (requests === 2) {
          await statusAllowed
          await route.fulfill({ status: 200, contentType: 'text/event-stream',
            body: `retry: 60000\n\n${sseMessage('status', { seq: job.lastSeq + 3, ts, status: 'Sync k8s canaries' })}` })
        } else {
          await route.abort()
        }
      })
      await page.goto(`${ctx.baseUrl}/jobs/${job.id}`)
      await page.waitForSelector('.sp-progress:has-text("sync-testservers")')
      nextStep()
      await page.waitForSelector('[data-testid="job-status"]:has-text("Sync k8s canaries")')
      assert((await page.$('.sp-progress')) === null, 'the bar still shows the previous step')
      forgiveRefusedLoads(ctx)
      await cancelJob(ctx, job.id)
    },
  },
  {
    name: 'job page: a cancel and its signals are in the log, cancelled has its own icon, and the status line keeps its place for a prompt',
    async run(ctx) {
      const job = await waitingBackport(ctx, '44444')
      const page = await openPage(ctx, `/jobs/${job.id}`)
      await page.waitForSelector('[data-testid="prompt"]')
      const statusLine = await page.$eval('[data-testid="job-status"]', (el) => el.getBoundingClientRect().height)
      assert(statusLine >= 16, `the status line is ${statusLine} px high while a prompt shows`)
      const waitingIcon = await page.$eval('[data-testid="job-state"] svg', (svg) => svg.innerHTML)
      await page.click('[data-testid="cancel-button"]')
      await page.click('[data-testid="cancel-dialog"] .cdx-dialog__footer__primary-action')
      await page.waitForSelector('[data-testid="job-state"][data-state="cancelled"]', { timeout: TIMEOUT })
      const cancelledIcon = await page.$eval('[data-testid="job-state"] svg', (svg) => svg.innerHTML)
      assert(cancelledIcon !== waitingIcon, 'cancelled and "needs an answer" share an icon')
      const log = await api(ctx, `/api/jobs/${job.id}/log`)
      const texts = log.lines.map((l) => l.text)
      assert(texts.some((t) => /^\[spiderpig\] .+ cancelled the job$/.test(t)), `no cancel line in ${JSON.stringify(texts.slice(-5))}`)
      assert(texts.some((t) => t.startsWith('[spiderpig] cancel: sent SIGINT (interrupt)')), 'no SIGINT line')
      await waitFor(async () => (await renderedRows(page)).some(([, text]) => text.includes('cancel: sent SIGINT (interrupt)')),
        'the page to show the SIGINT line')
      assert((await page.title()) === `Cancelled · Job ${job.id} · SpiderPig`, `the tab says ${await page.title()}`)
    },
  },
  {
    name: 'job page: steps list scap\'s stages with duration and outcome; a click shows the step\'s first line',
    async run(ctx) {
      const job = await sharedFinishedJob(ctx)
      const { steps } = await api(ctx, `/api/jobs/${job.id}/steps`)
      assert(steps.length >= 3, `only ${steps.length} steps`)
      const page = await openPage(ctx, `/jobs/${job.id}`)
      await waitFor(async () => (await page.$$('[data-testid="step"]')).length === steps.length, `${steps.length} steps on the page`)
      const shown = await evalAll(page, '[data-testid="step"]', (items) =>
        items.map((li) => ({ outcome: li.getAttribute('data-outcome'), text: li.textContent ?? '' })))
      shown.forEach((step, i) => {
        assert(step.text.includes(steps[i].status), `step ${i} shows ${step.text}, not ${steps[i].status}`)
        assert(/\d+ s|\d+ min/.test(step.text), `step ${i} has no duration: ${step.text}`)
      })
      assert(shown.every((s) => s.outcome === 'done'), `outcomes ${shown.map((s) => s.outcome)}`)
      const target = steps.find((s) => s.lastLine >= s.firstLine && s.firstLine > 30) ?? steps[steps.length - 1]
      await page.locator('[data-testid="step"]').nth(steps.indexOf(target)).locator('button').click()
      await page.waitForSelector(`.sp-log__row--linked[data-line="${target.firstLine}"]`)
      assert(new URL(page.url()).hash === `#L${target.firstLine}`, `the address is ${page.url()}`)
      await shot(ctx, page, 'job-steps.png')
    },
  },
  {
    name: 'job page: the open step is highlighted as the current one, and only it; a page opened then shows no earlier step\'s bar',
    async run(ctx) {
      const job = await backportAtSecondPrompt(ctx, '13579')
      try {
        const { steps } = await api(ctx, `/api/jobs/${job.id}/steps`)
        const open = steps.at(-1)
        assert(open && open.endedAt === null, `the last step is not open: ${JSON.stringify(open)}`)
        const page = await openPage(ctx, `/jobs/${job.id}`)
        await page.waitForSelector('[data-testid="prompt"]')
        const current = await page.waitForSelector('[data-testid="step"][aria-current="step"]')
        assert((await current.textContent()).includes(open.status), `the current step is ${await current.textContent()}, not ${open.status}`)
        assert((await page.$$('[data-testid="step"][aria-current]')).length === 1, 'more than one step is marked current')
        const look = await current.evaluate((li) => {
          const done = li.parentElement.querySelector('[data-outcome="done"]')
          return { current: getComputedStyle(li).backgroundColor, done: done && getComputedStyle(done).backgroundColor }
        })
        assert(look.done !== null && look.current !== look.done, `the current step looks like a done one: ${JSON.stringify(look)}`)
        // the page was opened after the steps before reported their progress: the job's record must not
        // hand the last of those to the page as the current step's
        assert(job.progress === null, `the job's record shows the progress of ${job.progress?.name} under "${job.status}"`)
        const bar = await page.$('.sp-progress')
        assert(bar === null, `the bar shows ${await bar?.textContent()} under "${open.status}"`)
      } finally {
        await cancelJob(ctx, job.id)
        await jobReaches(ctx, job.id, ['cancelled', 'failed', 'succeeded'])
      }
    },
  },
  {
    name: 'job page: /jobs/N#L40-L52 opens at line 40 with the range highlighted, and the link copies in one click',
    async run(ctx) {
      const job = await sharedFinishedJob(ctx)
      const from = Math.min(40, job.lineCount - 12)
      const to = from + 12
      const page = await openPage(ctx, `/jobs/${job.id}#L${from}-L${to}`, { permissions: ['clipboard-read', 'clipboard-write'] })
      await page.waitForSelector(`.sp-log__row--linked[data-line="${from}"]`)
      const linked = await evalAll(page, '.sp-log__row--linked', (rows) => rows.map((r) => Number(r.getAttribute('data-line'))))
      const rendered = (await renderedRows(page)).map(([n]) => n).filter((n) => n >= from && n <= to)
      assert(linked.join() === rendered.join() && linked[0] === from && linked.length >= 8, `linked rows ${linked}, rendered ${rendered}`)
      // the first linked line is on screen, not hidden behind the fold
      const inView = await page.$eval(`[data-line="${from}"]`, (row) => {
        const box = row.getBoundingClientRect()
        const log = document.querySelector('[data-testid="log"]').getBoundingClientRect()
        return box.top >= log.top && box.bottom <= log.bottom
      })
      assert(inView, `line ${from} is not in view`)
      await page.click('[data-testid="copy-line-link"]')
      await page.waitForSelector('[data-testid="copy-status"]:has-text("Link copied")')
      const copied = await page.evaluate(() => navigator.clipboard.readText())
      assert(copied === `${ctx.baseUrl}/jobs/${job.id}#L${from}-L${to}`, `copied ${copied}`)
      // a click on a number links that line
      await page.click(`[data-line="${from + 2}"] .sp-log__number`)
      assert(new URL(page.url()).hash === `#L${from + 2}`, `the address is ${page.url()}`)
      await page.click(`[data-line="${from + 2}"] .sp-log__number`)
      await page.click(`[data-line="${from + 5}"] .sp-log__number`, { modifiers: ['Shift'] })
      assert(new URL(page.url()).hash === `#L${from + 2}-L${from + 5}`, `the address is ${page.url()}`)
      await page.goto(`${ctx.baseUrl}/jobs/${job.id}#L${from}-L${to}`)
      await page.waitForSelector(`.sp-log__row--linked[data-line="${from}"]`)
      await shot(ctx, page, 'job-line-link.png')
    },
  },
  {
    name: 'job page: search runs as you type, marks the match in the line, counts "n of N", and has case and regex modes',
    async run(ctx) {
      const job = await sharedFinishedJob(ctx)
      const { lines } = await api(ctx, `/api/jobs/${job.id}/log`)
      const plain = lines.map((l) => l.text.replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, ''))
      const count = (test) => plain.filter(test).length
      const page = await openPage(ctx, `/jobs/${job.id}`)
      const input = page.locator('input[data-testid="log-search"]')
      await input.pressSequentially('sync', { delay: 30 }) // typing, no Enter
      const expected = count((t) => t.toLowerCase().includes('sync'))
      assert(expected >= 2, `only ${expected} lines hold "sync"`)
      await page.waitForSelector(`[data-testid="search-status"]:text-matches("^\\\\d+ of ${expected}$")`)
      const mark = await page.textContent('.sp-log__row--match .sp-log__mark')
      assert(mark.toLowerCase() === 'sync', `the mark holds ${mark}`)
      await page.click('[data-testid="search-case"]')
      const caseExpected = count((t) => t.includes('sync'))
      await page.waitForSelector(`[data-testid="search-status"]:text-matches("^(\\\\d+ of ${caseExpected}|No match)$")`)
      await page.click('[data-testid="search-case"]')
      await page.click('[data-testid="search-regex"]')
      await input.fill('sync-(testservers|canaries)')
      const regexExpected = count((t) => /sync-(testservers|canaries)/i.test(t))
      await page.waitForSelector(`[data-testid="search-status"]:text-matches("^(\\\\d+ of ${regexExpected}|No match)$")`)
      await input.fill('sync-(')
      await page.waitForSelector('[data-testid="search-status"]:has-text("Not a regular expression")')
    },
  },
  {
    name: 'job page: the download is plain text, colours are the second choice, and HEAD answers like GET',
    async run(ctx) {
      const job = await sharedFinishedJob(ctx)
      const page = await openPage(ctx, `/jobs/${job.id}`)
      const plainHref = await page.getAttribute('[data-testid="download-log"]', 'href')
      const rawHref = await page.getAttribute('[data-testid="download-log-raw"]', 'href')
      assert(plainHref === `/api/jobs/${job.id}/log.txt?ansi=strip`, `plain download ${plainHref}`)
      assert(rawHref === `/api/jobs/${job.id}/log.txt`, `raw download ${rawHref}`)
      const answers = await page.evaluate(async ([plain, raw]) => {
        const head = await fetch(plain, { method: 'HEAD' })
        return {
          head: head.status,
          disposition: head.headers.get('content-disposition'),
          headBody: (await head.text()).length,
          plainHasEscapes: (await (await fetch(plain)).text()).includes('\u001b'),
          rawHasEscapes: (await (await fetch(raw)).text()).includes('\u001b'),
        }
      }, [plainHref, rawHref])
      assert(answers.head === 200 && /^attachment/.test(answers.disposition) && answers.headBody === 0, `HEAD: ${JSON.stringify(answers)}`)
      assert(!answers.plainHasEscapes, 'the plain download has ANSI escapes')
      assert(answers.rawHasEscapes, 'the download with colours has none')
    },
  },
  {
    name: 'job page: wrap and timestamps are remembered, and the gutter is as wide as the numbers need',
    async run(ctx) {
      const job = await sharedFinishedJob(ctx)
      const page = await openPage(ctx, `/jobs/${job.id}`)
      await page.waitForSelector('[data-testid="log"] .sp-log__row')
      const gutter = await page.$eval('.sp-log__number', (el) => el.getBoundingClientRect().width)
      const digits = String(job.lineCount).length
      assert(gutter < 16 + (digits + 1) * 9, `the gutter is ${gutter} px for ${digits} digits`)
      await page.locator('[data-testid="wrap-lines"] input').check()
      await page.locator('[data-testid="show-timestamps"] input').check()
      await page.waitForSelector('.sp-log--wrap .sp-log__time')
      await page.reload()
      await page.waitForSelector('.sp-log--wrap .sp-log__time')
      assert(await page.locator('[data-testid="wrap-lines"] input').isChecked(), 'wrap was forgotten')
      // wrapped: no line is wider than the log
      const overflow = await page.$eval('[data-testid="log"]', (el) => el.scrollWidth - el.clientWidth)
      assert(overflow <= 1, `wrapped lines still overflow by ${overflow} px`)
    },
  },
  {
    name: 'job page: the tab title and icon show the job and its state',
    async run(ctx) {
      const job = await waitingBackport(ctx, '55555')
      const page = await openPage(ctx, `/jobs/${job.id}`)
      await waitFor(async () => (await page.title()) === `Needs an answer · Job ${job.id} · SpiderPig`, 'the title to name the state')
      const icon = await page.getAttribute('link[rel="icon"]', 'href')
      assert(icon.startsWith('data:image/svg+xml,'), `the icon is ${icon}`)
      await cancelJob(ctx, job.id)
      await jobReaches(ctx, job.id, ['cancelled'])
      await waitFor(async () => (await page.title()) === `Cancelled · Job ${job.id} · SpiderPig`, 'the title to follow the state')
      assert((await page.getAttribute('link[rel="icon"]', 'href')) !== icon, 'the icon did not change with the state')
    },
  },
  {
    name: 'a wrong address in the browser shows the app\'s not-found page; the API keeps answering problem JSON',
    async run(ctx) {
      const page = await openPage(ctx, '/', { expectFailedLoads: true })
      const response = await page.goto(`${ctx.baseUrl}/no/such/page`)
      assert(response.status() === 404, `status ${response.status()}`)
      await page.waitForSelector('[data-testid="not-found"] h1:has-text("Not found")')
      assert((await page.title()) === 'Not found · SpiderPig', `the tab says ${await page.title()}`)
      await shot(ctx, page, 'not-found.png')
      const api404 = await fetch(`${ctx.baseUrl}/api/no-such-route`, { headers: { Accept: 'text/html,*/*;q=0.8' } })
      assert(api404.status === 404 && api404.headers.get('content-type') === 'application/problem+json', 'the API answered the page')
    },
  },
]
