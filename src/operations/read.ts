import { activeDeployments, listDeployments } from '../api/polyai.js'
import { ConfigFor, ENVIRONMENTS } from '../config/config.js'
import { publish } from '../report/outputs.js'
import type { Context } from '../step/context.js'

/** The two read-only operations: they change nothing and gate nothing. */

export async function list(ctx: Context<ConfigFor<'list'>>): Promise<void> {
  const { config, record } = ctx
  const environment = config.environment
  record.deployments = await listDeployments(ctx.client, config.agentId, environment, config.limit)
  record.action = `Listed ${record.deployments.length} deployment(s) of ${environment}`
  record.changed = false
  publish(ctx)
  ctx.log.info(record.action)
}

export async function active(ctx: Context<ConfigFor<'active'>>): Promise<void> {
  const { config, record } = ctx
  const activeByEnvironment = await activeDeployments(ctx.client, config.agentId)
  record.activeBefore = activeByEnvironment
  record.action = 'Read the active deployment of every environment'
  record.changed = false
  publish(ctx)
  for (const environment of ENVIRONMENTS) {
    const deployment = activeByEnvironment[environment]
    ctx.log.info(`${environment}: ${deployment ? `${deployment.version} (deployment ${deployment.id})` : 'nothing active'}`)
  }
}
