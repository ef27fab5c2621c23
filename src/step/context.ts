import type { ApiClient } from '../api/client.js'
import type { GitHubMirror } from '../github/mirror.js'
import type { OutputSink } from '../report/output-names.js'
import type { Log } from './log.js'
import { UnknownOutcomeError } from '../errors.js'
import type { ActiveByEnvironment, Deployment } from '../api/shapes.js'
import type { Config, Environment, Operation } from '../config/config.js'
import type { RunReport, Verdict } from '../gate/verdict.js'

/** What every operation is given, and the record of what it did, filled in as it goes. */

/** `C`: the configuration of the operation at hand, so that it needs no assertion of what readConfig checked. */
export interface Context<C extends Config = Config> {
  config: C
  client: ApiClient
  signal: AbortSignal
  log: Log
  /** Where `publish` sends the step's outputs as they become known (report/outputs.ts). */
  outputs: OutputSink
  record: StepRecord
  /** Mirrors changes as GitHub Deployments, when asked to. */
  github?: GitHubMirror
  /**
   * For a release's promote: the passing runs of the same version lower in the release. Where there
   * are none (and outside a release), the promote looks for its source's runs itself.
   */
  evidence?: Evidence
  /**
   * When the step's waits on test runs end (ms since epoch): set by its first wait, shared by every
   * later one (a release's rungs, a promote's evidence then its own runs), so timeout bounds them all.
   * Without it, each wait has a timeout of its own.
   */
  waitDeadline?: { at?: number }
}

/** Test runs that passed for a build, which may gate a promote of that build that triggered none. */
export interface Evidence {
  reports: RunReport[]
  /** The deployment that triggered them. */
  deployment: Pick<Deployment, 'id' | 'version'>
}

/** What gated the step: the runs its call triggered, the runs of the build it promoted, those of an unchanged environment's deployment, or nothing. */
export type GatedBy = 'triggered' | 'promoted-deployment' | 'active-deployment' | 'none'

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
  reports: RunReport[]
  /** What all the test runs together say. */
  verdict?: Verdict
  gatedBy?: GatedBy
  /** One sentence on what gated the step, where it was not the call's own runs. */
  gateNote?: string
  /** The branch merged, the merge's sequence, and each conflict resolved ("path (type): strategy"). */
  merge?: { branchId: string; branchName: string; sequence?: string; resolved: string[] }
  rolledBackTo?: Deployment
  warnings: string[]
  /** How the step ended, where it did not simply run its course (see report/outcome.ts for its status). */
  ending?: Ending
  /** For a dry run: the deployment the plan names. */
  planned?: Pick<Deployment, 'id' | 'version'>
  /** For release: each rung walked, lowest first. */
  rungs?: StepRecord[]
}

/**
 * The endings that decide a step's status on their own: it failed, the workflow was cancelled, it
 * was a dry run (nothing written), or a fleet's fail-fast or a cancellation kept it from starting.
 */
export type Ending =
  /** outcomeUnknown: a write's answer was lost, so what it aimed at may have changed. */
  | { kind: 'failed'; reason: string; outcomeUnknown?: true }
  | { kind: 'cancelled'; reason: string }
  | { kind: 'planned' }
  | { kind: 'not-started'; reason: string }

/** outcomeUnknown: the failure is a write's lost answer (an UnknownOutcomeError). */
export function fail(record: StepRecord, reason: string, outcomeUnknown = false): void {
  record.ending = outcomeUnknown ? { kind: 'failed', reason, outcomeUnknown } : { kind: 'failed', reason }
}

/** Fails the step on an error the action expected, noting a write whose answer was lost. */
export const failOn = (record: StepRecord, error: Error): void => fail(record, error.message, error instanceof UnknownOutcomeError)

/** Whether the step failed on a write whose outcome was lost. */
export const isOutcomeUnknown = (record: StepRecord): boolean => record.ending?.kind === 'failed' && record.ending.outcomeUnknown === true

/** Why the step did not pass: failed, cancelled or not started; undefined otherwise. */
export function failureOf(record: StepRecord): string | undefined {
  return record.ending && 'reason' in record.ending ? record.ending.reason : undefined
}

export const isPlanned = (record: StepRecord): boolean => record.ending?.kind === 'planned'

/** What a list or active step reports as its deployment: the newest listed, or what the environment named runs. */
export function deploymentLookedUp(record: StepRecord): Deployment | undefined {
  if (record.operation === 'list') return record.deployments?.[0]
  if (record.operation === 'active' && record.environment) return record.activeBefore?.[record.environment] ?? undefined
  return undefined
}

export function newRecord(config: Config): StepRecord {
  return {
    operation: config.operation,
    agentId: config.agentId,
    environment: config.environment,
    testRunIds: [],
    reports: [],
    warnings: []
  }
}

/** A warning for the summary and the log alike. */
export function warn(ctx: Pick<Context, 'record' | 'log'>, warning: string): void {
  ctx.record.warnings.push(warning)
  ctx.log.warning(warning)
}
