import { activeDeployments, listDeployments, rollbackTo } from '../api/polyai.js'
import type { ActiveByEnvironment, Deployment } from '../api/shapes.js'
import { ConfigFor, Environment, ENVIRONMENTS } from '../config/config.js'
import { OperationError } from '../errors.js'
import type { Context } from '../step/context.js'
import { finishPlanned, finishUnchanged, gateChange, recordPrevious } from '../gate/policy.js'
import { findDeployment, HISTORY_LIMIT } from './find-deployment.js'
import { writeOnce } from './write-once.js'

/** Returns an environment to an earlier deployment: the one named, or the newest with another version. */
export async function rollback(ctx: Context<ConfigFor<'rollback'>>): Promise<void> {
  const { config, client } = ctx
  const before = await activeDeployments(client, config.agentId)
  const target = config.deploymentId !== undefined ? await namedTarget(ctx, before, config.deploymentId) : await previousVersion(ctx, before, config.environment)
  const environment = target.environment ?? config.environment
  if (environment) {
    // Named before the write, as publish and promote do (with deployment-id alone, it is the one found for it).
    ctx.record.environment = environment
    recordPrevious(ctx, before, before[environment])
  }
  ctx.record.action = `Rolled ${environment ?? 'back'} back to ${target.id}`

  const current = environment ? before[environment] : null
  // By version: a rollback makes a new deployment, so a re-run of this step finds its version there, not its ID.
  if (current && (current.id === target.id || (target.version !== '' && current.version === target.version))) {
    return finishUnchanged(ctx, current, `${environment} already runs version ${current.version} of deployment ${target.id}`)
  }
  if (config.dryRun) {
    const version = target.version ? ` (version ${target.version})` : ''
    return finishPlanned(ctx, { action: `Would roll ${environment ?? 'its environment'} back to ${target.id}${version}`, environment, deployment: target })
  }
  const outcome = await writeOnce(ctx, before, { environment, version: target.version || undefined }, () => rollbackTo(client, config.agentId, target.id, config.message), {
    repeatRefused: false
  })
  if (outcome.already) return finishUnchanged(ctx, current, `${environment} already runs this version`)
  if (!environment) recordPrevious(ctx, before, before[outcome.mutation.deployment.environment])
  await gateChange(ctx, outcome)
}

/** The named deployment, with its environment and version where they can be found. */
/** Where it cannot be found, only its ID is known: the platform then says which environment it rolls back. */
type Target = Pick<Deployment, 'id' | 'version'> & { environment?: Environment }

async function namedTarget(ctx: Context, before: ActiveByEnvironment, deploymentId: string): Promise<Target> {
  const { config } = ctx
  const found = await findDeployment(ctx, before, deploymentId, config.environment ? [config.environment] : ENVIRONMENTS)
  if (found) return found
  // Rolling back a deployment of another environment would move that one instead: refuse.
  if (config.environment) {
    throw new OperationError(`Deployment ${deploymentId} is not among the last ${HISTORY_LIMIT} deployments of ${config.environment}`)
  }
  return { id: deploymentId, version: '' }
}

/** The newest deployment older than the active one whose version differs from it. */
async function previousVersion(ctx: Context, before: ActiveByEnvironment, environment: Environment): Promise<Deployment> {
  const active = before[environment]
  if (!active) throw new OperationError(`Nothing is active in ${environment}, so there is nothing to roll back from`)
  const history = await listDeployments(ctx.client, ctx.config.agentId, environment, HISTORY_LIMIT)
  const activeIndex = history.findIndex((deployment) => deployment.id === active.id)
  const older = activeIndex >= 0 ? history.slice(activeIndex + 1) : history
  const target = older.find((deployment) => deployment.version !== active.version)
  if (!target) {
    throw new OperationError(
      `No earlier deployment of ${environment} runs a version other than the active one (${active.version}); nothing to roll back to`
    )
  }
  // A rollback keeps no message, so a re-run cannot tell its earlier attempt's rollback by it: where
  // the active deployment brings back a version that ran there before, as that rollback did, rolling
  // back again would undo it.
  const config = ctx.config
  if (config.runAttempt > 1 && !active.message && older.some((deployment) => deployment.version === active.version)) {
    throw new OperationError(
      `On a re-run (attempt ${config.runAttempt}), ${environment}'s active deployment ${active.id} (version ${active.version}) may be the rollback an earlier attempt made: ` +
        `it brings back a version that ran there before, and keeps no message. Rolling back again would return to version ${target.version}. ` +
        'Nothing was written. Name the deployment to return to with deployment-id.'
    )
  }
  return target
}
