import { activeDeployments, promoteDeployment } from '../api/polyai.js'
import type { ActiveByEnvironment, Deployment } from '../api/shapes.js'
import { rungBelow } from '../config.js'
import { OperationError } from '../errors.js'
import type { Context } from './context.js'
import { finishPlanned, finishUnchanged, gateChange, recordPrevious } from './deploy.js'
import { findDeployment } from './lookup.js'
import { writeOnce } from './write.js'

/** Promotes a deployment into the target environment: what was tested below is what arrives above. */
export async function promote(ctx: Context): Promise<void> {
  const { config, client } = ctx
  const target = config.environment as 'pre-release' | 'live'
  const before = await activeDeployments(client, config.agentId)
  const previous = before[target]
  recordPrevious(ctx, before, previous)
  const source = await sourceFor(ctx, before)
  ctx.record.action = `Promoted ${source.id} to ${target}`

  if (previous && source.version && previous.version === source.version) {
    return finishUnchanged(ctx, previous, `${target} already runs version ${source.version}`)
  }
  if (config.dryRun) {
    const version = source.version ? ` (version ${source.version})` : ''
    return finishPlanned(ctx, { action: `Would promote ${source.id}${version} to ${target}`, environment: target, deployment: source })
  }
  const outcome = await writeOnce(ctx, before, { environment: target, version: source.version || undefined }, () =>
    promoteDeployment(client, config.agentId, source.id, target, config.message)
  )
  if (outcome.already) {
    const now = await activeDeployments(client, config.agentId)
    return finishUnchanged(ctx, now[target], `${target} already runs this version`)
  }
  await gateChange(ctx, outcome)
}

/** The deployment to promote: the one named, else what is active one rung below the target. */
async function sourceFor(ctx: Context, before: ActiveByEnvironment): Promise<Pick<Deployment, 'id' | 'version'>> {
  const { config } = ctx
  const target = config.environment!
  const below = rungBelow(target)!
  if (!config.deploymentId) {
    const active = before[below]
    if (!active) throw new OperationError(`Nothing is active in ${below}, so there is nothing to promote to ${target}`)
    return active
  }
  // Its version tells whether the target runs it already.
  return (await findDeployment(ctx, before, config.deploymentId)) ?? { id: config.deploymentId, version: '' }
}
