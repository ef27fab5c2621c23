import { activeDeployments } from '../api/polyai.js'
import type { Deployment } from '../api/shapes.js'
import { Config, ConfigFor, Environment, ENVIRONMENTS, PROMOTE_TARGETS } from '../config/config.js'
import { CancelledError, isExpected, OperationError } from '../errors.js'
import { publish as publishOutputs } from '../report/outputs.js'
import { Context, Evidence, fail, failOn, failureOf, isOutcomeUnknown, isPlanned, newRecord, StepRecord, warn } from '../step/context.js'
import { finishPlanned } from '../gate/policy.js'
import { refuseDowngrade } from '../gate/downgrade-guard.js'
import { findDeployment } from './find-deployment.js'
import { merge } from './merge.js'
import { promote } from './promote.js'
import { publish } from './publish.js'

/**
 * Walks the ladder with a gate at every rung: publish the draft to sandbox (or merge a branch, or
 * start from a named deployment), then promote rung by rung up to `environment`. A rung that failed,
 * or that no test gated, stops the walk, so nothing above it changes. A promote that triggers no
 * runs is gated by the passing runs of the same version lower in the release.
 */
export async function release(ctx: Context<ConfigFor<'release'>>): Promise<void> {
  const { config, record } = ctx
  const top = config.environment
  const rungs: StepRecord[] = (record.rungs = [])
  let source: Pick<Deployment, 'id' | 'version'> | undefined
  let from: Environment

  if (config.deploymentId) {
    const before = await activeDeployments(ctx.client, config.agentId)
    const start = await findDeployment(ctx, before, config.deploymentId)
    if (!start) throw new OperationError(`Deployment ${config.deploymentId} was not found among the agent's deployments`)
    from = start.environment
    source = start
    // Before any write: no rung of the walk may put this build over a newer one.
    for (const environment of ENVIRONMENTS.slice(ENVIRONMENTS.indexOf(from) + 1, ENVIRONMENTS.indexOf(top) + 1)) {
      await refuseDowngrade(ctx, start, environment, before[environment])
    }
    const startRung = newRecord({ ...config, operation: 'release', environment: from })
    Object.assign(startRung, { action: `Started from ${start.id} in ${from}`, deployment: start, changed: false })
    rungs.push(startRung)
  } else {
    const rung = config.branch
      ? await walkRung(ctx, { ...config, operation: 'merge', environment: undefined, branch: config.branch }, merge)
      : await walkRung(ctx, { ...config, operation: 'publish', environment: 'sandbox' }, publish)
    rungs.push(rung)
    source = rung.deployment
    // A merge on a project with simplified deployments lands in live.
    from = rung.deployment?.environment ?? 'sandbox'
    rung.environment = from
  }

  const ladder = PROMOTE_TARGETS.filter((target) => ENVIRONMENTS.indexOf(target) > ENVIRONMENTS.indexOf(from) && ENVIRONMENTS.indexOf(target) <= ENVIRONMENTS.indexOf(top))
  if (ENVIRONMENTS.indexOf(from) >= ENVIRONMENTS.indexOf(top) && config.deploymentId) {
    record.warnings.push(`${config.deploymentId} is in ${from}, at or above ${top}: there is nothing to promote`)
  }
  for (const environment of ladder) {
    // A failed gate stops the walk even where fail-on-test-failure lets the step pass.
    if (stopsTheWalk(rungs[rungs.length - 1]) || ctx.signal.aborted) break
    const promoting = { ...config, operation: 'promote' as const, environment, deploymentId: source?.id }
    rungs.push(await walkRung(ctx, promoting, promote, evidenceOf(rungs[rungs.length - 1])))
    source = rungs[rungs.length - 1].deployment ?? source
  }
  finishWalk(ctx, rungs)
}

/** A rung that failed, or whose environment runs a change no test gated (this step's, or an earlier attempt's). */
function stopsTheWalk(rung: StepRecord): boolean {
  const result = rung.verdict?.result
  const ungated = result === 'none'
  return Boolean(failureOf(rung)) || result === 'failed' || result === 'timed-out' || result === 'cancelled' || ungated
}

/**
 * The passing runs of a rung's version, which may gate the promote above it. Where none gated it (the
 * deployment a release starts from, an unchanged rung whose runs cannot be found), the promote looks
 * for the build's runs itself, as a promote of its own does, and refuses a build whose runs failed.
 */
function evidenceOf(rung: StepRecord): Evidence | undefined {
  if (!rung.deployment || rung.verdict?.result !== 'passed' || rung.reports.length === 0) return undefined
  return { reports: rung.reports, deployment: rung.deployment }
}

/** One rung: merge, publish or promote under the release's own record, as its own step would. */
async function walkRung<C extends Config>(
  ctx: Context,
  config: C,
  operation: (rungCtx: Context<C>) => Promise<void>,
  evidence?: Evidence
): Promise<StepRecord> {
  const rung = newRecord(config)
  const rungCtx: Context<C> = { ...ctx, config, record: rung, evidence }
  const doing = config.operation === 'merge' ? `merging branch ${config.branch}` : config.operation === 'publish' ? 'publishing the draft to sandbox' : `promoting to ${config.environment}`
  ctx.log.info(`Release: ${doing}`)
  try {
    if (config.dryRun && config.operation === 'promote' && !config.deploymentId) {
      // The rung below was only planned: no deployment exists to look at yet.
      finishPlanned(rungCtx, { action: `Would promote what the rung below deploys to ${config.environment}`, environment: config.environment })
    } else {
      await operation(rungCtx)
    }
  } catch (error) {
    // A cancel ends the walk, which still reports every rung reached; the step then ends cancelled.
    if (error instanceof CancelledError) rung.ending = { kind: 'cancelled', reason: 'The run was cancelled' }
    else if (!isExpected(error)) throw error
    else failOn(rung, error)
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
  record.planned = last.planned
  record.previous = last.previous
  record.changed = rungs.some((rung) => rung.changed)
  record.testRunIds = last.testRunIds
  record.reports = rungs.flatMap((rung) => rung.reports)
  record.verdict = last.verdict
  record.rolledBackTo = failed?.rolledBackTo
  record.gatedBy = last.gatedBy
  record.gateNote = rungs.map((rung) => rung.gateNote).filter(Boolean).join('. ') || undefined
  record.merge = rungs[0].merge
  if (rungs.some(isPlanned)) record.ending = { kind: 'planned' }
  record.warnings.push(...rungs.flatMap((rung) => rung.warnings))
  record.action = `${isPlanned(record) ? 'Planned a release' : 'Released'} ${rungs.map((rung) => rung.environment).join(' → ')}`
  const failure = failed && failureOf(failed)
  if (failure) fail(record, `The release stopped at ${failed.environment}: ${failure}`, isOutcomeUnknown(failed))
  else if (failed) {
    const why = failed.verdict?.result === 'none' ? 'no test gated it' : `its gate ${failed.verdict?.result}`
    warn(ctx, `The release stopped at ${failed.environment}: ${why}`)
  }
  publishOutputs(ctx)
}
