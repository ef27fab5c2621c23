import type { ApiClient } from '../api/client.js'
import type { GitHubMirror } from '../github/mirror.js'
import type { ActiveByEnvironment, Deployment } from '../api/shapes.js'
import type { Config, Environment, Operation } from '../config.js'
import type { RunReport, Verdict } from '../gate/verdict.js'

/** What every operation is given, and the record of what it did, filled in as it goes. */

export interface Log {
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
}

export interface Context {
  config: Config
  client: ApiClient
  signal: AbortSignal
  log: Log
  /** Sets one step output at once, so later steps see it even if this one fails. */
  output(name: string, value: string): void
  record: StepRecord
  /** Mirrors changes as GitHub Deployments, when asked to. */
  github?: GitHubMirror
}

export interface StepRecord {
  operation: Operation
  agentId: string
  environment?: Environment
  /** One line on what was done: "Published the draft to sandbox". */
  action?: string
  changed?: boolean
  deployment?: Deployment
  previous?: Deployment | null
  activeBefore?: ActiveByEnvironment
  deployments?: Deployment[]
  testRunIds: string[]
  /** True when the test runs were not waited on (wait-for-tests: false, or nothing changed). */
  testsSkipped?: boolean
  reports: RunReport[]
  /** What all the test runs together say. */
  verdict?: Verdict
  rolledBackTo?: Deployment
  warnings: string[]
  /** Why the step failed, when it did. */
  failure?: string
  cancelled?: boolean
  /** A dry run: what would be done, with nothing written. */
  planned?: boolean
  /** For release: each rung walked, lowest first. */
  rungs?: StepRecord[]
  /** Every output set for this agent, as set. */
  outputs: Record<string, string>
  /** A fleet's agent that fail-fast or a cancellation kept from starting. */
  notStarted?: boolean
}

export function newRecord(config: Config): StepRecord {
  return {
    operation: config.operation,
    agentId: config.agentId,
    environment: config.environment,
    testRunIds: [],
    reports: [],
    warnings: [],
    outputs: {}
  }
}
