/** The typed configuration that every module works from, and the domain's fixed words. */

export const ENVIRONMENTS = ['sandbox', 'pre-release', 'live'] as const
export type Environment = (typeof ENVIRONMENTS)[number]

export const isEnvironment = (value: string): value is Environment => (ENVIRONMENTS as readonly string[]).includes(value)

export const OPERATIONS = ['list', 'active', 'publish', 'merge', 'promote', 'rollback', 'wait', 'release'] as const
export type Operation = (typeof OPERATIONS)[number]

export const REGIONS: Record<string, string> = {
  us: 'https://api.us.poly.ai',
  uk: 'https://api.uk.poly.ai',
  eu: 'https://api.eu.poly.ai',
  studio: 'https://api.studio.poly.ai',
  dev: 'https://api.dev.poly.ai'
}

/** What every operation's configuration holds. */
export interface CommonConfig {
  /** The agent this run of the operation is for: one of agentIds. */
  agentId: string
  /** Every agent named; more than one makes a fleet. */
  agentIds: string[]
  operation: Operation
  /** The operation's environment after its per-operation default; undefined where it has none. */
  environment?: Environment
  /** The deployment to promote, to roll back to, or to start a release from. */
  deploymentId?: string
  message: string
  /** Whether `message` is the input's; else it is the default, which names the workflow run. */
  messageGiven: boolean
  /** GITHUB_RUN_ID: the same for every attempt of a workflow run, so a re-run can know its own earlier work. */
  runId?: string
  /** GITHUB_RUN_ATTEMPT: 1 on a workflow run's first attempt, more on a re-run. */
  runAttempt: number
  baseUrl: string
  waitForTests: boolean
  testRunIds: string[]
  timeoutMs: number
  pollIntervalMs: number
  requestTimeoutMs: number
  failOnTestFailure: boolean
  rollbackOnFailure: boolean
  ifUnchanged: 'pass' | 'fail'
  /** What a publish, merge or promote that triggered no test run means for the step. */
  ifNoTests: 'pass' | 'fail'
  /** Let a promote put an older build over a newer one. */
  allowDowngrade: boolean
  /** The Agent Studio branch to merge (merge, release), by name or ID. */
  branch?: string
  /** How merge conflicts end: fail the step, or resolve every one with this strategy. */
  mergeConflicts: 'fail' | 'ours' | 'theirs' | 'base'
  limit: number
  /** Resolve and report everything, write nothing. */
  dryRun: boolean
  maxParallel: number
  failFast: boolean
  /** Mirror each change as a GitHub Deployment; undefined when github-deployment is false. */
  github?: GitHubSettings
}

/** What each operation's configuration holds beyond the common part, as readConfig checked it. */
export type OperationConfig =
  | { operation: 'list'; environment: Environment }
  | { operation: 'active'; environment?: Environment }
  | { operation: 'publish'; environment: Environment }
  | { operation: 'merge'; environment?: undefined; branch: string }
  | { operation: 'promote'; environment: PromoteTarget }
  | { operation: 'rollback'; environment: Environment; deploymentId?: undefined }
  | { operation: 'rollback'; environment?: Environment; deploymentId: string }
  | { operation: 'wait'; environment?: Environment }
  | { operation: 'release'; environment: Environment }

export type Config = CommonConfig & OperationConfig
export type ConfigFor<O extends Operation> = Extract<Config, { operation: O }>

/** A promote's target: sandbox is only ever published to. */
export const PROMOTE_TARGETS = ['pre-release', 'live'] as const
export type PromoteTarget = (typeof PROMOTE_TARGETS)[number]

export interface GitHubSettings {
  token: string
  /** The GitHub environment is this prefix followed by the PolyAI environment. */
  environmentPrefix: string
}

/** The environment one rung below a promote's target, whose active deployment it takes by default. */
export function rungBelow(target: PromoteTarget): Environment {
  return ENVIRONMENTS[ENVIRONMENTS.indexOf(target) - 1]
}
