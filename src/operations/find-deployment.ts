import { listDeployments } from '../api/polyai.js'
import type { ActiveByEnvironment, Deployment } from '../api/shapes.js'
import { Config, Environment, ENVIRONMENTS } from '../config/config.js'
import type { Context } from '../step/context.js'

/** How far back a named deployment is looked for in each environment's history. */
export const HISTORY_LIMIT = 100

/**
 * Finds a deployment by ID: among the active ones first, then in the recent history of the
 * environments given. Undefined when it is in none of them.
 */
export async function findDeployment(
  ctx: Context,
  before: ActiveByEnvironment,
  deploymentId: string,
  environments: readonly Environment[] = ENVIRONMENTS
): Promise<Deployment | undefined> {
  const active = ENVIRONMENTS.map((environment) => before[environment]).find((deployment) => deployment?.id === deploymentId)
  if (active && environments.includes(active.environment)) return active
  for (const environment of environments) {
    // An environment with nothing active has no history either.
    if (!before[environment]) continue
    const listed = await listDeployments(ctx.client, ctx.config.agentId, environment, HISTORY_LIMIT)
    const found = listed.find((deployment) => deployment.id === deploymentId)
    if (found) return found
  }
  return undefined
}

/** The recent history of every environment, in one list: where a rule needs the agent's deployments around a moment. */
export async function recentDeployments(ctx: Pick<Context, 'client' | 'config'>, limit: number): Promise<Deployment[]> {
  const histories = await Promise.all(ENVIRONMENTS.map((environment) => listDeployments(ctx.client, ctx.config.agentId, environment, limit)))
  return histories.flat()
}

/** Whether the step's message names this workflow run (its default does), so a deployment can be told as the run's own. */
export const messageNamesThisRun = (config: Config): boolean => config.runId !== undefined && config.message.includes(config.runId)

/**
 * The message the step's writes carry. A merge's default names its branch too, so that a re-run
 * tells that merge's deployment from one another step of the same workflow run made.
 */
export const ownMessage = (config: Config): string =>
  config.operation === 'merge' && !config.messageGiven && config.branch ? `${config.message} (merge of branch ${config.branch})` : config.message

/** Whether an earlier attempt of this workflow run's step made the deployment: it carries the step's own message. */
export const madeByThisRun = (config: Config, deployment: Deployment | null): boolean =>
  messageNamesThisRun(config) && deployment?.message === ownMessage(config)

/**
 * Whether an earlier attempt of this workflow run's step may have made the deployment: it did, or
 * this is a re-run and the deployment kept no message to tell (no source shows that a publish's or a
 * merge's is kept; a rollback's was not). Used where the doubt must fail closed.
 */
export const mayBeMadeByThisRun = (config: Config, deployment: Deployment | null): boolean =>
  madeByThisRun(config, deployment) || (messageNamesThisRun(config) && config.runAttempt > 1 && deployment !== null && !deployment.message)
