// Browser tests: the real server (SPIDERPIG_JAR) driven through Debian's headless Chromium with
// playwright-core (which never downloads a browser). Screenshots go to $SPIDERPIG_DOCS_DIR/screenshots.
// Prints "N passed, N failed" and exits non-zero on any failure. SPIDERPIG_MOCK=1 runs against
// e2e/mock-server.mjs instead, for working on the UI without a jar.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { tests as coreTests } from './tests.mjs'
import { freePort } from './support.mjs'

const CHROMIUM = '/usr/bin/chromium'
const here = path.dirname(fileURLToPath(import.meta.url))
// tests.mjs first (its tests build on each other's jobs), then every e2e/*.tests.mjs by name, then the
// console check, which needs every page to have been opened.
// SPIDERPIG_E2E_ONLY=a11y runs only the *.tests.mjs files whose name contains it (not tests.mjs), while
// working on them; their tests must then make their own jobs.
const only = process.env.SPIDERPIG_E2E_ONLY
// SPIDERPIG_E2E_SKIP=flood,oidc: leaves out the *.tests.mjs files whose name contains one of these (e.g. to
// regenerate the screenshots without the costly flood)
const skipped = (process.env.SPIDERPIG_E2E_SKIP ?? '').split(',').filter(Boolean)
const extraTestFiles = fs.readdirSync(here)
  .filter((f) => f.endsWith('.tests.mjs') && (!only || f.includes(only)) && !skipped.some((s) => f.includes(s))).sort()
const tests = only ? [] : [...coreTests]
for (const file of extraTestFiles) tests.push(...(await import(path.join(here, file))).tests)
// SPIDERPIG_E2E_GREP=keyboard: of those, only the tests whose name contains it
if (process.env.SPIDERPIG_E2E_GREP) tests.splice(0, tests.length, ...tests.filter((t) => t.name.includes(process.env.SPIDERPIG_E2E_GREP)))
tests.push({
  name: 'no console errors on any page',
  async run(ctx) {
    if (ctx.consoleErrors.length > 0) throw new Error(`console errors:\n${ctx.consoleErrors.join('\n')}`)
  },
})
const mock = process.env.SPIDERPIG_MOCK === '1'

if (!fs.existsSync(CHROMIUM)) {
  if (process.env.CI === 'true') {
    console.error('Chromium is required in CI: apt-get install chromium chromium-driver')
    process.exit(1)
  }
  console.log(`Browser tests skipped: ${CHROMIUM} is not installed (apt-get install chromium). 0 passed, 0 failed, 1 skipped`)
  process.exit(0)
}
const jar = process.env.SPIDERPIG_JAR
if (!mock && (!jar || !fs.existsSync(jar))) {
  console.error(`SPIDERPIG_JAR must name the built server jar (got ${jar ?? 'nothing'})`)
  process.exit(1)
}
const docsDir = process.env.SPIDERPIG_DOCS_DIR ?? path.resolve(here, '../../docs')
const screenshotDir = path.join(docsDir, 'screenshots')
fs.mkdirSync(screenshotDir, { recursive: true })

// the whole run must stop by itself, whatever hangs
// the outage test alone starts a server three times (up to 10 min on a busy machine)
const OVERALL_MS = 30 * 60_000
// a test may ask for more (`timeoutMs`), e.g. one that starts servers of its own
const TEST_MS = 150_000

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spiderpig-e2e-'))
const port = await freePort()
const baseUrl = `http://127.0.0.1:${port}`
const serverLog = path.join(workDir, 'server.log')
const serverOut = fs.openSync(serverLog, 'a')
const serverArgs = mock
  ? [path.join(here, 'mock-server.mjs'), String(port)]
  : [
      '-jar', jar,
      `--server.port=${port}`,
      `--spiderpig.data-dir=${path.join(workDir, 'data')}`,
      '--spiderpig.simulator.pace=fast',
      // 50,000 lines/s: far beyond any deployment's output, yet within what a browser on a busy 2-core
      // machine keeps up with (unpaced, the server now sends 200,000 lines/s and a starved browser fell
      // behind on input).
      '--spiderpig.jobs.flood.command=@simulator,flood,1000000,50000',
      '--spiderpig.jobs.flood.validator=none',
      '--spiderpig.jobs.flood.concurrency-group=flood',
    ]
const serverSetup = serverPlacement()
console.log(`server setup: ${serverSetup.description}`)
const [serverProgram, ...serverCommandArgs] = [...serverSetup.prefix, mock ? process.execPath : 'java', ...serverArgs]
const server = spawn(serverProgram, serverCommandArgs, { stdio: ['ignore', serverOut, serverOut], detached: true })
let serverExited = null
server.on('exit', (code, signal) => (serverExited = { code, signal }))

let browser = null
let finished = false

/**
 * Where the test server runs next to the browser. By default as any process; SPIDERPIG_E2E_SERVER_NICE=10
 * starts it under `nice -n 10` and SPIDERPIG_E2E_SERVER_CPUS=1 under `taskset -c 1` (a CPU list): the
 * server's supervisors and the jobs they run are its children and inherit both. A deployer's browser is not
 * on the deployment server's machine: with a lower priority, the page's frames measure the page rather than
 * its wait for a core the server writing 50,000 lines/s holds.
 */
function serverPlacement() {
  const prefix = []
  const parts = []
  const nice = process.env.SPIDERPIG_E2E_SERVER_NICE
  if (nice) {
    if (!/^([1-9]|1[0-9])$/.test(nice)) throw new Error(`SPIDERPIG_E2E_SERVER_NICE must be 1..19 (got ${nice})`)
    prefix.push('nice', '-n', nice)
    parts.push(`nice ${nice}`)
  }
  const cpus = process.env.SPIDERPIG_E2E_SERVER_CPUS
  if (cpus) {
    if (!/^[0-9,-]+$/.test(cpus)) throw new Error(`SPIDERPIG_E2E_SERVER_CPUS must be a CPU list such as 1 or 0-1 (got ${cpus})`)
    prefix.push('taskset', '-c', cpus)
    parts.push(`cpus ${cpus}`)
  }
  return { prefix, description: parts.length > 0 ? parts.join(', ') : 'default (same priority and CPUs as the browser)' }
}

async function stopEverything() {
  if (finished) return
  finished = true
  try {
    await browser?.close()
  } catch {
    // already gone
  }
  if (serverExited === null) {
    try {
      process.kill(-server.pid, 'SIGTERM')
    } catch {
      // already gone
    }
    const deadline = Date.now() + 15_000
    while (serverExited === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    if (serverExited === null) {
      try {
        process.kill(-server.pid, 'SIGKILL')
      } catch {
        // already gone
      }
    }
  }
}

function printServerLogTail() {
  try {
    const text = fs.readFileSync(serverLog, 'utf8').split('\n').slice(-40).join('\n')
    console.log(`--- last lines of the server log (${serverLog}) ---\n${text}`)
  } catch {
    // no log
  }
}

const overall = setTimeout(async () => {
  console.error(`Browser tests took over ${OVERALL_MS / 1000} s: stopping.`)
  printServerLogTail()
  await stopEverything()
  console.log('0 passed, 1 failed')
  process.exit(1)
}, OVERALL_MS)
// A crash of this script must not leave the server (detached, in its own group) running.
process.on('exit', () => {
  if (serverExited === null) {
    try {
      process.kill(-server.pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
})
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await stopEverything()
    process.exit(1)
  })
}

async function cancelUnfinishedJobs() {
  const { jobs } = await (await fetch(`${baseUrl}/api/jobs?limit=100`)).json()
  const running = jobs.filter((job) => ['queued', 'running', 'awaiting-input'].includes(job.state))
  for (const job of running) await fetch(`${baseUrl}/api/jobs/${job.id}/cancel`, { method: 'POST' })
}

async function waitForServer() {
  const deadline = Date.now() + 300_000
  while (Date.now() < deadline) {
    if (serverExited) throw new Error(`the server exited (${JSON.stringify(serverExited)}) before answering`)
    try {
      const response = await fetch(`${baseUrl}/api/status`)
      if (response.ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error('the server did not answer GET /api/status within 300 s')
}

let passed = 0
let failed = 0
try {
  await waitForServer()
  const { chromium } = await import('playwright-core')
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    // a fresh profile per launch: playwright-core makes a temporary user data dir
    // Each window's address bar comes with two WebUI popups (chrome://omnibox-popup.top-chrome/), each a
    // renderer of its own that takes about 1.5 s of CPU as the window opens: no test types an address, and on
    // two cores they took it from the page under test (the flood's page opens just before it is measured).
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup'],
  })
  const context = { browser, baseUrl, screenshotDir, consoleErrors: [], serverPid: server.pid, serverWorkDir: workDir, serverSetup: serverSetup.description }
  for (const test of tests) {
    const started = Date.now()
    let timer
    try {
      await Promise.race([
        test.run(context),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${(test.timeoutMs ?? TEST_MS) / 1000} s`)), test.timeoutMs ?? TEST_MS))),
      ])
      passed++
      console.log(`✔ ${test.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`)
    } catch (error) {
      failed++
      console.log(`✘ ${test.name} (${((Date.now() - started) / 1000).toFixed(1)} s)\n    ${String(error?.stack ?? error).split('\n').join('\n    ')}`)
      // A job the failed test left waiting would hold the backport queue and fail every later test too.
      await cancelUnfinishedJobs().catch(() => undefined)
    } finally {
      clearTimeout(timer)
      await context.cleanup?.().catch(() => undefined)
      context.cleanup = undefined
    }
  }
} catch (error) {
  failed++
  console.log(`✘ setup: ${error?.stack ?? error}`)
} finally {
  clearTimeout(overall)
  if (failed > 0) printServerLogTail()
  await stopEverything()
}
// the server's data directory holds the floods' logs (most of a gigabyte a run): kept only to look into a failure
if (failed > 0) console.log(`the server's directory is kept: ${workDir}`)
else {
  try {
    fs.rmSync(workDir, { recursive: true, force: true, maxRetries: 3 })
  } catch (error) {
    console.log(`could not remove the server's directory ${workDir}: ${error.message}`)
  }
}
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed > 0 ? 1 : 0)
