import { activeDeployments, listDeployments } from '../api/polyai.js'
import { ENVIRONMENTS } from '../config/config.js'
import { deploymentJson } from '../report/outputs.js'
import type { Context } from '../step/context.js'

/** The two read-only operations: they change nothing and gate nothing. */

export async function list(ctx: Context): Promise<void> {
  const { config, record } = ctx
  const environment = config.environment!
  record.deployments = await listDeployments(ctx.client, config.agentId, environment, config.limit)
  record.action = `Listed ${record.deployments.length} deployment(s) of ${environment}`
  record.changed = false
  ctx.output('deployments', JSON.stringify(record.deployments.map(deploymentJson)))
  ctx.output('environment', environment)
  ctx.output('changed', 'false')
  const newest = record.deployments[0]
  if (newest) {
    ctx.output('deployment-id', newest.id)
    ctx.output('version', newest.version)
  }
  ctx.log.info(record.action)
}

export async function active(ctx: Context): Promise<void> {
  const { config, record } = ctx
  const activeByEnvironment = await activeDeployments(ctx.client, config.agentId)
  record.activeBefore = activeByEnvironment
  record.action = 'Read the active deployment of every environment'
  record.changed = false
  const json = Object.fromEntries(
    ENVIRONMENTS.map((environment) => {
      const deployment = activeByEnvironment[environment]
      return [environment, deployment ? deploymentJson(deployment) : null]
    })
  )
  ctx.output('active-deployments', JSON.stringify(json))
  ctx.output('changed', 'false')
  for (const environment of ENVIRONMENTS) {
    const deployment = activeByEnvironment[environment]
    ctx.log.info(`${environment}: ${deployment ? `${deployment.version} (deployment ${deployment.id})` : 'nothing active'}`)
  }
  // With an environment named, the usual outputs describe what it runs.
  if (config.environment) {
    const deployment = activeByEnvironment[config.environment]
    ctx.output('environment', config.environment)
    ctx.output('deployment-id', deployment?.id ?? '')
    ctx.output('version', deployment?.version ?? '')
  }
}
