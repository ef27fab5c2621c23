import { activeDeployments, MutationAnswer } from '../api/polyai.js'
import type { ActiveByEnvironment, Deployment } from '../api/shapes.js'
import { ENVIRONMENTS, Environment } from '../config/config.js'
import { backoffMs } from '../api/retry.js'
import { ApiError, TransportError, UnknownOutcomeError } from '../errors.js'
import { sleep } from '../time/sleep.js'
import type { Context } from '../step/context.js'

/**
 * Publish, promote and rollback are not idempotent. After an answer that leaves it unclear whether
 * the server acted, read the state: adopt a deployment that matches the request, and send again only
 * where the API itself answered that it failed (500, 503) and nothing was created, read again just
 * before the resend, at least 2 s on (a 503 may come from a proxy while the API acts). Where no
 * usable answer came from the API (our own timeout, a dropped connection, a gateway's 502 or 504, a
 * success whose body cannot be read) it may still be acting, or have acted: the state is read a few
 * times more, and the request is never sent again.
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
/** After no answer from the API: when to read the state again, as a write still being made lands. */
const SETTLE_READS_MS = [2000, 4000, 8000]
/** The least wait before a write is sent again, the state read once more at its end. */
const MIN_RESEND_WAIT_MS = 2000
/** The longest Retry-After waited out before sending a write again. */
const MAX_RESEND_WAIT_MS = 60_000

/**
 * A deployment call sent at most once in effect: a lost answer is settled by finding the deployment it made.
 * `repeatRefused`: the API answers a repeat of this write as done already (a publish's 409, a
 * promote's already published), which stops a resend from making a second deployment. A rollback
 * has no such answer, so after a 5xx the state is watched as long as for a lost answer before it is
 * sent again: an API that acts a few seconds after its gateway gave up is not rolled back twice.
 */
export async function writeOnce(
  ctx: Context,
  before: ActiveByEnvironment,
  expected: Expected,
  send: () => Promise<MutationAnswer>,
  { repeatRefused = true } = {}
): Promise<WriteOutcome> {
  const detect = async (): Promise<WriteOutcome | undefined> => {
    const now = await activeDeployments(ctx.client, ctx.config.agentId, { signal: ctx.client.writeSignal })
    const created = findCreated(before, now, expected)
    if (!created) return undefined
    ctx.log.warning(`The server did act: deployment ${created.id} (version ${created.version}) was created; carrying on with it.`)
    return { already: false, mutation: { deployment: created, testRunIds: [] }, adopted: true }
  }
  let sends = 0
  const outcome = await sendOnce(ctx, async () => {
    sends++
    try {
      return await send()
    } catch (error) {
      // A resend refused as done already: the first send did it, and its answer was lost.
      const acted = sends > 1 && error instanceof ApiError && error.errorCode === 'DEPLOYMENTS_ALREADY_PUBLISHED' ? await detect() : undefined
      if (acted) return acted
      throw error
    }
  }, detect, { watchBeforeResend: !repeatRefused })
  // The same where the resend's answer says the environment runs it already.
  return sends > 1 && outcome.already ? ((await detect()) ?? outcome) : outcome
}

/**
 * Any write: after an ambiguous failure, `detect` reads the state and gives the outcome where the
 * server acted; only where it did not is the request sent again.
 */
export async function sendOnce<T>(
  ctx: Context,
  send: () => Promise<T>,
  detect: () => Promise<T | undefined>,
  { watchBeforeResend = false } = {}
): Promise<T> {
  for (let sends = 1; ; sends++) {
    try {
      return await send()
    } catch (error) {
      if (!isAmbiguous(error)) throw error
      const failed = (error as Error).message.replace(/\.$/, '')
      ctx.log.warning(`${failed}. Reading the state to learn whether the server acted.`)
      const stillActing = mayStillAct(error)
      const acted = await settle(detect, stillActing || watchBeforeResend ? SETTLE_READS_MS : [], ctx.client.writeSignal, failed)
      if (acted !== undefined) return acted
      if (stillActing) {
        throw new UnknownOutcomeError(
          `${failed}. The server may still be acting on it, so it is not sent again: the outcome is unknown.`
        )
      }
      const serverWait = error instanceof ApiError ? (error.retryAfterMs ?? 0) : 0
      if (sends >= MAX_SENDS || serverWait > MAX_RESEND_WAIT_MS) throw error
      await sleep(Math.max(serverWait, MIN_RESEND_WAIT_MS, backoffMs(sends - 1, 500, 5000)), ctx.signal)
      const late = await settle(detect, [], ctx.client.writeSignal, failed)
      if (late !== undefined) return late
      ctx.log.info('Nothing was created; sending the request again.')
    }
  }
}

/** Reads the state now and after each of `laterMs`, until it shows the server acted; a read that fails leaves the outcome unknown. */
async function settle<T>(detect: () => Promise<T | undefined>, laterMs: number[], signal: AbortSignal, failed: string): Promise<T | undefined> {
  try {
    let acted = await detect()
    for (const waitMs of laterMs) {
      if (acted !== undefined) break
      await sleep(waitMs, signal)
      acted = await detect()
    }
    return acted
  } catch (error) {
    throw new UnknownOutcomeError(
      `${failed}. Whether the server acted could not be read (${(error as Error).message}), so the outcome is unknown.`
    )
  }
}

function isAmbiguous(error: unknown): boolean {
  // An unsent request was already retried by the client; the server never saw it.
  if (error instanceof TransportError) return error.phase !== 'unsent'
  return error instanceof ApiError && ((error.status >= 500 && error.status <= 504) || isUnreadableSuccess(error))
}

/** No usable answer came from the API itself: it may have the request still in hand, or have done it. */
function mayStillAct(error: unknown): boolean {
  return error instanceof TransportError || (error instanceof ApiError && (error.status === 502 || error.status === 504 || isUnreadableSuccess(error)))
}

/** A 2xx whose body is not what the API answers: the server said it acted. */
function isUnreadableSuccess(error: ApiError): boolean {
  return error.status >= 200 && error.status < 300 && (error.errorCode === 'INVALID_RESPONSE' || error.errorCode === 'RESPONSE_TOO_LARGE')
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
