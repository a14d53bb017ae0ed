// What every browser test file shares: waiting with a deadline, the API, pages that record console errors.
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

export const VIEWPORT = { width: 1280, height: 720 }
export const TIMEOUT = 60_000

/** Polls `check` until it returns a truthy value or the deadline passes. */
export async function waitFor(check, message, timeoutMs = TIMEOUT) {
  const deadline = Date.now() + timeoutMs
  let last
  while (Date.now() < deadline) {
    try {
      last = await check()
      if (last) return last
    } catch (error) {
      last = error
    }
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new Error(`${message} (waited ${timeoutMs / 1000} s; last: ${last instanceof Error ? last.message : JSON.stringify(last)})`)
}

export const isFinalState = (state) => ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(state)

export function assert(condition, message) {
  if (!condition) throw new Error(message)
}

export async function api(ctx, url, init) {
  const response = await fetch(ctx.baseUrl + url, {
    ...init,
    headers: { Accept: 'application/json', ...(init?.body ? { 'Content-Type': 'application/json' } : {}) },
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url}: ${response.status} ${text}`)
  return JSON.parse(text)
}

export const startJob = (ctx, command, parameters) =>
  api(ctx, '/api/jobs', { method: 'POST', body: JSON.stringify({ command, parameters }) })

export async function jobReaches(ctx, id, states, timeoutMs = TIMEOUT) {
  return waitFor(async () => {
    const job = await api(ctx, `/api/jobs/${id}`)
    return states.includes(job.state) ? job : null
  }, `job ${id} to reach ${states.join(' or ')}`, timeoutMs)
}

/** A page in a fresh browser context that records console errors; closed after the test. */
export async function openPage(ctx, url, pageOptions = {}) {
  // expectFailedLoads: the test makes requests fail on purpose (an unknown change's 404, Gerrit's 502)
  const { expectFailedLoads = false, ...options } = pageOptions
  const context = await ctx.browser.newContext({ viewport: VIEWPORT, colorScheme: 'light', ...options })
  // Every wait gets the suite's deadline, not Playwright's 30 s: a busy CI machine may be slow, never wrong.
  context.setDefaultTimeout(TIMEOUT)
  const page = await context.newPage()
  const label = `${url} (${options.viewport ? `${options.viewport.width}px` : '1280px'}, ${options.colorScheme ?? 'light'})`
  page.on('console', (message) => {
    if (message.type() !== 'error') return
    if (expectFailedLoads && /^Failed to load resource: the server responded with a status of (404|502)\b/.test(message.text())) return
    ctx.consoleErrors.push(`${label}: ${message.text()}`)
  })
  page.on('pageerror', (error) => ctx.consoleErrors.push(`${label}: uncaught ${error.message}`))
  const previous = ctx.cleanup
  ctx.cleanup = async () => {
    await previous?.()
    await context.close()
  }
  await page.goto(ctx.baseUrl + url)
  return page
}

/**
 * What `map` (a function of its argument alone) makes of the elements matching `selector`, found and read
 * in one evaluation. Playwright's `$$eval` finds the elements in one call and reads them in the next; a live
 * log renders in between, reusing rows for other lines and removing some, and the read then saw rows out of
 * order, twice, or missing (an outage test once read line 48 right after line 43 that way).
 */
export function evalAll(page, selector, map) {
  return page.evaluate(`(${map})([...document.querySelectorAll(${JSON.stringify(selector)})])`)
}

/** The rendered log rows: line number → text. */
export function renderedRows(page) {
  return evalAll(page, '[data-testid="log"] .sp-log__row', (rows) =>
    rows.map((row) => [Number(row.getAttribute('data-line')), row.querySelector('.sp-log__text')?.textContent ?? '']),
  )
}

export const stripAnsi = (text) => text.replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '')

/** Checks every rendered row against the server's log, and that rows were rendered. */
export async function rowsMatchServer(ctx, page, jobId) {
  const rows = await waitFor(async () => {
    const r = await renderedRows(page)
    return r.length > 0 && r.every(([, text]) => text !== '…') ? r : null
  }, 'log rows to be loaded')
  // The whole span of the rendered rows, whatever their order in the DOM.
  const numbers = rows.map(([n]) => n)
  const from = Math.min(...numbers)
  const to = Math.max(...numbers)
  const range = await api(ctx, `/api/jobs/${jobId}/log?from=${from}&to=${to + 1}`)
  const expected = new Map(range.lines.map((l) => [l.line, stripAnsi(l.text)]))
  for (const [n, text] of rows) {
    assert(expected.get(n) === text, `line ${n} shows ${JSON.stringify(text)}, the server has ${JSON.stringify(expected.get(n))}`
      + ` (rows in DOM order: ${numbers.join(',')}; the server's answer: lines ${range.from}..${range.to - 1} of ${range.size})`)
  }
  return rows
}

/** The log follows its end: the last line is on screen. */
export async function showsLastLine(page) {
  await waitFor(async () => {
    const count = await lineCount(page)
    const rows = await renderedRows(page)
    return count > 0 && rows.some(([n]) => n === count)
  }, 'the log to show its last line')
}

export const lineCount = (page) => page.$eval('[data-testid="log"]', (el) => Number(el.getAttribute('data-lines')))

/** The button for the "yes" choice of the pending prompt. */
export async function yesButton(page) {
  const buttons = await page.$$('[data-testid="prompt"] button[data-testid^="choice-"]')
  for (const button of buttons) {
    if (/^\s*yes/i.test(await button.textContent())) return button
  }
  throw new Error('the prompt has no "Yes" choice')
}

export async function promptText(page, text) {
  await page.waitForSelector(`[data-testid="prompt"]:has-text("${text}")`, { timeout: TIMEOUT })
}

/** The first `count` messages of a job's event stream after `after`, as raw SSE text. */
export async function firstEvents(ctx, jobId, after, count) {
  const controller = new AbortController()
  const response = await fetch(`${ctx.baseUrl}/api/jobs/${jobId}/events?after=${after}`, { signal: controller.signal })
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  while (text.split('\n\n').filter((m) => m.includes('data:')).length < count) {
    const { value, done } = await reader.read()
    if (done) break
    text += decoder.decode(value, { stream: true })
  }
  controller.abort()
  return text.split('\n\n').filter((m) => m.includes('data:')).slice(0, count).join('\n\n') + '\n\n'
}

export const shot = (ctx, page, name) => page.screenshot({ path: path.join(ctx.screenshotDir, name) })

/** The page as it is, in the dark theme too (`name` and `name-dark`), then light again. */
export async function shotLightAndDark(ctx, page, name) {
  await shot(ctx, page, `${name}.png`)
  await page.emulateMedia({ colorScheme: 'dark' })
  try {
    await shot(ctx, page, `${name}-dark.png`)
  } finally {
    await page.emulateMedia({ colorScheme: 'light' })
  }
}


/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/**
 * Jobs outlive their server (each runs under a supervisor of its own session): a test server's jobs still
 * waiting when it stops would run on after the tests. Ends each supervisor's command, then the supervisor.
 */
function endJobsLeftRunning(supervisorsDir) {
  const found = spawnSync('pgrep', ['-f', supervisorsDir], { encoding: 'utf8' })
  for (const pid of (found.stdout ?? '').split('\n').filter(Boolean)) {
    spawnSync('pkill', ['-KILL', '-P', pid])
    spawnSync('kill', ['-KILL', pid])
  }
}

/**
 * A second server from SPIDERPIG_JAR on a port and data directory of its own, with extra settings (e.g. sign-in
 * through an OpenID provider); answers once `GET /api/session` does. `stop()` ends it, its whole process group,
 * and the jobs it left running. `kill(signal)` ends the server alone, as a crash or `systemctl restart` would:
 * its jobs run on under their supervisors; `restart()` then starts it again on the same port and data directory.
 */
export async function startServer(args = [], env = {}) {
  const jar = process.env.SPIDERPIG_JAR
  if (!jar) throw new Error('SPIDERPIG_JAR must name the built server jar')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiderpig-e2e-second-'))
  const port = await freePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const log = path.join(dir, 'server.log')
  let child = null
  let exited = null

  const launch = async () => {
    const out = fs.openSync(log, 'a')
    exited = null
    const launched = spawn('java', ['-jar', jar, `--server.port=${port}`, `--spiderpig.data-dir=${path.join(dir, 'data')}`,
      '--spiderpig.simulator.pace=fast', ...args], { stdio: ['ignore', out, out], detached: true, env: { ...process.env, ...env } })
    fs.closeSync(out)
    child = launched
    launched.on('exit', (code, signal) => {
      if (child === launched) exited = { code, signal }
    })
    await waitFor(async () => {
      if (exited) throw new Error(`the second server exited (${JSON.stringify(exited)}): ${fs.readFileSync(log, 'utf8').slice(-2000)}`)
      return (await fetch(`${baseUrl}/api/session`).catch(() => null))?.ok
    }, 'the second server to answer GET /api/session', 240_000) // a start takes over a minute on a busy machine
  }
  const kill = async (signal = 'SIGTERM') => {
    if (exited !== null) return
    try {
      process.kill(-child.pid, signal)
    } catch {
      return // already gone
    }
    const deadline = Date.now() + 15_000
    while (exited === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    if (exited === null) process.kill(-child.pid, 'SIGKILL')
    while (exited === null) await new Promise((r) => setTimeout(r, 100))
  }
  const stop = async () => {
    await kill('SIGTERM')
    endJobsLeftRunning(path.join(dir, 'data', 'supervisors'))
  }
  process.on('exit', () => {
    if (exited === null) process.kill(-child.pid, 'SIGKILL')
  })
  try {
    await launch()
  } catch (error) {
    await stop()
    throw error
  }
  return { baseUrl, port, dir, log, stop, kill, restart: launch }
}

/** Runs the jar's own command line (e.g. `user add`), feeding `input` on stdin; resolves when it succeeds. */
export async function runJar(args, input = '') {
  const { spawn } = await import('node:child_process')
  const child = spawn('java', ['-jar', process.env.SPIDERPIG_JAR, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk) => (output += chunk))
  child.stderr.on('data', (chunk) => (output += chunk))
  child.stdin.end(input)
  const code = await new Promise((resolve) => child.on('exit', resolve))
  if (code !== 0) throw new Error(`java -jar … ${args.join(' ')} exited ${code}: ${output}`)
  return output
}
