// A stand-in for the SpiderPig server, for working on the UI without the Java build (`npm run mock`).
// It follows docs/api.md closely enough for the pages and the browser tests, with a scripted backport
// (two prompts; change 666 fails) and a `flood` job type; it is NOT the contract's reference: the real
// server is. Usage: node e2e/mock-server.mjs [port] (serves ../target/classes/static, or MOCK_STATIC_DIR:
// another build of the page, to compare two builds against the same cheap server).
import http from 'node:http'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const staticDir = path.resolve(process.env.MOCK_STATIC_DIR ?? path.resolve(here, '../../target/classes/static'))
const port = Number(process.argv[2] ?? process.env.PORT ?? 8080)
const pace = process.env.MOCK_PACE === 'slow' ? 150 : 15
const USER = 'alice'
const FINAL = new Set(['succeeded', 'failed', 'cancelled', 'interrupted'])

const jobs = new Map() // id → { job, events: string[], lines: object[], listeners: Set, answer }
const overview = new Set()
let nextJobId = 1
let nextInteractionId = 1

const now = () => new Date().toISOString()
const sse = (seq, type, data) => `id:${seq}\nevent:${type}\ndata:${JSON.stringify(data)}\n\n`

function publishOverview(type, job, interaction) {
  const data = interaction ? { job, interaction } : { job }
  for (const res of overview) res.write(`event:${type}\ndata:${JSON.stringify(data)}\n\n`)
}

function emit(entry, type, payload) {
  const seq = entry.job.lastSeq + 1
  entry.job.lastSeq = seq
  const data = { seq, ts: now(), ...payload }
  const text = sse(seq, type, data)
  entry.events.push(text)
  for (const res of entry.listeners) {
    res.write(text)
    if (type === 'end') res.end()
  }
  if (type === 'end') entry.listeners.clear()
  return data
}

function line(entry, text, { stream = 'stdout', sensitive = false } = {}) {
  const n = entry.lines.length + 1
  const shown = sensitive ? '[sensitive output hidden]' : text
  entry.lines.push({ line: n, ts: now(), stream, text: shown, sensitive })
  entry.job.lineCount = n
  emit(entry, 'line', { line: n, stream, text: shown, sensitive })
}

function setState(entry, state, exitCode = null) {
  entry.job.state = state
  entry.job.exitCode = exitCode
  if (state === 'running' && !entry.job.startedAt) entry.job.startedAt = now()
  emit(entry, 'state', { state, exitCode })
  publishOverview('job-updated', entry.job)
}

function status(entry, text) {
  entry.job.status = text
  emit(entry, 'status', { status: text })
  publishOverview('job-updated', entry.job)
}

function progress(entry, name, done, total) {
  entry.job.progress = {
    name, totalTasks: total, tasksInFlight: done < total ? 1 : 0, tasksFinishedOk: done, tasksFinishedFailed: 0,
    tasksFinishedTotal: done, tasksPercentComplete: Math.round((done / total) * 100), tasksRemaining: total - done,
    progressFinished: done === total,
  }
  emit(entry, 'progress', { progress: entry.job.progress })
  publishOverview('job-updated', entry.job)
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

function ask(entry, prompt, choices, def) {
  const interaction = {
    id: nextInteractionId++, jobId: entry.job.id, kind: 'choices', prompt, choices, default: def, openedAt: now(),
    response: null, answeredBy: null, answeredAt: null, closedReason: null, closedAt: null,
  }
  entry.job.pendingInteraction = interaction
  entry.job.state = 'awaiting-input'
  emit(entry, 'state', { state: 'awaiting-input', exitCode: null })
  emit(entry, 'interaction', { interaction })
  publishOverview('interaction', entry.job, interaction)
  return new Promise((resolve) => (entry.answer = resolve))
}

function finish(entry, state, exitCode) {
  if (FINAL.has(entry.job.state)) return
  const pending = entry.job.pendingInteraction
  if (pending) {
    Object.assign(pending, { closedReason: state, closedAt: now() })
    emit(entry, 'interaction-closed', { interaction: pending })
    entry.job.pendingInteraction = null
  }
  entry.job.state = state
  entry.job.exitCode = exitCode
  entry.job.finishedAt = now()
  emit(entry, 'state', { state, exitCode })
  emit(entry, 'end', { state, exitCode })
  publishOverview('job-finished', entry.job)
  startQueued()
}

async function backport(entry) {
  const ids = entry.job.parameters.changeIds
  setState(entry, 'running')
  status(entry, 'Voting on changes')
  line(entry, `\u001b[32mVoting on ${ids.length} change(s): ${ids.join(', ')}\u001b[0m`)
  for (let i = 1; i <= 30; i++) {
    if (entry.cancelled) return
    line(entry, `Waiting for Gerrit to merge \u001b[1m${ids[i % ids.length]}\u001b[0m … check ${i}`)
    await sleep(pace)
  }
  line(entry, 'Fetching with token=abc123', { sensitive: true })
  const first = await ask(entry, 'Backport the changes?', { Yes: 'y', No: 'n' }, 'n')
  if (entry.cancelled) return
  setState(entry, 'running')
  if (first === 'n') return finish(entry, 'failed', 1)
  if (ids.includes('666')) {
    line(entry, '\u001b[31mChange 666 cannot be merged: its tests fail\u001b[0m', { stream: 'stderr' })
    return finish(entry, 'failed', 1)
  }
  status(entry, 'Syncing to test servers')
  for (let i = 1; i <= 40; i++) {
    if (entry.cancelled) return
    progress(entry, 'sync-testservers', Math.min(4, Math.ceil(i / 10)), 4)
    line(entry, `mw-debug${String(i).padStart(4, '0')}.eqiad.wmnet: \u001b[36msynced\u001b[0m in ${i * 7} ms`)
    await sleep(pace)
  }
  const second = await ask(entry, 'Continue with sync?', { Yes: 'y', No: 'n' }, 'n')
  if (entry.cancelled) return
  setState(entry, 'running')
  if (second === 'n') return finish(entry, 'failed', 1)
  status(entry, 'Syncing to production')
  for (let i = 1; i <= 30; i++) {
    if (entry.cancelled) return
    line(entry, `mw${1000 + i}.eqiad.wmnet: synced`)
    await sleep(pace)
  }
  line(entry, '\u001b[1;32mBackport finished\u001b[0m')
  finish(entry, 'succeeded', 0)
}

// MOCK_FLOOD_RATE lines a second (50,000 as the real server's flood in run.mjs; 0: as fast as it can), in
// batches every 10 ms written at once: a cheap stand-in for the server, so the page's side of a flood can
// be measured on a machine too busy for the real server to keep the pace. MOCK_FLOOD_PLAIN=1 writes the
// real server's flood lines (no colours), else each line has a coloured word.
const FLOOD_RATE = Number(process.env.MOCK_FLOOD_RATE ?? 50_000)
const floodLine = (n, count) =>
  process.env.MOCK_FLOOD_PLAIN === '1'
    ? `flood line ${n} of ${count}: the quick brown fox jumps over the lazy dog`
    : `flood line ${n} \u001b[33mof\u001b[0m ${count}: lorem ipsum dolor sit amet`

async function flood(entry, count) {
  setState(entry, 'running')
  status(entry, `Writing ${count} lines`)
  const start = Date.now()
  const batch = FLOOD_RATE > 0 ? Math.max(1, Math.round(FLOOD_RATE / 100)) : 5000
  for (let n = 1; n <= count; n++) {
    if (entry.cancelled) return
    if (n % batch === 1) for (const res of entry.listeners) res.socket?.cork()
    line(entry, floodLine(n, count))
    if (n % batch === 0 || n === count) {
      for (const res of entry.listeners) res.socket?.uncork()
      const due = FLOOD_RATE > 0 ? start + (n / FLOOD_RATE) * 1000 : 0
      await new Promise((resolve) => (due > Date.now() ? setTimeout(resolve, due - Date.now()) : setImmediate(resolve)))
    }
  }
  finish(entry, 'succeeded', 0)
}

function startQueued() {
  const busy = new Set([...jobs.values()].filter((e) => !FINAL.has(e.job.state) && e.job.state !== 'queued').map((e) => e.group))
  for (const entry of [...jobs.values()].sort((a, b) => a.job.id - b.job.id)) {
    if (entry.job.state !== 'queued' || busy.has(entry.group)) continue
    busy.add(entry.group)
    const run = entry.job.command === 'flood' ? flood(entry, Number(process.env.MOCK_FLOOD ?? 1_000_000)) : backport(entry)
    run.catch((error) => console.error(error))
  }
}

// like the server's simulated Gerrit: every change is known (made-up details) except 404
function changeDetails(number) {
  if (number === '404') return null
  const n = Number(number)
  const project = ['mediawiki/core', 'operations/mediawiki-config', 'mediawiki/extensions/Echo'][n % 3]
  const subject = ['Fix fatal error when the user has no edit count', 'Raise $wgMaxArticleSize on testwiki', 'Guard against a null title'][n % 3]
  return {
    number, project, branch: project === 'operations/mediawiki-config' ? 'master' : 'wmf/1.45.0-wmf.4', subject,
    status: n % 3 === 2 ? 'NEW' : 'MERGED',
    commitMessage: `${subject}\n\nSee https://logstash.wikimedia.org/goto/${n}\n\nBug: T${300000 + (n % 99999)}\nChange-Id: I${'0'.repeat(40 - String(n).length)}${n}\n`,
    url: `https://gerrit.wikimedia.org/r/c/${project}/+/${number}`, error: null,
  }
}

function createJob(res, command, parameters, retryOf = null) {
  const id = nextJobId++
  const changes = command === 'backport' ? parameters.changeIds.map(changeDetails) : []
  const job = {
    id, command, parameters, description: command === 'backport' ? `Backport ${parameters.changeIds.join(', ')}` : 'Flood',
    owner: USER, concurrencyGroup: command, state: 'queued', status: null, progress: null, createdAt: now(), startedAt: null,
    finishedAt: null, exitCode: null, cancelledBy: null, reason: null, pendingInteraction: null, lastSeq: 0, lineCount: 0,
    retryOf, changes,
  }
  const entry = { job, events: [], lines: [], listeners: new Set(), group: command, answer: null, cancelled: false }
  jobs.set(id, entry)
  emit(entry, 'state', { state: 'queued', exitCode: null })
  publishOverview('job-created', job)
  startQueued()
  return json(res, 201, job, { Location: `/api/jobs/${id}` })
}

function problem(res, status, kind, title, extra = {}) {
  res.writeHead(status, { 'Content-Type': 'application/problem+json' })
  res.end(JSON.stringify({ type: `https://spiderpig.wikimedia.org/problems/${kind}`, title, status, ...extra }))
}

function json(res, status, body, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

async function body(req) {
  let text = ''
  for await (const chunk of req) text += chunk
  return JSON.parse(text || '{}')
}

const NUMBER = /^[1-9][0-9]{0,8}$/
const URL_ID = /\/(?:\+|c)\/([1-9][0-9]{0,8})(?:\/[0-9]*)?\/?$/

async function handle(req, res) {
  const url = new URL(req.url, 'http://localhost')
  const p = url.pathname
  let m
  if (p === '/api/status') {
    const all = [...jobs.values()].map((e) => e.job)
    return json(res, 200, {
      user: { name: USER, roles: ['VIEWER', 'DEPLOYER'] },
      active: all.filter((j) => j.state === 'running' || j.state === 'awaiting-input'),
      queued: all.filter((j) => j.state === 'queued').sort((a, b) => a.id - b.id),
      links: { gerrit: 'https://gerrit.wikimedia.org/r', phabricator: 'https://phabricator.wikimedia.org' },
    })
  }
  if ((m = /^\/api\/gerrit\/changes\/([^/]+)$/.exec(p))) {
    const text = decodeURIComponent(m[1]).trim()
    const id = NUMBER.test(text) ? text : (URL_ID.exec(text) ?? [])[1]
    if (!id) return problem(res, 400, 'invalid-parameters', 'Invalid parameters', { detail: 'not a change' })
    const details = changeDetails(id)
    return details ? json(res, 200, details) : problem(res, 404, 'unknown-change', 'Unknown change', { detail: `Gerrit does not know change ${id}.` })
  }
  if (p === '/api/jobs' && req.method === 'POST') {
    const request = await body(req)
    const command = request.command
    let parameters = request.parameters ?? {}
    if (command === 'backport') {
      const ids = []
      const errors = []
      ;(parameters.changeIds ?? []).forEach((value, i) => {
        const text = String(value).trim()
        const id = NUMBER.test(text) ? text : (URL_ID.exec(text) ?? [])[1]
        if (!id) errors.push({ field: `parameters.changeIds[${i}]`, value, reason: 'is not a Gerrit change number or change URL' })
        else if (!ids.includes(id)) ids.push(id)
      })
      if (errors.length || ids.length === 0 || ids.length > 20) {
        return problem(res, 400, 'invalid-parameters', 'Invalid parameters', { detail: 'invalid change ids', errors })
      }
      const unknown = ids.filter((id) => changeDetails(id) === null)
      if (unknown.length) {
        return problem(res, 400, 'invalid-parameters', 'Invalid parameters', {
          detail: 'unknown changes',
          errors: unknown.map((value) => ({ field: 'parameters.changeIds', value, reason: 'is not a change Gerrit knows' })),
        })
      }
      parameters = { changeIds: ids }
    } else if (command !== 'flood') {
      return problem(res, 400, 'invalid-parameters', 'Invalid parameters', { errors: [{ field: 'command', value: command, reason: 'unknown' }] })
    }
    return createJob(res, command, parameters)
  }
  if (p === '/api/jobs' && req.method === 'GET') {
    const limit = Math.min(100, Math.max(1, Number(url.searchParams.get('limit') ?? 20)))
    const before = Number(url.searchParams.get('before') ?? Infinity)
    const all = [...jobs.values()].map((e) => e.job).filter((j) => j.id < before).sort((a, b) => b.id - a.id)
    const page = all.slice(0, limit)
    const next = all.length > limit ? `/api/jobs?limit=${limit}&before=${page[page.length - 1].id}` : null
    return json(res, 200, { jobs: page, next })
  }
  if (p === '/api/events') {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
    res.write(': hello\n\n')
    overview.add(res)
    req.on('close', () => overview.delete(res))
    return
  }
  if ((m = /^\/api\/jobs\/(\d+)(\/.*)?$/.exec(p))) {
    const entry = jobs.get(Number(m[1]))
    if (!entry) return problem(res, 404, 'not-found', 'Not found')
    const rest = m[2] ?? ''
    if (rest === '') return json(res, 200, entry.job)
    if (rest === '/events') {
      const after = Number(req.headers['last-event-id'] ?? url.searchParams.get('after') ?? 0)
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' })
      res.flushHeaders()
      for (let i = after; i < entry.events.length; i++) res.write(entry.events[i]) // seq n is events[n-1]
      if (FINAL.has(entry.job.state)) return res.end()
      entry.listeners.add(res)
      req.on('close', () => entry.listeners.delete(res))
      return
    }
    if (rest === '/log') {
      const from = Math.max(1, Number(url.searchParams.get('from') ?? 1))
      const to = Math.min(Number(url.searchParams.get('to') ?? Infinity), entry.lines.length + 1, from + 10_000)
      return json(res, 200, { from, to: Math.max(from, to), size: entry.lines.length, lines: entry.lines.slice(from - 1, Math.max(from - 1, to - 1)) })
    }
    if (rest === '/log/size') return json(res, 200, { lines: entry.lines.length })
    // the stand-in lists no earlier steps: the page builds the later ones from the stream
    if (rest === '/steps') return json(res, 200, { steps: [], lastSeq: entry.events.length, lineCount: entry.lines.length })
    if (rest === '/log.txt') {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Disposition': `attachment; filename="job-${entry.job.id}.log"` })
      return res.end(entry.lines.map((l) => l.text).join('\n') + '\n')
    }
    if (rest === '/cancel' && req.method === 'POST') {
      if (FINAL.has(entry.job.state)) return problem(res, 409, 'job-finished', 'Job finished')
      entry.cancelled = true
      entry.job.cancelledBy = USER
      emit(entry, 'cancel-requested', { by: USER })
      const answer = entry.answer
      entry.answer = null
      setTimeout(() => {
        finish(entry, 'cancelled', 143)
        answer?.(null)
      }, 100)
      return json(res, 202, entry.job)
    }
    if (rest === '/signal' && req.method === 'POST') {
      const { signal } = await body(req)
      if (!['interrupt', 'kill'].includes(signal)) {
        return problem(res, 400, 'invalid-parameters', 'Invalid parameters', { errors: [{ field: 'signal', value: signal, reason: 'is not a signal SpiderPig sends (known: interrupt, kill)' }] })
      }
      if (FINAL.has(entry.job.state)) return problem(res, 409, 'job-finished', 'Job finished')
      if (entry.job.state === 'queued') return problem(res, 409, 'job-not-running', 'Job not running')
      const [name, number] = signal === 'kill' ? ['KILL', 9] : ['INT', 2]
      line(entry, `[spiderpig] ${USER} sent SIG${name} (${signal}) to the job's process group`, { stream: 'stderr' })
      // like the simulator (a JVM), the job ends on either signal
      entry.cancelled = true
      const answer = entry.answer
      entry.answer = null
      setTimeout(() => {
        entry.job.reason = `The command was ended by signal ${number}`
        finish(entry, 'failed', 128 + number)
        answer?.(null)
      }, 100)
      return json(res, 202, entry.job)
    }
    if (rest === '/retry' && req.method === 'POST') {
      if (!FINAL.has(entry.job.state)) return problem(res, 409, 'job-not-finished', 'Job not finished')
      if (entry.job.command !== 'backport') return problem(res, 409, 'not-retryable', 'Job cannot be run again')
      return createJob(res, 'backport', { changeIds: entry.job.parameters.changeIds }, entry.job.id)
    }
    if ((m = /^\/interactions\/(\d+)$/.exec(rest)) && req.method === 'POST') {
      const { response } = await body(req)
      const pending = entry.job.pendingInteraction
      if (!pending || pending.id !== Number(m[1])) {
        const done = entry.answered?.id === Number(m[1]) ? entry.answered : null
        if (done) return problem(res, 409, 'already-answered', 'Already answered', { answeredBy: done.answeredBy, response: done.response, answeredAt: done.answeredAt })
        return problem(res, 404, 'not-found', 'Not found')
      }
      if (!Object.values(pending.choices).includes(response)) {
        return problem(res, 400, 'invalid-response', 'Invalid response', { validResponses: Object.values(pending.choices) })
      }
      Object.assign(pending, { response, answeredBy: USER, answeredAt: now() })
      entry.job.pendingInteraction = null
      entry.answered = pending
      emit(entry, 'interaction-answered', { interaction: pending })
      line(entry, `[spiderpig] ${USER} answered "${response}"`)
      publishOverview('interaction-answered', entry.job, pending)
      const answer = entry.answer
      entry.answer = null
      answer?.(response)
      return json(res, 200, pending)
    }
    return problem(res, 404, 'not-found', 'Not found')
  }
  if (p.startsWith('/api/')) return problem(res, 404, 'not-found', 'Not found')
  // the SPA with history fallback
  const file = path.join(staticDir, path.normalize(p).replace(/^(\.\.[/\\])+/, ''))
  const target = fs.existsSync(file) && fs.statSync(file).isFile() ? file : path.join(staticDir, 'index.html')
  const type = { '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.html': 'text/html' }[path.extname(target)] ?? 'application/octet-stream'
  res.writeHead(200, { 'Content-Type': type })
  fs.createReadStream(target).pipe(res)
}

http
  .createServer((req, res) => handle(req, res).catch((error) => problem(res, 500, 'internal-error', String(error))))
  .listen(port, '127.0.0.1', () => console.log(`mock SpiderPig on http://127.0.0.1:${port}`))
