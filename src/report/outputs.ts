import type { Deployment } from '../api/shapes.js'
import { ENVIRONMENTS } from '../config/config.js'
import type { Verdict } from '../gate/verdict.js'
import { deploymentLookedUp, isPlanned, StepRecord } from '../step/context.js'
import type { OutputName, Outputs, OutputSink } from './output-names.js'
import { rungJson } from './results.js'

export { OUTPUT_NAMES } from './output-names.js'
export type { OutputName, Outputs, OutputSink } from './output-names.js'

/**
 * The step's outputs, every one a pure function of the record. Operations publish as they go, so a
 * later step sees what was known even when this one fails or is cancelled; only values that changed
 * are written again.
 */

/** An OutputSink that sends each value to `set` unless it was sent already. */
export function outputSink(set: ((name: OutputName, value: string) => void) | undefined): OutputSink {
  const written = new Map<OutputName, string>()
  return {
    write(outputs) {
      for (const [name, value] of Object.entries(outputs) as [OutputName, string][]) {
        if (written.get(name) === value) continue
        written.set(name, value)
        set?.(name, value)
      }
    }
  }
}

export function publish(ctx: { record: StepRecord; outputs: OutputSink }): void {
  ctx.outputs.write(outputsOf(ctx.record))
}

/** What a rung's outputs say of it: each is cleared where the last rung reached has none, not left from the one below. */
const RUNG_OUTPUTS: OutputName[] = [
  'deployment-id', 'version', 'environment', 'previous-deployment-id', 'changed', 'test-run-ids', 'tests-gated-by',
  'tests-result', 'tests-passed', 'tests-failed', 'tests-errored', 'tests-total', 'rolled-back'
]

export function outputsOf(record: StepRecord): Outputs {
  if (record.rungs && record.rungs.length > 0) {
    // The usual outputs describe the last rung reached, and only it: a rung that failed before its
    // write must not show the deployment or verdict of the rung below as its own.
    const last = record.rungs[record.rungs.length - 1]
    const cleared: Outputs = { ...Object.fromEntries(RUNG_OUTPUTS.map((name) => [name, ''])), changed: 'false', 'rolled-back': 'false' }
    const outputs: Outputs = { ...cleared, ...outputsOf(last) }
    if (!outputs.environment && last.environment) outputs.environment = last.environment
    return { ...outputs, release: JSON.stringify(record.rungs.map(rungJson)) }
  }
  if (record.operation === 'list') return listOutputs(record)
  if (record.operation === 'active') return activeOutputs(record)
  const outputs: Outputs = {}
  if (record.previous !== undefined) outputs['previous-deployment-id'] = record.previous?.id ?? ''
  // The environment the step works on, as soon as it is known (a step that fails before its write
  // still names it); below, where the deployment landed, once it has.
  if (record.environment) outputs.environment = record.environment
  if (record.changed !== undefined) {
    // A plan names the deployment it would move, and the environment it would move it into.
    const shown = isPlanned(record) ? record.planned : record.deployment
    const environment = isPlanned(record) ? record.environment : record.deployment?.environment
    outputs['deployment-id'] = shown?.id ?? ''
    outputs.version = shown?.version ?? ''
    if (environment) outputs.environment = environment
    outputs.changed = String(record.changed)
    outputs['rolled-back'] = String(Boolean(record.rolledBackTo))
  }
  if (record.changed !== undefined || record.operation === 'wait') outputs['test-run-ids'] = JSON.stringify(record.testRunIds)
  if (record.gatedBy) outputs['tests-gated-by'] = record.gatedBy
  if (record.merge?.sequence) outputs['merge-sequence'] = record.merge.sequence
  if (record.verdict) Object.assign(outputs, verdictOutputs(record.verdict))
  return outputs
}

function verdictOutputs(verdict: Verdict): Outputs {
  return {
    'tests-result': verdict.result,
    'tests-passed': String(verdict.passed),
    'tests-failed': String(verdict.failed),
    'tests-errored': String(verdict.errored),
    'tests-total': String(verdict.total)
  }
}

function listOutputs(record: StepRecord): Outputs {
  if (!record.deployments) return {}
  const newest = deploymentLookedUp(record)
  return {
    deployments: JSON.stringify(record.deployments.map(deploymentJson)),
    ...(record.environment ? { environment: record.environment } : {}),
    changed: 'false',
    ...(newest ? { 'deployment-id': newest.id, version: newest.version } : {})
  }
}

/** With an environment named, the usual outputs describe what it runs. */
function activeOutputs(record: StepRecord): Outputs {
  const active = record.activeBefore
  if (!active) return {}
  const json = Object.fromEntries(ENVIRONMENTS.map((environment) => [environment, active[environment] ? deploymentJson(active[environment]!) : null]))
  const named = deploymentLookedUp(record)
  return {
    'active-deployments': JSON.stringify(json),
    changed: 'false',
    ...(record.environment ? { environment: record.environment, 'deployment-id': named?.id ?? '', version: named?.version ?? '' } : {})
  }
}

/** The shape of a deployment in the JSON outputs: the API's names, nothing internal. */
export function deploymentJson(deployment: Deployment): Record<string, string> {
  const json: Record<string, string> = {
    id: deployment.id,
    environment: deployment.environment,
    version: deployment.version,
    artifactVersion: deployment.artifactVersion,
    createdBy: deployment.createdBy,
    createdAt: deployment.createdAt
  }
  if (deployment.message !== undefined) json.message = deployment.message
  return json
}
