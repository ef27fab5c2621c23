// Types for emulator/server.js, so TypeScript tests can drive the emulator.

export type Environment = 'sandbox' | 'pre-release' | 'live'

export type TestOutcome = 'pass' | 'fail' | 'error' | 'hang' | 'timed_out'

export interface TestPlan {
  /** Runs triggered per deployment call into the environment (default 2; 0 = none). */
  runs?: number
  /** Test cases per run (default 3). */
  cases?: number
  /** How long each case takes; cases finish one by one (default 100). */
  caseMs?: number
  /** How long a run stays 'pending' first (default 0). */
  startDelayMs?: number
  /** Default 'pass'. fail/error: the last case fails/errors; hang: the last case never finishes; timed_out: the last case errors and the run ends 'timed_out'. */
  outcome?: TestOutcome
  /** The status a finished run reports (default 'completed'); any string, to model statuses no source names. */
  finalStatus?: string
  /** Names of the cases, in order (`testCaseSnapshot.name`); the default names them by number. */
  caseNames?: string[]
  /** When the cases end within the run (emulator/run-shapes.js, seeded by the run's place); default one every caseMs. */
  shape?: import('./run-shapes.js').Shape
  /** 0-based indexes of the runs that get `outcome`; the others pass. Default: all runs. */
  failRuns?: number[]
  /** The run answers 404 for this long after it was created (default 0). */
  notFoundForMs?: number
  /** Per-run total duration, overriding caseMs for that run. */
  durationsMs?: number[]
}

/** The calls that may start test runs. */
export type Trigger = 'publish' | 'merge' | 'promote' | 'rollback'

export interface AgentOptions {
  /** The draft's version hash; default a random 32-hex hash. */
  draftVersion?: string
  /** Which calls start test runs; by default as recorded: publish and merge do, promote and rollback do not. */
  triggers?: Partial<Record<Trigger, boolean>>
  /** Where a merge lands: a new sandbox deployment (`deploy`, the default) or only main's draft (`draft`). */
  mergeMode?: 'deploy' | 'draft'
  /** Simplified deployments: merges land in live, sandbox is frozen, promotes are never refused, rollbacks land in live. */
  simplified?: boolean
  /**
   * Whether a publish's or a merge's deployment keeps the message sent with it (default true). Only a
   * promote's is recorded kept, and a rollback's was not: false leaves theirs out of `metadata`.
   */
  keepsMessages?: boolean
  /**
   * Rollbacks as the ADK says the platform takes them: only in sandbox (live on a simplified
   * project); elsewhere a 400. Default false, as the quickstart says: any environment.
   */
  rollbackOnlyInSandbox?: boolean
  /** The most runs one page of the run list holds, whatever `limit` asks: no source gives a maximum. Default none. */
  runPageCap?: number
  /** Whether a publish's answer names the runs it started (default true); false leaves `testRunIds` out, as the contract allows. */
  publishNamesRuns?: boolean
  /** Per environment, or `all` for every environment; an environment's own plan wins over `all`. */
  testPlan?: Partial<Record<Environment | 'all', TestPlan>>
}

export interface EmulatorOptions {
  /** Default 0: any free port. */
  port?: number
  /** Default '127.0.0.1'. */
  host?: string
  /** Default 'test-api-key'. */
  apiKey?: string
  /** Options per agent ID; any other agent ID is created with defaults on first use. */
  agents?: Record<string, AgentOptions>
  /** Requests beyond this many in a one-second window get 429 RATE_LIMITED with Retry-After: 1. */
  rateLimit?: { perSecond: number }
  /** The server's clock minus the runner's (default 0): every timestamp the API gives is shifted by it. */
  clockOffsetMs?: number
}

export interface MergeConflict {
  path: string[]
  type: 'add' | 'modify' | 'delete'
  baseValue?: unknown
  oursValue?: unknown
  theirsValue?: unknown
}

export interface Branch {
  branchId: string
  name: string
  parentBranchId: string | null
  parentSequence: string | null
  isDiverged: boolean
}

export interface Deployment {
  id: string
  accountId: string
  agentId: string
  environment: Environment
  artifactVersion: string
  version: string
  createdBy: string
  createdAt: string
  /** null in a rollback's answer, as recorded; left out of lists then. */
  metadata?: Record<string, string> | null
}

export interface TestCaseResult {
  testCaseId: string
  status: 'passed' | 'failed' | 'error'
  testCaseSnapshot: { name: string }
  results: {
    prompt_assertion_results: { prompt: string; is_pass: boolean; reason: string }[]
    function_call_failures: { name: string; is_pass: boolean; failure_reason: string; error: string }[]
  }
  rawConversation: { id: string; turns: { user_input: string; agent_response: string; function_calls: unknown[] }[] }
}

/** As ../shared/API.md describes a run: no finish time, no link to the deployment that started it. */
export interface TestRun {
  id: string
  status: string
  passedCount: number
  failedCount: number
  errorCount: number
  testCaseCount: number
  startedAt: string
  startedBy: string
  /** Only the cases finished so far, in order. */
  testHistory: TestCaseResult[]
}

export interface RequestLogEntry {
  method: string
  /** Without the query, still percent-encoded. */
  path: string
  query: Record<string, string>
  /** Parsed JSON, the raw text when it is not JSON, or null when there is none. */
  body: unknown
  /** null until answered (and for dropped or hung requests). */
  status: number | null
  /** Lowercased names; x-api-key is '<redacted>'. */
  headers: Record<string, string | string[] | undefined>
  /** ms timestamp of arrival. */
  at: number
  /** On the server's clock (see clockOffsetMs): when it acted on the request, or when it arrived if it was not acted on. */
  serverAt: number
  agentId?: string
  createdDeploymentId?: string
}

interface FaultMatch {
  method?: 'GET' | 'POST'
  /** Matched against the path without the query; a string is a regex source. */
  path?: RegExp | string
  /** Default 1; Infinity allowed. */
  times?: number
}

export type Fault = FaultMatch & (
  | { kind: 'status'; status: number; errorCode?: string; retryAfter?: string }
  | { kind: 'act-then-status'; status: number; errorCode?: string; retryAfter?: string }
  /** A gateway gives up at once (502, 504) while the API goes on and acts `afterMs` later. */
  | { kind: 'status-then-act'; status: number; afterMs: number }
  | { kind: 'drop' }
  | { kind: 'act-then-drop' }
  | { kind: 'hang' }
  | { kind: 'act-then-hang' }
  | { kind: 'redirect'; location: string; status?: number }
  | { kind: 'body'; body: string; status?: number; contentType?: string }
  | { kind: 'delay'; ms: number }
)

export interface Emulator {
  /** e.g. http://127.0.0.1:43123 */
  readonly url: string
  /** Every request received, oldest first. */
  readonly requests: RequestLogEntry[]
  /** Request bodies that failed the contract, and responses of the emulator's own that did. */
  readonly contractViolations: string[]
  /** Requests answered 429 by the rate limit. */
  readonly throttled: number
  /** The most requests that were open at the same moment. */
  readonly mostInFlight: number
  /** The POST requests that created a deployment, whatever they were answered. */
  writes(agentId?: string): RequestLogEntry[]
  /** Merges options into the agent; each environment's plan given replaces its earlier one. */
  configureAgent(agentId: string, options: AgentOptions): void
  setDraft(agentId: string, version: string): void
  /** Records a deployment and makes it active, without test runs. The version defaults to a fresh hash. */
  seedDeployment(
    agentId: string,
    environment: Environment,
    fields?: { version?: string; message?: string; createdAt?: string | number | Date; builtAt?: string | number | Date }
  ): Deployment
  /** Starts runs shaped by the environment's plan as if a call had triggered them at `startedAt` (server clock); their IDs. */
  seedTestRuns(agentId: string, environment: Environment, startedAt: string | number | Date): string[]
  /** Opens a Studio branch off main; a merge must resolve each conflict given. */
  addBranch(agentId: string, name: string, fields?: { conflicts?: MergeConflict[] }): Branch & { conflicts: MergeConflict[] }
  /** main first, then the open branches; a merged branch leaves the list. */
  branches(agentId: string): Branch[]
  /** The server's clock, in ms. */
  now(): number
  /** Moves the server's clock against the runner's. */
  setClockOffset(ms: number): void
  /** Newest first. */
  deployments(agentId: string, environment?: Environment): Deployment[]
  active(agentId: string): Record<Environment, Deployment | null>
  /** The run as it stands now (ignoring its 404 window), or null when unknown. */
  testRun(agentId: string, testRunId: string): TestRun | null
  /** When the run's last case finishes, on the server's clock; null when it never does or is unknown. */
  runFinishesAt(agentId: string, testRunId: string): number | null
  /** Calls `observer` as each request arrives and once the server has acted on it (before any answer); returns a function that stops it. */
  observe(observer: (entry: RequestLogEntry, phase: 'arrived' | 'acted') => void): () => void
  injectFault(fault: Fault): void
  clearFaults(): void
  /** Clears all state, faults, logs and violations; the agents given at start are configured again. */
  reset(): void
  /** Stops the server and destroys every open socket, hung ones included. */
  close(): Promise<void>
}

export function startEmulator(options?: EmulatorOptions): Promise<Emulator>
