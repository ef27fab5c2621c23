import { failureOf, isPlanned, StepRecord } from '../step/context.js'
import { resultStatus } from './outcome.js'
import { rungJson } from '../operations/release.js'

/** One agent's entry in the `results` output: what it runs now and how its gate went. */
export function resultJson(record: StepRecord): Record<string, unknown> {
  return {
    agentId: record.agentId,
    operation: record.operation,
    status: resultStatus(record),
    environment: record.environment ?? null,
    deploymentId: record.deployment?.id ?? null,
    version: record.deployment?.version ?? null,
    previousDeploymentId: record.previous?.id ?? null,
    changed: record.changed ?? false,
    testsResult: record.verdict?.result ?? null,
    testsGatedBy: record.gatedBy ?? null,
    testRunIds: record.testRunIds,
    rolledBack: Boolean(record.rolledBackTo),
    dryRun: isPlanned(record),
    ...(record.rungs ? { release: record.rungs.map(rungJson) } : {}),
    ...(failureOf(record) ? { error: failureOf(record) } : {})
  }
}
