/** The typed configuration that every module works from, and the domain's fixed words. */

export const ENVIRONMENTS = ['sandbox', 'pre-release', 'live'] as const
export type Environment = (typeof ENVIRONMENTS)[number]

export const OPERATIONS = ['list', 'active', 'publish', 'merge', 'promote', 'rollback', 'wait', 'release'] as const
export type Operation = (typeof OPERATIONS)[number]

export const REGIONS: Record<string, string> = {
  us: 'https://api.us.poly.ai',
  uk: 'https://api.uk.poly.ai',
  eu: 'https://api.eu.poly.ai',
  studio: 'https://api.studio.poly.ai',
  dev: 'https://api.dev.poly.ai'
}

export interface Config {
  /** The agent this run of the operation is for: one of agentIds. */
  agentId: string
  /** Every agent named; more than one makes a fleet. */
  agentIds: string[]
  operation: Operation
  /** The operation's environment after its per-operation default; undefined where it has none. */
  environment?: Environment
  deploymentId?: string
  message: string
  /** GITHUB_RUN_ID: the same for every attempt of a workflow run, so a re-run can know its own earlier work. */
  runId?: string
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

export interface GitHubSettings {
  token: string
  /** The GitHub environment is this prefix followed by the PolyAI environment. */
  environmentPrefix: string
}

/** The environment one rung below, whose active deployment a promote takes by default. */
export function rungBelow(environment: Environment): Environment | undefined {
  const index = ENVIRONMENTS.indexOf(environment)
  return index > 0 ? ENVIRONMENTS[index - 1] : undefined
}
