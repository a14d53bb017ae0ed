// Single sign-on in the browser: a second server signs people in through an OpenID provider, and two of them
// race to answer one prompt. The provider is a small one written here rather than mock-oauth2-server's jar:
// that jar needs its Kotlin and OkHttp classpath assembled from ~/.m2, where this one is plain node. It is still
// the real authorization-code flow: discovery, a login form, codes bound to the client and redirect URI, PKCE
// when asked, and ID tokens signed with RS256 that the server checks against the provider's published key.
import crypto from 'node:crypto'
import http from 'node:http'
import { TIMEOUT, assert, freePort, promptText, startServer, yesButton } from './support.mjs'

const CLIENT_ID = 'spiderpig-e2e'
const CLIENT_SECRET = crypto.randomBytes(18).toString('base64url')
const GROUPS = { alice: ['deployers'], bob: ['deployers', 'wiki-editors'] }

const b64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url')
const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

async function startProvider() {
  const port = await freePort()
  const issuer = `http://127.0.0.1:${port}`
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
  const kid = crypto.randomBytes(6).toString('hex')
  const codes = new Map()

  const idToken = (user, nonce) => {
    const now = Math.floor(Date.now() / 1000)
    const header = b64url({ alg: 'RS256', typ: 'JWT', kid })
    const claims = b64url({
      iss: issuer, sub: `sub-${user}`, aud: CLIENT_ID, iat: now, exp: now + 300, auth_time: now,
      ...(nonce ? { nonce } : {}), preferred_username: user, groups: GROUPS[user] ?? [],
    })
    const signature = crypto.sign('sha256', Buffer.from(`${header}.${claims}`), privateKey).toString('base64url')
    return `${header}.${claims}.${signature}`
  }

  const body = (request) => new Promise((resolve) => {
    let text = ''
    request.on('data', (chunk) => (text += chunk))
    request.on('end', () => resolve(new URLSearchParams(text)))
  })
  const json = (response, status, value) => {
    response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
    response.end(JSON.stringify(value))
  }

  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url, issuer)
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(response, 200, {
        issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'], scopes_supported: ['openid', 'profile', 'email'],
        code_challenge_methods_supported: ['S256'],
      })
    }
    if (url.pathname === '/jwks') {
      return json(response, 200, { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] })
    }
    if (url.pathname === '/authorize' && request.method === 'GET') {
      // the provider's sign-in form: the flow's parameters ride along in hidden fields
      const hidden = [...url.searchParams].map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
      return response.end(`<!doctype html><title>Test IdP</title><form method="post" action="/authorize">${hidden.join('')}
        <label>User <input name="username" data-testid="idp-user"></label><button data-testid="idp-sign-in">Sign in</button></form>`)
    }
    if (url.pathname === '/authorize' && request.method === 'POST') {
      const form = await body(request)
      if (form.get('client_id') !== CLIENT_ID || form.get('response_type') !== 'code') return json(response, 400, { error: 'invalid_request' })
      const code = crypto.randomBytes(16).toString('base64url')
      codes.set(code, { user: form.get('username'), nonce: form.get('nonce'), redirectUri: form.get('redirect_uri'),
        challenge: form.get('code_challenge') })
      const back = new URL(form.get('redirect_uri'))
      back.searchParams.set('code', code)
      back.searchParams.set('state', form.get('state'))
      response.writeHead(302, { Location: back.toString() })
      return response.end()
    }
    if (url.pathname === '/token' && request.method === 'POST') {
      const form = await body(request)
      const [id, secret] = Buffer.from((request.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':')
      if (decodeURIComponent(id ?? '') !== CLIENT_ID || decodeURIComponent(secret ?? '') !== CLIENT_SECRET) {
        return json(response, 401, { error: 'invalid_client' })
      }
      const grant = codes.get(form.get('code'))
      codes.delete(form.get('code'))
      const verifier = form.get('code_verifier')
      if (!grant || grant.redirectUri !== form.get('redirect_uri')
          || (grant.challenge && crypto.createHash('sha256').update(verifier ?? '').digest('base64url') !== grant.challenge)) {
        return json(response, 400, { error: 'invalid_grant' })
      }
      return json(response, 200, { access_token: crypto.randomBytes(16).toString('base64url'), token_type: 'Bearer',
        expires_in: 300, scope: 'openid', id_token: idToken(grant.user, grant.nonce) })
    }
    json(response, 404, { error: 'not_found' })
  })
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve))
  return { issuer, stop: () => new Promise((resolve) => server.close(resolve)) }
}

/** A browser of its own that signs in through the provider as `user` and ends on the web UI. */
async function signedInContext(ctx, server, user) {
  const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 720 } })
  context.setDefaultTimeout(TIMEOUT)
  const page = await context.newPage()
  page.on('pageerror', (error) => ctx.consoleErrors.push(`${user}'s page: uncaught ${error.message}`))
  await page.goto(server.baseUrl + '/')
  await page.click('[data-testid="sign-in-oidc"]:has-text("Sign in with Wikimedia (test)")')
  await page.fill('[data-testid="idp-user"]', user)
  await page.click('[data-testid="idp-sign-in"]')
  await page.waitForURL(`${server.baseUrl}/`)
  const session = await (await page.request.get(`${server.baseUrl}/api/session`)).json()
  assert(session.user === user && session.roles.includes('DEPLOYER'), `${user} is not a signed-in deployer: ${JSON.stringify(session)}`)
  return { context, page }
}

async function noButton(page) {
  for (const button of await page.$$('[data-testid="prompt"] button[data-testid^="choice-"]')) {
    if (/^\s*no/i.test(await button.textContent())) return button
  }
  throw new Error('the prompt has no "No" choice')
}

export const tests = [
  {
    name: 'single sign-on: two people answer one prompt, and the one who lost is told who won',
    // it starts a server of its own, which alone may take up to 4 min on a busy machine (startServer)
    timeoutMs: 420_000,
    async run(ctx) {
      const provider = await startProvider()
      let server = null
      const contexts = []
      const previous = ctx.cleanup
      ctx.cleanup = async () => {
        await previous?.()
        for (const context of contexts) await context.close().catch(() => undefined)
        await server?.stop()
        await provider.stop()
      }
      server = await startServer([
        `--spiderpig.security.oidc.issuer=${provider.issuer}`,
        `--spiderpig.security.oidc.client-id=${CLIENT_ID}`,
        '--spiderpig.security.oidc.provider-name=Wikimedia (test)',
      ], { SPIDERPIG_SECURITY_OIDC_CLIENT_SECRET: CLIENT_SECRET })

      const alice = await signedInContext(ctx, server, 'alice')
      const bob = await signedInContext(ctx, server, 'bob')
      contexts.push(alice.context, bob.context)

      const xsrf = (await alice.context.cookies(server.baseUrl)).find((c) => c.name === 'XSRF-TOKEN')?.value
      const started = await alice.page.request.post(`${server.baseUrl}/api/jobs`, {
        data: { command: 'backport', parameters: { changeIds: ['12345'] } }, headers: { 'X-XSRF-TOKEN': xsrf },
      })
      assert(started.status() === 201, `alice could not start a backport: ${started.status()} ${await started.text()}`)
      const jobId = (await started.json()).id

      // bob's page hears nothing after its first look (its event stream is held), so the prompt stays on his
      // screen after alice answered, as it would for someone a moment too slow
      await bob.context.route('**/api/jobs/*/events**', () => undefined)
      await alice.page.goto(`${server.baseUrl}/jobs/${jobId}`)
      await promptText(alice.page, 'Backport the changes?')
      await bob.page.goto(`${server.baseUrl}/jobs/${jobId}`)
      await promptText(bob.page, 'Backport the changes?')

      await (await yesButton(alice.page)).click()
      // alice's page tells her answer until the job's next prompt takes its place: at the simulator's fast pace
      // 0.3 s later, and on a busy machine her answer's reply may land after that prompt (the server's record
      // of who answered is checked below)
      const told = '[data-testid="answered-note"]:has-text("You answered Yes"), [data-testid="prompt"]:has-text("Continue with sync?")'
      await alice.page.waitForSelector(told).catch(async (error) => {
        // say what the page and the server showed instead, so that a failure here can be told apart
        const shown = await alice.page.textContent('main').catch(() => '(no main)')
        const kept = await (await alice.page.request.get(`${server.baseUrl}/api/jobs/${jobId}/interactions`)).text()
        throw new Error(`${error.message}\nalice's page shows: ${shown?.replace(/\s+/g, ' ').slice(0, 1500)}\nthe server kept: ${kept}`)
      })
      await (await noButton(bob.page)).click()

      const note = await bob.page.waitForSelector('[data-testid="lost-race"]')
      const text = (await note.textContent()).replace(/\s+/g, ' ').trim()
      assert(/^alice answered Yes .* first; your No .* was not sent\.$/.test(text), `bob's page says: ${text}`)
      assert((await bob.page.$('.cdx-message--error')) === null, 'bob sees an error box instead of the note')
      const { interactions } = await (await alice.page.request.get(`${server.baseUrl}/api/jobs/${jobId}/interactions`)).json()
      assert(interactions[0].answeredBy === 'alice' && interactions[0].response === 'y',
        `the server kept ${JSON.stringify(interactions[0])}`)
    },
  },
]
