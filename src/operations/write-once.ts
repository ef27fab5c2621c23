import { activeDeployments, MutationAnswer } from '../api/polyai.js'
import type { ActiveByEnvironment, Deployment } from '../api/shapes.js'
import { ENVIRONMENTS, Environment } from '../config/config.js'
import { backoffMs } from '../api/retry.js'
import { ApiError, OperationError, TransportError } from '../errors.js'
import { sleep } from '../time/sleep.js'
import type { Context } from '../step/context.js'

/**
 * Publish, promote and rollback are not idempotent. After an answer that leaves it unclear whether
 * the server acted, read the state: adopt a deployment that matches the request, send again only
 * where nothing was created, and never send again after our own timeout.
 */

export interface Expected {
  /** Where the new deployment would appear; every environment when unknown. */
  environment?: Environment
  version?: string
  message?: string
}

/** `adopted`: the answer was lost and the deployment was found by reading the state, so its test runs are unknown. */
export type WriteOutcome = MutationAnswer & { adopted?: boolean }

const MAX_SENDS = 3

/** A deployment call sent at most once in effect: a lost answer is settled by finding the deployment it made. */
export function writeOnce(
  ctx: Context,
  before: ActiveByEnvironment,
  expected: Expected,
  send: () => Promise<MutationAnswer>
): Promise<WriteOutcome> {
  return sendOnce(ctx, send, async () => {
    const created = findCreated(before, await activeDeployments(ctx.client, ctx.config.agentId), expected)
    if (!created) return undefined
    ctx.log.warning(`The server did act: deployment ${created.id} (version ${created.version}) was created; carrying on with it.`)
    return { already: false, mutation: { deployment: created, testRunIds: [] }, adopted: true }
  })
}

/**
 * Any write: after an ambiguous failure, `detect` reads the state and gives the outcome where the
 * server acted; only where it did not is the request sent again.
 */
export async function sendOnce<T>(ctx: Context, send: () => Promise<T>, detect: () => Promise<T | undefined>): Promise<T> {
  for (let sends = 1; ; sends++) {
    try {
      return await send()
    } catch (error) {
      if (!isAmbiguous(error)) throw error
      ctx.log.warning(`${(error as Error).message}. Reading the state to learn whether the server acted.`)
      const acted = await detect()
      if (acted !== undefined) return acted
      if (error instanceof TransportError && error.phase === 'timeout') {
        throw new OperationError(
          `${error.message}. The server may still be acting on it, so it is not sent again: the outcome is unknown. ` +
            `Check the agent's deployments before running this step again.`
        )
      }
      if (sends >= MAX_SENDS) throw error
      ctx.log.info('Nothing was created; sending the request again.')
      await sleep(backoffMs(sends - 1, 500, 5000), ctx.signal)
    }
  }
}

function isAmbiguous(error: unknown): boolean {
  // An unsent request was already retried by the client; the server never saw it.
  if (error instanceof TransportError) return error.phase !== 'unsent'
  return error instanceof ApiError && error.status >= 500 && error.status <= 504
}

/** A deployment that is active now, was not before, and matches what the request asked for. */
export function findCreated(before: ActiveByEnvironment, now: ActiveByEnvironment, expected: Expected): Deployment | undefined {
  const environments = expected.environment ? [expected.environment] : ENVIRONMENTS
  for (const environment of environments) {
    const candidate = now[environment]
    if (!candidate || candidate.id === before[environment]?.id) continue
    if (expected.version && candidate.version !== expected.version) continue
    if (expected.message && candidate.message !== undefined && candidate.message !== expected.message) continue
    return candidate
  }
  return undefined
}
