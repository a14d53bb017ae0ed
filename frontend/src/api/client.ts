import type { ChangeDetails, Interaction, Job, JobPage, LogRange, Problem, ServerStatus } from './types'

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

async function request<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, {
    ...init,
    headers: { Accept: 'application/json', ...(init?.body ? { 'Content-Type': 'application/json' } : {}), ...init?.headers },
  })
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
  status: () => request<ServerStatus>('/api/status'),
  jobs: (url = '/api/jobs?limit=20') => request<JobPage>(url),
  job: (id: number) => request<Job>(`/api/jobs/${id}`),
  startBackport: (changeIds: string[]) => post<Job>('/api/jobs', { command: 'backport', parameters: { changeIds } }),
  cancel: (id: number) => post<Job>(`/api/jobs/${id}/cancel`, {}),
  signal: (id: number, signal: 'interrupt' | 'kill') => post<Job>(`/api/jobs/${id}/signal`, { signal }),
  retry: (id: number) => post<Job>(`/api/jobs/${id}/retry`, {}),
  changePreview: (change: string, signal?: AbortSignal) =>
    request<ChangeDetails>(`/api/gerrit/changes/${encodeURIComponent(change)}`, { signal }),
  answer: (jobId: number, interactionId: number, response: string) =>
    post<Interaction>(`/api/jobs/${jobId}/interactions/${interactionId}`, { response }),
  logRange: (id: number, from: number, to: number, signal?: AbortSignal) =>
    request<LogRange>(`/api/jobs/${id}/log?from=${from}&to=${to}`, { signal }),
  logDownloadUrl: (id: number) => `/api/jobs/${id}/log.txt`,
  jobEventsUrl: (id: number) => `/api/jobs/${id}/events`,
  serverEventsUrl: () => '/api/events',
}
