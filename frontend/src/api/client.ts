import type {
  ApiToken,
  AuditPage,
  ChangeDetails,
  Enrolment,
  Interaction,
  Job,
  JobPage,
  NewToken,
  LogRange,
  Problem,
  ServerStatus,
  SessionInfo,
  StepList,
  TrainParameters,
  TrainStatus,
} from './types'

/** A non-2xx answer; `problem` is the server's RFC 9457 body when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
  ) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`)
    this.name = 'ApiError'
  }

  /** The problem type's last path segment, e.g. `already-answered`. */
  get kind(): string | null {
    const type = this.problem?.type
    return type ? type.substring(type.lastIndexOf('/') + 1) : null
  }
}

/** The CSRF token the server put in the `XSRF-TOKEN` cookie; a signed-in change must echo it. */
export function csrfToken(cookies: string = document.cookie): string | null {
  for (const cookie of cookies.split(';')) {
    const [name, ...value] = cookie.trim().split('=')
    if (name === 'XSRF-TOKEN') return decodeURIComponent(value.join('='))
  }
  return null
}

/** Headers of a request: JSON, and for a change (anything but GET/HEAD) the CSRF token when there is one. */
export function requestHeaders(init?: RequestInit, cookies?: string): Record<string, string> {
  const method = (init?.method ?? 'GET').toUpperCase()
  const token = method === 'GET' || method === 'HEAD' ? null : csrfToken(cookies)
  return {
    Accept: 'application/json',
    ...(init?.body ? { 'Content-Type': 'application/json' } : {}),
    ...(token ? { 'X-XSRF-TOKEN': token } : {}),
    ...(init?.headers as Record<string, string> | undefined),
  }
}

/** fetch itself failed: no answer came (the server is down, or the network). */
export function isUnreachable(error: unknown): boolean {
  return error instanceof TypeError
}

/** What a failed action tells the user: the server's own words, or that it could not be reached and what did not happen. */
export function failureMessage(error: unknown, notDone: string): string {
  return isUnreachable(error) ? `Could not reach the server — ${notDone}.` : (error as Error).message
}

/** Called when the server answers 401 to anything but the sign-in itself: the app then shows its sign-in page. */
export const whenSignedOut: { handler: (() => void) | null } = { handler: null }

async function request<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, { ...init, headers: requestHeaders(init) })
  if (response.status === 401 && !url.startsWith('/api/session')) whenSignedOut.handler?.()
  if (response.status === 204) return undefined as T
  if (!response.ok) {
    let problem: Problem | null = null
    try {
      problem = (await response.json()) as Problem
    } catch {
      problem = null
    }
    throw new ApiError(response.status, problem)
  }
  return (await response.json()) as T
}

function post<T>(url: string, body: unknown): Promise<T> {
  return request<T>(url, { method: 'POST', body: JSON.stringify(body) })
}

export const api = {
  session: () => request<SessionInfo>('/api/session'),
  status: () => request<ServerStatus>('/api/status'),
  jobs: (url = '/api/jobs?limit=20') => request<JobPage>(url),
  job: (id: number) => request<Job>(`/api/jobs/${id}`),
  startBackport: (changeIds: string[]) => post<Job>('/api/jobs', { command: 'backport', parameters: { changeIds } }),
  trainStatus: () => request<TrainStatus>('/api/train/status'),
  startTrain: (parameters: TrainParameters) => post<Job>('/api/jobs', { command: 'train', parameters }),
  cancel: (id: number) => post<Job>(`/api/jobs/${id}/cancel`, {}),
  signal: (id: number, signal: 'interrupt' | 'kill') => post<Job>(`/api/jobs/${id}/signal`, { signal }),
  retry: (id: number) => post<Job>(`/api/jobs/${id}/retry`, {}),
  changePreview: (change: string, signal?: AbortSignal) =>
    request<ChangeDetails>(`/api/gerrit/changes/${encodeURIComponent(change)}`, { signal }),
  answer: (jobId: number, interactionId: number, response: string) =>
    post<Interaction>(`/api/jobs/${jobId}/interactions/${interactionId}`, { response }),
  /** `unmasked` asks for the output as it was, secrets and all (only for the role that may; audited). */
  logRange: (id: number, from: number, to: number, signal?: AbortSignal, unmasked = false) =>
    request<LogRange>(`/api/jobs/${id}/log?from=${from}&to=${to}${unmasked ? '&unmasked=true' : ''}`, { signal }),
  steps: (id: number) => request<StepList>(`/api/jobs/${id}/steps`),
  /** Plain text unless `colours`: then the lines keep their ANSI escapes. */
  logDownloadUrl: (id: number, colours = false, unmasked = false) => {
    const query = [colours ? '' : 'ansi=strip', unmasked ? 'unmasked=true' : ''].filter(Boolean).join('&')
    return `/api/jobs/${id}/log.txt${query ? `?${query}` : ''}`
  },
  jobEventsUrl: (id: number) => `/api/jobs/${id}/events`,
  serverEventsUrl: () => '/api/events',
  signIn: (user: string, password: string) => post<SessionInfo>('/api/session', { user, password }),
  secondFactor: (code: string) => post<SessionInfo>('/api/session/second-factor', { code }),
  beginEnrolment: () => post<Enrolment>('/api/session/second-factor/enrolment', {}),
  signOut: () => request<void>('/api/session', { method: 'DELETE' }),
  audit: (url: string) => request<AuditPage>(url),
  signEveryoneOut: () => request<{ signedOut: number }>('/api/sessions', { method: 'DELETE' }),
  tokens: () => request<{ tokens: ApiToken[] }>('/api/tokens'),
  createToken: (token: NewToken) => post<ApiToken>('/api/tokens', token),
  revokeToken: (id: number) => request<void>(`/api/tokens/${id}`, { method: 'DELETE' }),
}
