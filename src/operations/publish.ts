import { activeDeployments, publishDraft } from '../api/polyai.js'
import { ApiError } from '../errors.js'
import type { ConfigFor } from '../config/config.js'
import type { Context } from '../step/context.js'
import { finishPlanned, finishUnchanged, gateChange, recordPrevious } from '../gate/policy.js'
import { writeOnce } from './write-once.js'

/** Publishes the draft to the environment (sandbox by default) and gates on the tests it triggers. */
export async function publish(ctx: Context<ConfigFor<'publish'>>): Promise<void> {
  const { config, client } = ctx
  const environment = config.environment ?? 'sandbox'
  const before = await activeDeployments(client, config.agentId)
  recordPrevious(ctx, before, before[environment])
  ctx.record.action = `Published the draft to ${environment}`
  if (config.dryRun) {
    // Whether the draft differs from what runs there, only the server knows.
    return finishPlanned(ctx, { action: `Would publish the draft to ${environment}, unless it already runs there`, environment })
  }
  try {
    const outcome = await writeOnce(ctx, before, { environment, message: config.message }, () =>
      publishDraft(client, config.agentId, environment, config.message)
    )
    if (outcome.already) return finishUnchanged(ctx, before[environment], `The draft is already published to ${environment}`)
    await gateChange(ctx, outcome)
  } catch (error) {
    if (error instanceof ApiError && error.errorCode === 'DEPLOYMENTS_ALREADY_PUBLISHED') {
      return finishUnchanged(ctx, before[environment], `The draft is already published to ${environment}`)
    }
    throw error
  }
}
