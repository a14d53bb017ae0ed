// Smooth under floods: the page follows the `flood` job (50,000 lines/s, set up in run.mjs) while
// requestAnimationFrame measures its frames. The figures are printed, not asserted (a busy machine makes
// any timing flaky); what is asserted is that the page never shows lines out of order or misplaced, and
// says so when it skips ahead. The page's own work comes from Chromium's performance metrics, which depend
// on the load of the machine far less than frame times do: `main-cpu` is the main thread's CPU time per
// second; `busy`, `script`, `layout` and `style` are wall time inside tasks, so they grow when the machine
// makes the page wait. One line `BENCH page-flood …` has every figure; above it, what each frame over
// 100 ms was made of (Chromium's long-animation-frame entries: scripts, forced layouts, rendering).
// SPIDERPIG_FLOOD_PROFILE=1 also prints where the page's CPU time went by function, SPIDERPIG_FLOOD_TRACE=1
// the main-thread tasks over 50 ms from a Chromium trace, each with its wall and CPU time (a task with far
// less CPU than wall time waited for a core) and what ran in it, and CPU time by kind and by thread.
// Run it alone with SPIDERPIG_E2E_ONLY=flood.
import fs from 'node:fs'
import os from 'node:os'
import { waitFor, assert, api, startJob, jobReaches, openPage, lineCount, rowsMatchServer } from './support.mjs'

const MEASURE_MS = 8000

/** Runs in the page: every frame's duration, and what the log showed in it. */
function measureFrames(measureMs) {
  return new Promise((resolve) => {
    const log = document.querySelector('[data-testid="log"]')
    const deltas = []
    const problems = []
    let framesBehind = 0
    let lastCount = 0
    let skipNotices = 0
    let start = null
    let previous = null
    let firstCount = null
    // what each frame over 100 ms was made of, as Chromium's long-animation-frame entries tell it
    const longFrames = []
    const observer =
      PerformanceObserver.supportedEntryTypes?.includes('long-animation-frame') &&
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          if (start === null || entry.duration <= 100) continue
          const scripts = entry.scripts.map(
            (s) =>
              `${s.invokerType}:${s.invoker}${s.sourceFunctionName ? `/${s.sourceFunctionName}` : ''} ${s.duration.toFixed(0)}ms` +
              (s.forcedStyleAndLayoutDuration > 1 ? ` (forced layout ${s.forcedStyleAndLayoutDuration.toFixed(0)}ms)` : ''),
          )
          longFrames.push(
            `${entry.duration.toFixed(0)}ms blocking=${entry.blockingDuration.toFixed(0)} ` +
              `render=${entry.renderStart ? (entry.startTime + entry.duration - entry.renderStart).toFixed(0) : 0}ms ` +
              `style+layout=${entry.styleAndLayoutStart ? (entry.startTime + entry.duration - entry.styleAndLayoutStart).toFixed(0) : 0}ms ` +
              `scripts: ${scripts.join(', ') || 'none'}`,
          )
        }
      })
    if (observer) observer.observe({ type: 'long-animation-frame', buffered: false })
    function check() {
      const count = Number(log.getAttribute('data-lines'))
      if (count < lastCount) problems.push(`the line count went back from ${lastCount} to ${count}`)
      lastCount = count
      const rows = [...log.querySelectorAll('.sp-log__row')]
      let before = null
      for (const row of rows) {
        const n = Number(row.getAttribute('data-line'))
        if (before !== null && n !== before + 1) problems.push(`line ${n} follows line ${before}`)
        before = n
        const text = row.querySelector('.sp-log__text')?.textContent ?? ''
        const shown = /^flood line (\d+) /.exec(text)
        if (shown && Number(shown[1]) !== n) problems.push(`row ${n} shows line ${shown[1]}`)
      }
      if (before !== null && before < count) framesBehind++
      if (document.querySelector('[data-testid="log-skipped"]')) skipNotices++
    }
    function frame(now) {
      if (start === null) {
        start = now
        firstCount = Number(log.getAttribute('data-lines'))
      } else {
        deltas.push(now - previous)
      }
      previous = now
      check()
      if (now - start < measureMs) requestAnimationFrame(frame)
      else {
        if (observer) observer.disconnect()
        resolve({ deltas, problems: problems.slice(0, 20), framesBehind, skipNotices, lines: lastCount - firstCount, ms: now - start, longFrames })
      }
    }
    requestAnimationFrame(frame)
  })
}

/** The functions with the most self time in a CPU profile (Chrome DevTools Protocol). */
function topFunctions(profile, count) {
  const selfMs = new Map()
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const interval = (profile.endTime - profile.startTime) / 1000 / Math.max(1, profile.samples.length)
  for (const id of profile.samples) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame
    const key = `${functionName || '(anonymous)'} ${url.split('/').pop()}:${lineNumber + 1}`
    selfMs.set(key, (selfMs.get(key) ?? 0) + interval)
  }
  return [...selfMs.entries()].sort((a, b) => b[1] - a[1]).slice(0, count)
}

const TRACE_CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8',
  'v8.execute',
  'disabled-by-default-v8.gc',
  'blink',
  'loading',
].join(',')

/** Starts a Chromium trace; the promise it returns stops it and resolves to its events. */
async function startTrace(cdp) {
  const events = []
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value))
  await cdp.send('Tracing.start', { categories: TRACE_CATEGORIES, transferMode: 'ReportEvents' })
  return async () => {
    const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve))
    await cdp.send('Tracing.end')
    await complete
    return events
  }
}

/**
 * The page's main-thread tasks over 50 ms, each with its wall and thread time (a task whose thread time is
 * far below its wall time waited for a core rather than worked) and what inside it took over 3 ms.
 */
function longTasksOf(events) {
  const main = mainThreadOf(events)
  const own = events.filter((e) => `${e.pid}/${e.tid}` === main && e.ph === 'X' && e.dur !== undefined)
  const tasks = own.filter((e) => e.name === 'ThreadControllerImpl::RunTask' && e.dur > 50_000).sort((a, b) => a.ts - b.ts)
  return tasks.map((task) => {
    const inside = own
      .filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur && e.dur > 3000)
      .sort((a, b) => a.ts - b.ts || b.dur - a.dur)
      .slice(0, 25)
      .map((e) => `+${((e.ts - task.ts) / 1000).toFixed(0)} ${e.name}${e.args?.data?.functionName ? `(${e.args.data.functionName})` : ''} ${(e.dur / 1000).toFixed(0)}ms` + (e.tdur !== undefined ? `/cpu ${(e.tdur / 1000).toFixed(0)}` : ''))
    return `task ${(task.dur / 1000).toFixed(0)}ms cpu ${task.tdur !== undefined ? (task.tdur / 1000).toFixed(0) : '?'}ms: ${inside.join('; ')}`
  })
}

/** The page's main thread in a trace: of the threads named CrRendererMain, the one that ran the most script. */
function mainThreadOf(events) {
  return events
    .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
    .map((m) => ({ key: `${m.pid}/${m.tid}`, calls: events.filter((e) => e.pid === m.pid && e.tid === m.tid && e.name === 'FunctionCall').length }))
    .sort((a, b) => b.calls - a.calls)[0]?.key
}

/**
 * CPU (thread) time by event name on the page's main thread, each event's own time without its children,
 * and each thread's CPU time in its outermost events: what the page spends its CPU on, whatever the load.
 */
function cpuByKind(events) {
  const main = mainThreadOf(events)
  const threadNames = new Map(events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => [`${e.pid}/${e.tid}`, e.args.name]))
  const byThread = new Map()
  for (const e of events) {
    if (e.ph !== 'X' || e.tdur === undefined) continue
    const key = `${e.pid}/${e.tid}`
    if (!byThread.has(key)) byThread.set(key, [])
    byThread.get(key).push(e)
  }
  const ownCpu = new Map()
  const threadCpu = new Map()
  for (const [key, list] of byThread) {
    list.sort((a, b) => a.ts - b.ts || b.dur - a.dur)
    const open = [] // the events enclosing the current one, outermost first
    const childCpu = new Map()
    let outermost = 0
    for (const e of list) {
      while (open.length > 0 && open[open.length - 1].ts + open[open.length - 1].dur <= e.ts) open.pop()
      const parent = open[open.length - 1]
      if (parent) childCpu.set(parent, (childCpu.get(parent) ?? 0) + e.tdur)
      else outermost += e.tdur
      open.push(e)
    }
    const name = threadNames.get(key) ?? key
    threadCpu.set(name, (threadCpu.get(name) ?? 0) + outermost)
    if (key !== main) continue
    for (const e of list) {
      const kind = e.name === 'FunctionCall' && e.args?.data?.functionName ? `FunctionCall(${e.args.data.functionName})` : e.name
      ownCpu.set(kind, (ownCpu.get(kind) ?? 0) + Math.max(0, e.tdur - (childCpu.get(e) ?? 0)))
    }
  }
  const top = (map, count) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, count).map(([name, us]) => `${name} ${(us / 1000).toFixed(0)}ms`)
  return { main: top(ownCpu, 30), threads: top(threadCpu, 15) }
}

/** The flood the issue asks the page to follow: a run whose server wrote fewer lines a second does not count. */
const GOAL_LINES_PER_S = 50_000

/**
 * How the test server's processes actually ran (run.mjs may start it niced or on given CPUs): the server and
 * its descendants (supervisors, the jobs they run), and whatever names its work directory. Linux only.
 */
function serverProcesses(ctx) {
  if (!ctx.serverPid || !fs.existsSync('/proc/self/stat')) return null
  const procs = []
  for (const pid of fs.readdirSync('/proc').filter((name) => /^[0-9]+$/.test(name))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
      // the fields after the command name, which may hold spaces and parentheses: state is field 3
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      const cpus = /Cpus_allowed_list:\s*(\S+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
      procs.push({ pid: Number(pid), ppid: Number(fields[1]), nice: Number(fields[16]), cpus, cmdline })
    } catch {
      // gone meanwhile
    }
  }
  const ours = new Set([ctx.serverPid])
  for (let grew = true; grew; ) {
    grew = false
    for (const p of procs) if (!ours.has(p.pid) && (ours.has(p.ppid) || (ctx.serverWorkDir && p.cmdline.includes(ctx.serverWorkDir)))) {
      ours.add(p.pid)
      grew = true
    }
  }
  const mine = procs.filter((p) => ours.has(p.pid))
  const distinct = (values) => [...new Set(values)].join('/')
  return { count: mine.length, pids: mine.map((p) => p.pid), nice: distinct(mine.map((p) => p.nice)), cpus: distinct(mine.map((p) => p.cpus)) }
}

const CLOCK_TICKS_PER_S = 100

/**
 * CPU ticks (1/100 s) so far of the test server's processes: all of them, and the server JVM's JIT compiler
 * threads alone (`C1/C2 CompilerThread`, cut to 15 characters by Linux). Linux only; null elsewhere.
 */
function serverCpuTicks(ctx) {
  const procs = serverProcesses(ctx)
  if (!procs) return null
  const ticksOf = (statPath) => {
    try {
      const stat = fs.readFileSync(statPath, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      return Number(fields[11]) + Number(fields[12]) // utime, stime
    } catch {
      return 0 // gone meanwhile
    }
  }
  let all = 0
  for (const pid of procs.pids) all += ticksOf(`/proc/${pid}/stat`)
  let jit = 0
  try {
    for (const tid of fs.readdirSync(`/proc/${ctx.serverPid}/task`)) {
      const name = fs.readFileSync(`/proc/${ctx.serverPid}/task/${tid}/comm`, 'utf8')
      if (/^C\d CompilerThre/.test(name)) jit += ticksOf(`/proc/${ctx.serverPid}/task/${tid}/stat`)
    }
  } catch {
    // the server is gone; the figures say so by not growing
  }
  return { all, jit }
}

/** Milliseconds of CPU a second between two serverCpuTicks readings taken `ms` apart. */
function cpuMsPerS(before, after, key, ms) {
  if (!before || !after) return '?'
  return (((after[key] - before[key]) * (1000 / CLOCK_TICKS_PER_S)) / ms * 1000).toFixed(0)
}

// A fresh server compiles its hot paths in its first floods: its JIT compiler threads took 0.3-0.45 of a
// core through the measured seconds (of the two cores the page shares), which no server that has run for a
// while spends. Warm-up floods are followed by the same kind of page until the compiler is quiet.
const WARM_UP_MAX_MS = 120_000
const JIT_QUIET_MS_PER_S = 50

/** Follows one warm-up flood until the server's JIT is quiet for 2 s or the flood ends; whether it was quiet. */
async function followWarmUpFlood(ctx, deadline, last) {
  const job = await startJob(ctx, 'flood', {})
  try {
    const page = await openPage(ctx, `/jobs/${job.id}`)
    await waitFor(async () => (await lineCount(page)) > 20_000, 'the warm-up flood to be under way')
    let quietSeconds = 0
    for (let before = serverCpuTicks(ctx); before && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 1000))
      const after = serverCpuTicks(ctx)
      last.jitMsPerS = cpuMsPerS(before, after, 'jit', 1000)
      before = after
      quietSeconds = Number(last.jitMsPerS) < JIT_QUIET_MS_PER_S ? quietSeconds + 1 : 0
      if (quietSeconds >= 2) return true
      const { state } = await api(ctx, `/api/jobs/${job.id}`)
      if (!['running', 'queued'].includes(state)) return false
    }
    return serverCpuTicks(ctx) === null // nothing to wait for where /proc cannot tell
  } finally {
    await api(ctx, `/api/jobs/${job.id}/cancel`, { method: 'POST', body: '{}' }).catch(() => undefined)
    await jobReaches(ctx, job.id, ['cancelled', 'succeeded', 'failed'])
  }
}

/** Warm-up floods until the server's JIT compiler is quiet, or two minutes passed; what it took, printed. */
async function warmUpServer(ctx) {
  const started = Date.now()
  const last = { jitMsPerS: '?' }
  let floods = 0
  let quiet = false
  while (!quiet && Date.now() - started < WARM_UP_MAX_MS) {
    floods++
    quiet = await followWarmUpFlood(ctx, started + WARM_UP_MAX_MS, last)
  }
  return `warm-up ${floods} flood(s) in ${((Date.now() - started) / 1000).toFixed(0)} s, server JIT at its end ${last.jitMsPerS} ms/s${quiet ? '' : ' (not quiet)'}`
}

/**
 * With SPIDERPIG_E2E_SERVER_NICE, also the server's processes' scheduling groups: Linux puts each session in
 * an autogroup of its own (`/proc/sys/kernel/sched_autogroup_enabled`), the server and every supervisor are
 * sessions of their own, and the CPU is shared between groups whatever the nice of the processes in them.
 */
function niceServerAutogroups(ctx) {
  const nice = process.env.SPIDERPIG_E2E_SERVER_NICE
  if (!nice) return
  const groups = []
  for (const pid of serverProcesses(ctx)?.pids ?? []) {
    try {
      fs.writeFileSync(`/proc/${pid}/autogroup`, nice)
      groups.push(fs.readFileSync(`/proc/${pid}/autogroup`, 'utf8').trim())
    } catch (error) {
      groups.push(`${pid}: ${error.message}`)
    }
  }
  console.log(`    server autogroups: ${groups.join('; ')}`)
}

/** Chromium's running totals for the page (seconds of main-thread work, node counts). */
async function mainThreadMetrics(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics')
  return Object.fromEntries(metrics.map(({ name, value }) => [name, value]))
}

export const tests = [
  {
    name: 'following a 50,000 lines/s flood: frame times printed; lines never out of order, skips said',
    // the warm-up floods come first (up to two minutes)
    timeoutMs: 360_000,
    async run(ctx) {
      const warmUp = process.env.SPIDERPIG_FLOOD_COLD === '1' ? 'none (SPIDERPIG_FLOOD_COLD=1)' : await warmUpServer(ctx)
      const job = await startJob(ctx, 'flood', {})
      try {
        const page = await openPage(ctx, `/jobs/${job.id}`)
        await waitFor(async () => (await lineCount(page)) > 20_000, 'the flood to be under way')
        const profiling = process.env.SPIDERPIG_FLOOD_PROFILE === '1'
        const cdp = await page.context().newCDPSession(page)
        await cdp.send('Performance.enable')
        const metricsBefore = await mainThreadMetrics(cdp)
        if (profiling) {
          await cdp.send('Profiler.enable')
          await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
          await cdp.send('Profiler.start')
        }
        const stopTrace = process.env.SPIDERPIG_FLOOD_TRACE === '1' ? await startTrace(cdp) : null
        niceServerAutogroups(ctx)
        const serverBefore = await api(ctx, `/api/jobs/${job.id}`)
        const cpuBefore = serverCpuTicks(ctx)
        const measuredFrom = Date.now()
        const result = await page.evaluate(measureFrames, MEASURE_MS)
        const metricsAfter = await mainThreadMetrics(cdp)
        const cpuAfter = serverCpuTicks(ctx)
        const measuredMs = Date.now() - measuredFrom
        const serverAfter = await api(ctx, `/api/jobs/${job.id}`)
        const serverRate = ((serverAfter.lineCount - serverBefore.lineCount) / (Date.now() - measuredFrom)) * 1000
        const serverProcs = serverProcesses(ctx)
        if (stopTrace) {
          const events = await stopTrace()
          if (process.env.SPIDERPIG_FLOOD_TRACE_FILE) fs.writeFileSync(process.env.SPIDERPIG_FLOOD_TRACE_FILE, JSON.stringify(events))
          console.log(`    main-thread tasks over 50 ms (of ${events.length} trace events):`)
          for (const task of longTasksOf(events)) console.log(`      ${task}`)
          const cpu = cpuByKind(events)
          console.log(`    main-thread CPU by kind (own time): ${cpu.main.join(', ')}`)
          console.log(`    CPU by thread (traced tasks): ${cpu.threads.join(', ')}`)
        }
        if (result.longFrames.length > 0) {
          console.log('    frames over 100 ms (long-animation-frame):')
          for (const frame of result.longFrames) console.log(`      ${frame}`)
        }
        if (profiling) {
          const { profile } = await cdp.send('Profiler.stop')
          console.log('    self time by function:')
          for (const [name, ms] of topFunctions(profile, 25)) console.log(`      ${ms.toFixed(0).padStart(6)} ms  ${name}`)
        }
        const deltas = [...result.deltas].sort((a, b) => a - b)
        const fps = (result.deltas.length / result.ms) * 1000
        const p95 = deltas[Math.floor(deltas.length * 0.95)] ?? 0
        const max = deltas[deltas.length - 1] ?? 0
        const perSecond = (name) => (((metricsAfter[name] - metricsBefore[name]) * 1000) / result.ms) * 1000
        const tookIn = Math.round((result.lines / result.ms) * 1000)
        console.log(
          `    BENCH page-flood frames/s=${fps.toFixed(1)} p50=${deltas[Math.floor(deltas.length / 2)]?.toFixed(1)}ms p95=${p95.toFixed(1)}ms ` +
            `max=${max.toFixed(1)}ms over50=${deltas.filter((d) => d > 50).length} over100=${deltas.filter((d) => d > 100).length} ` +
            `lines/s=${tookIn} server-lines/s=${Math.round(serverRate)} ` +
            `main-cpu-ms/s=${perSecond('ThreadTime').toFixed(0)} renderer-cpu-ms/s=${perSecond('ProcessTime').toFixed(0)} ` +
            `main-cpu-ms-per-1000-lines=${((perSecond('ThreadTime') / Math.max(1, tookIn)) * 1000).toFixed(1)} ` +
            `busy-ms/s=${perSecond('TaskDuration').toFixed(0)} script-ms/s=${perSecond('ScriptDuration').toFixed(0)} ` +
            `layout-ms/s=${perSecond('LayoutDuration').toFixed(0)} style-ms/s=${perSecond('RecalcStyleDuration').toFixed(0)} ` +
            `dom-nodes=${metricsAfter.Nodes} behind-frames=${result.framesBehind} skip-frames=${result.skipNotices} ` +
            `load=${os.loadavg()[0].toFixed(1)} measured-s=${(result.ms / 1000).toFixed(1)} ` +
            `server-procs=${serverProcs?.count ?? '?'} server-nice=${serverProcs?.nice ?? '?'} server-cpus=${serverProcs?.cpus ?? '?'} ` +
            `server-cpu-ms/s=${cpuMsPerS(cpuBefore, cpuAfter, 'all', measuredMs)} server-jit-ms/s=${cpuMsPerS(cpuBefore, cpuAfter, 'jit', measuredMs)}`,
        )
        console.log(`    server setup: ${ctx.serverSetup ?? 'default'}; ${warmUp}`)
        if (serverRate < GOAL_LINES_PER_S) {
          console.log(`    the server wrote ${Math.round(serverRate)} lines/s, under ${GOAL_LINES_PER_S}: this run's frame figures do not count for the goal`)
        }
        assert(result.problems.length === 0, `the log showed lines wrongly:\n${result.problems.join('\n')}`)
        // on a loaded machine the flood may have finished already (409)
        await api(ctx, `/api/jobs/${job.id}/cancel`, { method: 'POST', body: '{}' }).catch(() => undefined)
        const ended = await jobReaches(ctx, job.id, ['cancelled', 'succeeded', 'failed'])
        await waitFor(async () => (await lineCount(page)) === ended.lineCount, `the page to count all ${ended.lineCount} lines`)
        await rowsMatchServer(ctx, page, job.id)
        // a very generous bound: only a page that stopped drawing altogether fails it
        assert(result.deltas.length > 10, `only ${result.deltas.length} frames in ${result.ms} ms`)
      } finally {
        await api(ctx, `/api/jobs/${job.id}/cancel`, { method: 'POST', body: '{}' }).catch(() => undefined)
        await jobReaches(ctx, job.id, ['cancelled', 'succeeded', 'failed'])
      }
    },
  },
]
