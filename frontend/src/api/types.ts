// The shapes of docs/api.md, as the browser sees them.

export type JobState =
  | 'queued'
  | 'running'
  | 'awaiting-input'
  | 'succeeded'
  | 'failed'
  | 'cancelled'
  | 'interrupted'

export const FINAL_STATES: ReadonlySet<JobState> = new Set(['succeeded', 'failed', 'cancelled', 'interrupted'])

export function isFinal(state: JobState): boolean {
  return FINAL_STATES.has(state)
}

export interface Progress {
  name: string | null
  totalTasks: number
  tasksInFlight: number
  tasksFinishedOk: number
  tasksFinishedFailed: number
  tasksFinishedTotal: number
  tasksPercentComplete: number
  tasksRemaining: number
  progressFinished: boolean
}

export interface Interaction {
  id: number
  jobId: number
  kind: 'choices' | 'input_line'
  prompt: string
  /** label → key, in display order */
  choices: Record<string, string> | null
  default: string | null
  openedAt: string
  response: string | null
  answeredBy: string | null
  answeredAt: string | null
  closedReason: string | null
  closedAt: string | null
}

export interface Job {
  id: number
  command: string
  parameters: Record<string, unknown>
  description: string
  owner: string
  /** jobs of one group run one at a time */
  concurrencyGroup?: string
  state: JobState
  status: string | null
  progress: Progress | null
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
  exitCode: number | null
  cancelledBy: string | null
  reason: string | null
  pendingInteraction: Interaction | null
  lastSeq: number
  lineCount: number
  /** the job this one runs again */
  retryOf?: number | null
  /** what Gerrit said about the job's changes when it was created */
  changes?: ChangeDetails[]
}

/** A Gerrit change as the server recorded or previewed it; only `number` and `error` when Gerrit could not answer. */
export interface ChangeDetails {
  number: string
  project: string | null
  branch: string | null
  subject: string | null
  status: string | null
  commitMessage: string | null
  url: string | null
  error?: string | null
}

/** `GET /api/train/status`: where the weekly train is; a source that failed is a warning. */
export interface TrainStatus {
  trainVersion: string | null
  previousVersion: string | null
  groups: TrainGroup[]
  blocker: TrainBlocker | null
  warnings: TrainWarning[]
}

/** `version`: the one version all its wikis are on, null when split; `versions`: wikis per version, newest first. */
export interface TrainGroup {
  name: string
  wikis: number
  version: string | null
  versions: Record<string, number>
  rolled: boolean
}

export interface TrainBlocker {
  version: string
  taskId: string | null
  status: string | null
  date: string | null
  url: string | null
}

export interface TrainWarning {
  source: string
  message: string
}

export interface TrainParameters {
  group: string
  version: string
  oldVersion: string
  excludedWikis: string[]
}

/** Where pages link changes and tasks to. */
export interface ServerLinks {
  gerrit: string
  phabricator: string
}

/** `GET /api/session`: who is signed in, and whether the server runs in local mode (no sign-in). */
export interface SessionInfo {
  user: string | null
  roles: string[]
  localMode: boolean
  /** whether the caller may read output unmasked (`?unmasked=true`); absent from older servers */
  mayUnmask?: boolean
  /** verify/enrol: signed in half-way, the code (or the enrolment) is owed; enrolled/not-enrolled: signed in. */
  secondFactor?: 'verify' | 'enrol' | 'enrolled' | 'not-enrolled' | null
  /** how to sign in: `password` POSTs to `start`; `oidc` is a page navigation to `start` */
  signInMethods?: SignInMethod[]
}

export interface SignInMethod {
  type: 'password' | 'oidc'
  name: string
  start: string
}

/** A begun enrolment of the TOTP second factor: shown once. */
export interface Enrolment {
  secret: string
  uri: string
  qrCodeSvg: string
}

export interface AuditEntry {
  id: number
  at: string
  user: string
  action: string
  address: string | null
  jobId: number | null
  detail: string | null
}

/** A personal API token as `GET /api/tokens` lists it; `token` (the secret) only in the answer that made it. */
export interface ApiToken {
  id: number
  name: string
  owner: string
  role: string
  createdAt: string
  expiresAt: string | null
  lastUsedAt: string | null
  token?: string
}

export interface NewToken {
  name: string
  role: string
  days: number
}

export interface AuditPage {
  entries: AuditEntry[]
  next: string | null
}

export interface User {
  name: string
  roles: string[]
}

export interface ServerStatus {
  user: User
  active: Job[]
  queued: Job[]
  links?: ServerLinks
}

export interface JobPage {
  jobs: Job[]
  next: string | null
}

export interface LogLine {
  line: number
  ts: string
  stream: 'stdout' | 'stderr'
  text: string
  sensitive: boolean
}

export interface LogRange {
  from: number
  to: number
  size: number
  lines: LogLine[]
}

/** A step of a job: one status its command reported (`GET /api/jobs/{id}/steps`). */
export interface Step {
  seq: number
  status: string
  startedAt: string
  /** the line number the step's first output line has (or would have) */
  firstLine: number
  endedAt: string | null
  lastLine: number | null
  failedTasks: number
}

export interface StepList {
  steps: Step[]
  lastSeq: number
  lineCount: number
}

export interface Problem {
  type: string
  title: string
  status: number
  detail?: string
  instance?: string
  errors?: { field: string; value: unknown; reason: string }[]
  answeredBy?: string
  response?: string
  answeredAt?: string
  validResponses?: string[]
  [key: string]: unknown
}

/** Events of one job's stream (`GET /api/jobs/{id}/events`). */
export type JobEvent =
  | { type: 'line'; seq: number; ts: string; line: number; stream: 'stdout' | 'stderr'; text: string; sensitive: boolean }
  | { type: 'status'; seq: number; ts: string; status: string }
  | { type: 'progress'; seq: number; ts: string; progress: Progress }
  | { type: 'interaction'; seq: number; ts: string; interaction: Interaction }
  | { type: 'interaction-answered'; seq: number; ts: string; interaction: Interaction }
  | { type: 'interaction-closed'; seq: number; ts: string; interaction: Interaction }
  | { type: 'cancel-requested'; seq: number; ts: string; by: string }
  | { type: 'state'; seq: number; ts: string; state: JobState; exitCode: number | null }
  | { type: 'end'; seq: number; ts: string; state: JobState; exitCode: number | null }

export const JOB_EVENT_TYPES = [
  'line',
  'status',
  'progress',
  'interaction',
  'interaction-answered',
  'interaction-closed',
  'cancel-requested',
  'state',
  'end',
] as const

/** Events of the overview stream (`GET /api/events`). */
export const SERVER_EVENT_TYPES = [
  'job-created',
  'job-updated',
  'interaction',
  'interaction-answered',
  'job-finished',
] as const

export type ServerEventType = (typeof SERVER_EVENT_TYPES)[number]

export interface ServerEvent {
  type: ServerEventType
  job: Job
  interaction?: Interaction
}
