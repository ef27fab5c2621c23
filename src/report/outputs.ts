import type { Deployment } from '../api/shapes.js'
import type { Verdict } from '../gate/verdict.js'
import type { Context } from '../step/context.js'

/** Step outputs, set as soon as each is known. */

export function setDeploymentOutputs(ctx: Pick<Context, 'output'>, deployment: Deployment | null | undefined, changed: boolean): void {
  ctx.output('deployment-id', deployment?.id ?? '')
  ctx.output('version', deployment?.version ?? '')
  if (deployment) ctx.output('environment', deployment.environment)
  ctx.output('changed', String(changed))
}

export function setVerdictOutputs(ctx: Pick<Context, 'output'>, verdict: Verdict): void {
  ctx.output('tests-result', verdict.result)
  ctx.output('tests-passed', String(verdict.passed))
  ctx.output('tests-failed', String(verdict.failed))
  ctx.output('tests-errored', String(verdict.errored))
  ctx.output('tests-total', String(verdict.total))
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
