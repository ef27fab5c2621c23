import { listDeployments, listTestRuns } from '../api/polyai.js'
import type { Deployment } from '../api/shapes.js'
import { ENVIRONMENTS } from '../config.js'
import type { Context } from '../operations/context.js'

/**
 * The test runs a deployment started, found again without the answer that named them. Runs carry
 * no link to their deployment, so they are matched by time, on the server's clock alone (the run's
 * `startedAt` against the deployment's `createdAt`), which no skew of the runner's clock can move:
 * a run is the deployment's when it started from EARLY_MS before to LATE_MS after the deployment was
 * created, and no other deployment of the agent, in any environment, was created in that window
 * around the run. Anything less clear is no answer: the caller fails closed.
 */

export const EARLY_MS = 30_000
export const LATE_MS = 120_000
const RECENT_RUNS = 100
const RECENT_DEPLOYMENTS = 50

export type FoundRuns = { runIds: string[] } | { problem: string }

export async function findRunsOf(ctx: Context, deployment: Pick<Deployment, 'id' | 'createdAt'>): Promise<FoundRuns> {
  const createdAt = Date.parse(deployment.createdAt)
  if (!Number.isFinite(createdAt)) return { problem: `its creation time '${deployment.createdAt}' cannot be read` }
  let runs, others: Pick<Deployment, 'id' | 'createdAt'>[]
  try {
    runs = await listTestRuns(ctx.client, ctx.config.agentId, RECENT_RUNS)
    const histories = await Promise.all(ENVIRONMENTS.map((environment) => listDeployments(ctx.client, ctx.config.agentId, environment, RECENT_DEPLOYMENTS)))
    others = histories.flat().filter((other) => other.id !== deployment.id)
  } catch (error) {
    return { problem: `the agent's recent test runs could not be read: ${(error as Error).message}` }
  }
  const candidates = runs.filter((run) => within(Date.parse(run.startedAt ?? ''), createdAt))
  if (candidates.length === 0) {
    return { problem: `no test run started from ${EARLY_MS / 1000}s before to ${LATE_MS / 1000}s after it was created (${deployment.createdAt}, server clock)` }
  }
  const rivals = others.filter((other) => candidates.some((run) => within(Date.parse(run.startedAt ?? ''), Date.parse(other.createdAt))))
  if (rivals.length > 0) {
    return {
      problem: `test runs ${candidates.map((run) => run.id).join(', ')} started near it, but deployment(s) ${rivals.map((other) => other.id).join(', ')} ` +
        'were created near them too, so which are its own cannot be told'
    }
  }
  return { runIds: candidates.map((run) => run.id) }
}

/** Whether a run that started at `startedAt` may belong to a deployment created at `createdAt`. */
function within(startedAt: number, createdAt: number): boolean {
  return Number.isFinite(startedAt) && Number.isFinite(createdAt) && startedAt >= createdAt - EARLY_MS && startedAt <= createdAt + LATE_MS
}
