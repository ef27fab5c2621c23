import { deploymentLookedUp, failureOf, isPlanned, StepRecord } from '../step/context.js'
import { resultStatus } from './outcome.js'

/** The JSON of the `results` and `release` outputs: what a step or a rung runs now and how its gate went. */

function deploymentFields(record: StepRecord): Record<string, unknown> {
  // A plan names the deployment it would move, as the step's outputs do; list and active, what they looked up.
  const shown = record.deployment ?? record.planned ?? deploymentLookedUp(record)
  return {
    deploymentId: shown?.id ?? null,
    version: shown?.version ?? null,
    previousDeploymentId: record.previous?.id ?? null,
    changed: record.changed ?? false
  }
}

/** One agent's entry in the `results` output. */
export function resultJson(record: StepRecord): Record<string, unknown> {
  return {
    agentId: record.agentId,
    operation: record.operation,
    status: resultStatus(record),
    environment: record.environment ?? null,
    ...deploymentFields(record),
    testsResult: record.verdict?.result ?? null,
    testsGatedBy: record.gatedBy ?? null,
    testRunIds: record.testRunIds,
    rolledBack: Boolean(record.rolledBackTo),
    dryRun: isPlanned(record),
    ...(record.rungs ? { release: record.rungs.map(rungJson) } : {}),
    ...(failureOf(record) ? { error: failureOf(record) } : {})
  }
}

/** One rung of a release, in the `release` output. */
export function rungJson(rung: StepRecord): Record<string, unknown> {
  return {
    environment: rung.environment,
    ...deploymentFields(rung),
    // A rung that failed before any gate has no verdict; one that ran none (the deployment a release starts from) skipped it.
    testsResult: rung.verdict?.result ?? (failureOf(rung) ? null : 'skipped'),
    testsGatedBy: rung.gatedBy ?? 'none',
    testRunIds: rung.testRunIds,
    rolledBack: Boolean(rung.rolledBackTo),
    planned: isPlanned(rung),
    ...(rung.action ? { action: rung.action } : {}),
    ...(failureOf(rung) ? { failure: failureOf(rung) } : {})
  }
}
