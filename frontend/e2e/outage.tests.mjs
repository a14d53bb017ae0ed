// Losing the server for real: a second server runs a job that prints steadily; its page is open while the
// server process is stopped and started again on the same port and data directory. The job runs on under
// its supervisor meanwhile (docs/operations.md, "Restarts and crashes"), so the page must say it does not
// know the job's state, refuse to pretend an action happened, and catch up on every line written while the
// server was away, in order and once.
import fs from 'node:fs'
import path from 'node:path'
import { TIMEOUT, waitFor, assert, api, startJob, jobReaches, openPage, renderedRows, lineCount, shot, startServer, stripAnsi } from './support.mjs'

/** 10 lines a second for hours: always something new, never so much that the page skips ahead. */
const STEADY = ['--spiderpig.jobs.steady.command=@simulator,flood,100000,10', '--spiderpig.jobs.steady.validator=none',
  '--spiderpig.jobs.steady.concurrency-group=steady']

/** What the browser logs for requests made while no server listens: expected here, and only here. */
const OUTAGE_NOISE = /net::ERR_(CONNECTION_REFUSED|CONNECTION_RESET|EMPTY_RESPONSE|INCOMPLETE_CHUNKED_ENCODING|FAILED)|status of 503\b/

/** The log's rows from line `from` to its end, read by scrolling the log over them. */
async function rowsFrom(page, from) {
  const rows = new Map()
  for (let top = from; ; ) {
    // scrolled again on every try, and only a view holding line `top` itself taken: lines arriving meanwhile
    // may take a view that reached the bottom along to the new end, past the lines still to be read
    const shown = await waitFor(async () => {
      await page.$eval('[data-testid="log"]', (el, line) => (el.scrollTop = (line - 1) * 20), top)
      const r = await renderedRows(page)
      return r.some(([n]) => n === top) && r.every(([, text]) => text !== '…') ? r : null
    }, `the log to show line ${top}`)
    for (const [n, text] of shown) if (n >= from) rows.set(n, text)
    const last = shown[shown.length - 1][0]
    if (last >= (await lineCount(page))) return rows
    top = last
  }
}

/**
 * Stops the server with `signal` while the page follows job `jobId`, checks what the page says meanwhile (and,
 * with `tryCancel`, what a cancel says), starts the server again and checks that the page catches up.
 */
async function outageAndBack(ctx, local, page, server, jobId, signal, { tryCancel = false } = {}) {
  await server.kill(signal)
  const stopped = Date.now()
  await page.waitForSelector('[data-testid="reconnecting"]:has-text("Lost the connection to the server")')
  console.log(`    ${signal}: the banner showed ${((Date.now() - stopped) / 1000).toFixed(1)} s after the server had stopped`)
  await page.waitForSelector('[data-testid="job-state"][data-state="unknown"]')
  await page.waitForSelector('[data-testid="job-elapsed"][data-stopped="true"]')
  assert(/Unknown/.test(await page.title()), `the tab says ${await page.title()}`)
  const elapsed = await page.textContent('[data-testid="job-elapsed"]')
  // the lines that came before the connection broke are counted at the next frame
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
  const linesWhenStopped = await lineCount(page)
  if (tryCancel) {
    await page.click('[data-testid="cancel-button"]')
    await page.click('[data-testid="cancel-dialog"] .cdx-dialog__footer__primary-action')
    await page.waitForSelector('[data-testid="cancel-error"]:has-text("Could not reach the server — the job was not cancelled.")')
    await page.waitForSelector('[data-testid="cancel-dialog"]', { state: 'hidden' })
    await shot(ctx, page, 'job-outage.png')
  }
  // the supervisor goes on writing the spool: lines the page must get once the server is back
  const spool = path.join(server.dir, 'data', 'supervisors', String(jobId), 'spool')
  const spoolSize = fs.statSync(spool).size
  await waitFor(() => fs.statSync(spool).size > spoolSize + 1000, 'the job to print on while the server is away')
  assert((await page.textContent('[data-testid="job-elapsed"]')) === elapsed, 'Elapsed kept counting while the server was away')
  assert((await lineCount(page)) === linesWhenStopped, 'the page counted lines with no server')

  await server.restart()
  const restarted = Date.now()
  await page.waitForSelector('[data-testid="reconnecting"]', { state: 'detached', timeout: TIMEOUT })
  console.log(`    ${signal}: the page was back ${((Date.now() - restarted) / 1000).toFixed(1)} s after the server answered again`)
  await page.waitForSelector('[data-testid="job-state"][data-state="running"]')
  await page.waitForSelector('[data-testid="cancel-error"]', { state: 'detached' })
  assert((await page.textContent('[data-testid="job-elapsed"]')) !== elapsed, 'Elapsed did not move on')
  const serverCount = (await api(local, `/api/jobs/${jobId}`)).lineCount
  assert(serverCount > linesWhenStopped + 10, `the server has ${serverCount} lines, the page had ${linesWhenStopped} when it stopped`)
  await waitFor(async () => (await lineCount(page)) >= serverCount, `the page to count the server's ${serverCount} lines`)

  const rows = await rowsFrom(page, linesWhenStopped - 5)
  const numbers = [...rows.keys()].sort((a, b) => a - b)
  for (let i = 1; i < numbers.length; i++) {
    assert(numbers[i] === numbers[i - 1] + 1, `line ${numbers[i]} follows line ${numbers[i - 1]}`)
  }
  assert(numbers[numbers.length - 1] >= serverCount, `the rows end at ${numbers[numbers.length - 1]}, the server had ${serverCount}`)
  const range = await api(local, `/api/jobs/${jobId}/log?from=${numbers[0]}&to=${numbers[numbers.length - 1] + 1}`)
  const expected = new Map(range.lines.map((l) => [l.line, stripAnsi(l.text)]))
  for (const [n, text] of rows) assert(expected.get(n) === text, `line ${n} shows ${JSON.stringify(text)}, the server has ${JSON.stringify(expected.get(n))}`)
  // the job's own numbering: nothing it printed while the server was away is missing or twice (the
  // server's own notices, such as the one it writes as it stops, are lines of the log too)
  const printed = numbers.map((n) => /^flood line (\d+) /.exec(rows.get(n))).filter(Boolean).map((m) => Number(m[1]))
  for (let i = 1; i < printed.length; i++) {
    assert(printed[i] === printed[i - 1] + 1, `the job's line ${printed[i]} follows its line ${printed[i - 1]}`)
  }
}

export const tests = [
  {
    // three starts of a server: a minute each on a busy machine
    timeoutMs: 600_000,
    name: 'outage: a stopped or killed server shows the banner and Unknown, a cancel says it did not happen; restarted, the page catches up on every line once',
    async run(ctx) {
      const server = await startServer(STEADY)
      const local = { ...ctx, baseUrl: server.baseUrl, cleanup: undefined }
      const previous = ctx.cleanup
      ctx.cleanup = async () => {
        await previous?.()
        await local.cleanup?.()
        ctx.consoleErrors.splice(0, ctx.consoleErrors.length, ...ctx.consoleErrors.filter((error) => !OUTAGE_NOISE.test(error)))
        // ends the job's supervisor too, whatever the test got to
        await server.stop()
      }
      const job = await startJob(local, 'steady', {})
      await waitFor(async () => (await api(local, `/api/jobs/${job.id}`)).lineCount > 30, 'the job to print its first lines')
      const page = await openPage(local, `/jobs/${job.id}`)
      await page.waitForSelector('[data-testid="job-state"][data-state="running"]')
      await waitFor(async () => (await lineCount(page)) > 30, 'the page to show the first lines')
      // and its stream is open: lines come from it, not only from the job's snapshot
      const fromSnapshot = await lineCount(page)
      await waitFor(async () => (await lineCount(page)) > fromSnapshot, 'the page to take lines from its stream')

      // a stop (SIGTERM: the server ends its streams and notes the stop in the job's log), then a crash
      await outageAndBack(ctx, local, page, server, job.id, 'SIGTERM', { tryCancel: true })
      await outageAndBack(ctx, local, page, server, job.id, 'SIGKILL')

      await api(local, `/api/jobs/${job.id}/cancel`, { method: 'POST', body: '{}' })
      await jobReaches(local, job.id, ['cancelled'])
      await page.waitForSelector('[data-testid="job-state"][data-state="cancelled"]')
    },
  },
]
