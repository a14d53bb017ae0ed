// Accessibility: axe-core on every kind of page in both themes at desktop and phone width, the pages at
// 390 px, and the keyboard path from Start to an answered prompt. Each test makes its own jobs.
import { createRequire } from 'node:module'
import { VIEWPORT, waitFor, assert, api, startJob, jobReaches, openPage, isFinalState, promptText, shot } from './support.mjs'

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js')
const PHONE = { width: 390, height: 844 }
const LAYOUTS = [
  { name: 'desktop', viewport: VIEWPORT },
  { name: 'phone', viewport: PHONE },
]
const SCHEMES = ['light', 'dark']

/** Answers every prompt of a simulated backport with "y" until the job ends. */
async function answerUntilEnd(ctx, id) {
  return waitFor(async () => {
    const job = await api(ctx, `/api/jobs/${id}`)
    if (isFinalState(job.state)) return job
    const prompt = job.pendingInteraction
    if (prompt) {
      const keys = Object.values(prompt.choices ?? {})
      const response = keys.includes('y') ? 'y' : (prompt.default ?? keys[0])
      await fetch(`${ctx.baseUrl}/api/jobs/${id}/interactions/${prompt.id}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ response }),
      })
    }
    return null
  }, `job ${id} to end with every prompt answered`)
}

async function waitingJob(ctx, changeId) {
  const job = await startJob(ctx, 'backport', { changeIds: [changeId] })
  await waitFor(async () => (await api(ctx, `/api/jobs/${job.id}`)).pendingInteraction, `job ${job.id} to ask`)
  return job
}

/** axe's violations on the page as it is now, each with the elements it found. */
async function axeViolations(page) {
  await page.addScriptTag({ path: AXE })
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] })
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 240)}`),
    }))
  })
}

const describe = (violations) =>
  violations.map((v) => `  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length})\n${v.nodes.slice(0, 6).map((n) => `      ${n}`).join('\n')}`).join('\n')

/** The page fits its width: nothing wider than the viewport, no cut-off state chips. */
async function fitsWidth(page, what) {
  const problems = await page.evaluate(() => {
    const width = document.documentElement.clientWidth
    const found = []
    if (document.documentElement.scrollWidth > width + 1) found.push(`the page is ${document.documentElement.scrollWidth} px wide`)
    for (const chip of document.querySelectorAll('.sp-state-chip')) {
      const box = chip.getBoundingClientRect()
      if (chip.scrollWidth > chip.clientWidth + 1 || box.right > width + 1) found.push(`the chip "${chip.textContent.trim()}" is cut off`)
    }
    for (const table of document.querySelectorAll('table')) {
      const box = table.getBoundingClientRect()
      if (box.right > width + 1) found.push(`a table reaches ${Math.round(box.right)} px`)
    }
    return found
  })
  assert(problems.length === 0, `${what} at ${PHONE.width} px: ${problems.join('; ')}`)
}

/** axe on one page in both themes, at desktop and phone width: what it found, printed. */
async function violationsOn(ctx, name, url, ready) {
  const report = []
  for (const layout of LAYOUTS) {
    for (const colorScheme of SCHEMES) {
      // the page's Content-Security-Policy allows no inline script, which is how axe gets in
      const page = await openPage(ctx, url, { viewport: layout.viewport, colorScheme, bypassCSP: true })
      await page.waitForSelector(ready)
      if (url !== '/') await waitFor(() => page.$('[data-testid="log"] .sp-log__text:not(.sp-log__text--loading)'), 'log rows')
      const violations = await axeViolations(page)
      if (violations.length) report.push(`${name}, ${layout.name}, ${colorScheme}:\n${describe(violations)}`)
      await page.context().close()
    }
  }
  if (report.length) console.log(`    axe violations:\n${report.join('\n')}`)
  return report
}

function noViolations(report) {
  assert(report.length === 0, `axe found violations on ${report.length} pages (listed above)`)
}

export const tests = [
  {
    name: 'axe: no accessibility violations on a failed job (light and dark, desktop and phone)',
    async run(ctx) {
      const failed = await startJob(ctx, 'backport', { changeIds: ['666'] }) // the simulator fails change 666
      await answerUntilEnd(ctx, failed.id)
      noViolations(await violationsOn(ctx, 'failed job', `/jobs/${failed.id}`, '[data-testid="job-outcome"]'))
    },
  },
  {
    name: 'axe: no accessibility violations on a finished job',
    async run(ctx) {
      const finished = await startJob(ctx, 'backport', { changeIds: ['12345'] })
      await answerUntilEnd(ctx, finished.id)
      noViolations(await violationsOn(ctx, 'finished job', `/jobs/${finished.id}`, '[data-testid="job-outcome"]'))
    },
  },
  {
    name: 'axe: no accessibility violations on a job waiting for an answer, and on the overview meanwhile',
    async run(ctx) {
      const waiting = await waitingJob(ctx, '23456')
      try {
        const report = await violationsOn(ctx, 'waiting job', `/jobs/${waiting.id}`, '[data-testid="prompt"]')
        report.push(...(await violationsOn(ctx, 'overview', '/', `[data-testid="active-job-${waiting.id}"]`)))
        noViolations(report)
      } finally {
        await api(ctx, `/api/jobs/${waiting.id}/cancel`, { method: 'POST', body: '{}' }).catch(() => undefined)
        await jobReaches(ctx, waiting.id, ['cancelled', 'failed', 'succeeded'])
      }
    },
  },
  {
    name: 'keyboard: the change input ties its message, Start focuses the job heading, a prompt is announced and one key away, the answer keeps the focus',
    async run(ctx) {
      const page = await openPage(ctx, '/')
      const input = page.locator('input[data-testid="change-input"]')
      const describedBy = async () => {
        const ids = ((await input.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean)
        return page.evaluate((list) => list.map((id) => document.getElementById(id)?.textContent ?? '').join(' '), ids)
      }
      await input.focus()
      await page.keyboard.type('12345 https://gerrit.wikimedia.org/r/c/mediawiki/core/+/')
      assert((await page.$('[data-testid="change-message"]')) === null, 'an error shows while a URL is being typed')
      assert((await input.getAttribute('aria-invalid')) === 'false', 'aria-invalid while a URL is being typed')
      await page.keyboard.type('23456')
      assert(/Will backport 12345, 23456/.test(await describedBy()), `the input is described by "${await describedBy()}"`)
      await input.fill('12345 not-a-change')
      await page.keyboard.press('Tab') // leaving the field judges what was typed
      await page.waitForSelector('[data-testid="change-message"]')
      assert((await input.getAttribute('aria-invalid')) === 'true', 'aria-invalid is not true with an error shown')
      assert(/"not-a-change" is not a Gerrit change number/.test(await describedBy()), `the input is described by "${await describedBy()}"`)

      await input.fill('34567')
      await input.press('Enter')
      await page.waitForURL(/\/jobs\/\d+$/)
      const id = Number(new URL(page.url()).pathname.split('/').pop())
      try {
        await page.waitForFunction(() => document.activeElement?.id === 'sp-job-heading')
        await promptText(page, 'Backport the changes?')
        await page.waitForFunction(() => document.querySelector('[data-testid="announcement"]')?.textContent.includes('needs an answer: Backport the changes?'))
        await page.keyboard.press('Tab') // from the heading: one key
        assert((await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) === 'go-to-prompt', 'Tab from the heading does not reach "Go to the prompt"')
        await page.keyboard.press('Enter')
        await page.waitForFunction(() => document.activeElement?.id === 'sp-prompt')
        await page.focus('#sp-job-heading')
        await page.keyboard.press('Alt+P') // its access key, from anywhere
        await page.waitForFunction(() => document.activeElement?.id === 'sp-prompt')

        await page.evaluate(() => {
          window.focusedIds = []
          document.addEventListener('focusin', (event) => window.focusedIds.push(event.target.id || event.target.getAttribute('data-testid')))
        })
        for (let i = 0; i < 4 && !/^\s*Yes/.test(await page.evaluate(() => document.activeElement?.textContent ?? '')); i++) await page.keyboard.press('Tab')
        await page.keyboard.press('Enter')
        // the note may give way to the next prompt at once: then the prompt has the focus after it
        await page.waitForFunction(() => window.focusedIds.includes('sp-answered'))
        await waitFor(
          () => page.evaluate(() => ['sp-answered', 'sp-prompt'].includes(document.activeElement?.id)),
          'the focus to stay on the answer\'s note or the next prompt',
        )
      } finally {
        await api(ctx, `/api/jobs/${id}/cancel`, { method: 'POST', body: '{}' }).catch(() => undefined)
        await jobReaches(ctx, id, ['cancelled', 'failed', 'succeeded'])
      }
    },
  },
  {
    name: 'phone (390 px): the overview and a waiting job fit, and the prompt sits at the bottom edge with thumb-sized buttons',
    async run(ctx) {
      const waiting = await waitingJob(ctx, '45678')
      try {
        for (const colorScheme of SCHEMES) {
          const overview = await openPage(ctx, '/', { viewport: PHONE, colorScheme })
          await overview.waitForSelector(`[data-testid="jobs-table"] tr[data-job-id="${waiting.id}"]`)
          await fitsWidth(overview, 'the overview')
          await shot(ctx, overview, `phone-overview-${colorScheme}.png`)
          const page = await openPage(ctx, `/jobs/${waiting.id}`, { viewport: PHONE, colorScheme })
          await page.waitForSelector('[data-testid="prompt"]')
          await waitFor(() => page.$('[data-testid="log"] .sp-log__text:not(.sp-log__text--loading)'), 'log rows')
          await fitsWidth(page, 'the job page')
          const layout = await page.evaluate(() => {
            const prompt = document.querySelector('[data-testid="prompt"]').getBoundingClientRect()
            const buttons = [...document.querySelectorAll('[data-testid="prompt"] button')].map((b) => b.getBoundingClientRect())
            const log = document.querySelector('[data-testid="log"]').getBoundingClientRect()
            return { promptBottom: prompt.bottom, height: window.innerHeight, buttons: buttons.map((b) => b.height), log: log.height }
          })
          assert(layout.promptBottom <= layout.height + 1, `the prompt ends at ${layout.promptBottom} px, below the ${layout.height} px screen`)
          assert(layout.buttons.every((h) => h >= 44), `prompt buttons ${layout.buttons.join(', ')} px tall`)
          assert(layout.log >= 300, `the log is ${layout.log} px tall`)
          await shot(ctx, page, `phone-job-prompt-${colorScheme}.png`)
          // one thumb's scroll down to the end: the log whole under the changes and steps, then the question,
          // which must not lie on the log's lines
          await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight))
          const scrolled = await page.evaluate(() => {
            const log = document.querySelector('[data-testid="log"]').getBoundingClientRect()
            const prompt = document.querySelector('[data-testid="prompt"]').getBoundingClientRect()
            return { logTop: log.top, logBottom: log.bottom, promptTop: prompt.top, promptBottom: prompt.bottom, height: window.innerHeight }
          })
          assert(scrolled.logBottom <= scrolled.promptTop + 1, `the question (from ${scrolled.promptTop} px) lies on the log (to ${scrolled.logBottom} px)`)
          assert(scrolled.promptBottom <= scrolled.height + 1, `the prompt ends at ${scrolled.promptBottom} px, below the ${scrolled.height} px screen`)
          assert(scrolled.promptTop - Math.max(scrolled.logTop, 0) >= 0.4 * scrolled.height,
            `only ${scrolled.promptTop - Math.max(scrolled.logTop, 0)} px of the log in view above the question`)
          await shot(ctx, page, `phone-job-log-${colorScheme}.png`)
        }
      } finally {
        await api(ctx, `/api/jobs/${waiting.id}/cancel`, { method: 'POST', body: '{}' }).catch(() => undefined)
        await jobReaches(ctx, waiting.id, ['cancelled', 'failed', 'succeeded'])
      }
    },
  },
]
