import { activeDeployments } from '../api/polyai.js'
import type { Deployment } from '../api/shapes.js'
import { Environment, ENVIRONMENTS, Operation } from '../config.js'
import { CancelledError, isExpected, OperationError } from '../errors.js'
import { Context, newRecord, StepRecord } from './context.js'
import { finishPlanned } from './deploy.js'
import { findDeployment } from './lookup.js'
import { promote } from './promote.js'
import { publish } from './publish.js'

/**
 * Walks the ladder with a gate at every rung: publish the draft to sandbox (or start from a named
 * deployment), then promote rung by rung up to `environment`. A failed rung stops the walk, so
 * nothing above it changes.
 */
export async function release(ctx: Context): Promise<void> {
  const { config, record } = ctx
  const top = config.environment!
  const rungs: StepRecord[] = (record.rungs = [])
  let source: Pick<Deployment, 'id' | 'version'> | undefined
  let from: Environment

  if (config.deploymentId) {
    const before = await activeDeployments(ctx.client, config.agentId)
    const start = await findDeployment(ctx, before, config.deploymentId)
    if (!start) throw new OperationError(`Deployment ${config.deploymentId} was not found among the agent's deployments`)
    from = start.environment as Environment
    source = start
    const startRung = newRecord({ ...config, operation: 'release', environment: from })
    Object.assign(startRung, { action: `Started from ${start.id} in ${from}`, deployment: start, changed: false, testsSkipped: true })
    rungs.push(startRung)
  } else {
    from = 'sandbox'
    const rung = await walkRung(ctx, 'publish', 'sandbox', undefined)
    rungs.push(rung)
    source = rung.deployment
  }

  const ladder = ENVIRONMENTS.slice(ENVIRONMENTS.indexOf(from) + 1, ENVIRONMENTS.indexOf(top) + 1)
  if (ENVIRONMENTS.indexOf(from) >= ENVIRONMENTS.indexOf(top) && config.deploymentId) {
    record.warnings.push(`${config.deploymentId} is in ${from}, at or above ${top}: there is nothing to promote`)
  }
  for (const environment of ladder) {
    // A failed gate stops the walk even where fail-on-test-failure lets the step pass.
    if (stopsTheWalk(rungs[rungs.length - 1]) || ctx.signal.aborted) break
    rungs.push(await walkRung(ctx, 'promote', environment, source))
    source = rungs[rungs.length - 1].deployment ?? source
  }
  finishWalk(ctx, rungs)
}

function stopsTheWalk(rung: StepRecord): boolean {
  const result = rung.verdict?.result
  return Boolean(rung.failure) || result === 'failed' || result === 'timed-out' || result === 'cancelled'
}

/** One rung: publish or promote under the release's own record, as its own step would. */
async function walkRung(
  ctx: Context,
  operation: Operation,
  environment: Environment,
  source: Pick<Deployment, 'id' | 'version'> | undefined
): Promise<StepRecord> {
  const config = { ...ctx.config, operation, environment, deploymentId: source?.id }
  const rung = newRecord(config)
  const rungCtx: Context = { ...ctx, config, record: rung }
  ctx.log.info(`Release: ${operation === 'publish' ? 'publishing the draft to sandbox' : `promoting to ${environment}`}`)
  try {
    if (config.dryRun && operation === 'promote' && !source) {
      // The rung below was only planned: no deployment exists to look at yet.
      finishPlanned(rungCtx, { action: `Would promote what the rung below deploys to ${environment}`, environment })
    } else {
      await (operation === 'publish' ? publish : promote)(rungCtx)
    }
  } catch (error) {
    if (error instanceof CancelledError || !isExpected(error)) throw error
    rung.failure = error.message
  }
  return rung
}

/** The release's record and outputs: every rung as JSON, the usual ones for the last rung reached. */
function finishWalk(ctx: Context, rungs: StepRecord[]): void {
  const { record } = ctx
  const last = rungs[rungs.length - 1]
  const failed = rungs.find(stopsTheWalk)
  record.environment = last.environment
  record.deployment = last.deployment
  record.previous = last.previous
  record.changed = rungs.some((rung) => rung.changed)
  record.testRunIds = last.testRunIds
  record.reports = rungs.flatMap((rung) => rung.reports)
  record.verdict = last.verdict
  record.rolledBackTo = failed?.rolledBackTo
  record.planned = rungs.some((rung) => rung.planned)
  record.warnings.push(...rungs.flatMap((rung) => rung.warnings))
  record.action = `${record.planned ? 'Planned a release' : 'Released'} ${rungs.map((rung) => rung.environment).join(' → ')}`
  if (failed?.failure) record.failure = `The release stopped at ${failed.environment}: ${failed.failure}`
  else if (failed) {
    const warning = `The release stopped at ${failed.environment}: its gate ${failed.verdict?.result}`
    record.warnings.push(warning)
    ctx.log.warning(warning)
  }
  ctx.output('release', JSON.stringify(rungs.map(rungJson)))
}

export function rungJson(rung: StepRecord): Record<string, unknown> {
  return {
    environment: rung.environment,
    deploymentId: rung.deployment?.id ?? null,
    version: rung.deployment?.version ?? null,
    previousDeploymentId: rung.previous?.id ?? null,
    changed: rung.changed ?? false,
    testsResult: rung.verdict?.result ?? 'skipped',
    testRunIds: rung.testRunIds,
    rolledBack: Boolean(rung.rolledBackTo),
    planned: Boolean(rung.planned),
    ...(rung.action ? { action: rung.action } : {}),
    ...(rung.failure ? { failure: rung.failure } : {})
  }
}
