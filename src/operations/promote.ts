import { activeDeployments, promoteDeployment } from '../api/polyai.js'
import type { ActiveByEnvironment, Deployment } from '../api/shapes.js'
import { ConfigFor, rungBelow } from '../config/config.js'
import { CancelledError, OperationError } from '../errors.js'
import { findRunsOf, idsOf, isUnreadable } from '../gate/deployment-runs.js'
import { reportFrom, stateOf } from '../gate/verdict.js'
import type { Context, Evidence } from '../step/context.js'
import { finishPlanned, finishUnchanged, gateChange, gateOnReports, pollRuns, recordPrevious, reportsNear } from '../gate/policy.js'
import { refuseDowngrade } from '../gate/downgrade-guard.js'
import { findDeployment, HISTORY_LIMIT } from './find-deployment.js'
import { writeOnce } from './write-once.js'

/**
 * Promotes a deployment into the target environment: what was tested below is what arrives above.
 * It carries the evidence of what it promotes: a build whose own runs failed is refused, and where
 * the promote triggers no runs, the build's passing runs gate it.
 */
export async function promote(ctx: Context<ConfigFor<'promote'>>): Promise<void> {
  const { config, client } = ctx
  const target = config.environment
  const before = await activeDeployments(client, config.agentId)
  const previous = before[target]
  recordPrevious(ctx, before, previous)
  const source = await sourceFor(ctx, before)
  ctx.record.action = `Promoted ${source.id} to ${target}`

  if (previous && source.version && previous.version === source.version) {
    return finishUnchanged(ctx, previous, `${target} already runs version ${source.version}`)
  }
  if ('createdAt' in source) await refuseDowngrade(ctx, source, target, previous)
  if (config.dryRun) {
    const version = source.version ? ` (version ${source.version})` : ''
    return finishPlanned(ctx, { action: `Would promote ${source.id}${version} to ${target}`, environment: target, deployment: source })
  }
  const evidence = 'createdAt' in source ? await evidenceFor(ctx, source) : undefined
  const outcome = await writeOnce(ctx, before, { environment: target, version: source.version || undefined }, () =>
    promoteDeployment(client, config.agentId, source.id, target, config.message)
  )
  if (outcome.already) {
    const now = await activeDeployments(client, config.agentId)
    return finishUnchanged(ctx, now[target], `${target} already runs this version`)
  }
  await gateChange(ctx, outcome, evidence)
}

/**
 * The passing runs of the build being promoted: those of the deployment promoted, else of the newest
 * other deployment of its version whose runs can be found. Where they can be found they are waited on
 * if still going, and a failure refuses the promote before anything is written.
 */
async function evidenceFor(ctx: Context, source: Deployment): Promise<Evidence | undefined> {
  if (ctx.evidence) return ctx.evidence
  const found = await findRunsOf(ctx, source, { sameBuild: true })
  if (isUnreadable(found)) {
    throw new OperationError(
      `Refusing to promote deployment ${source.id} (version ${source.version}): whether the test runs of its build passed cannot be told, as ${found.problem}. Nothing was written.`
    )
  }
  if ('problem' in found) {
    const against = (await reportsNear(ctx, found)).filter((report) => report.state !== 'passed')
    if (against.length > 0) {
      throw new OperationError(
        `Refusing to promote deployment ${source.id} (version ${source.version}): test run(s) ${against.map((report) => report.id).join(', ')} started near it, or near the newest deployment of its build, and did not pass, ` +
          `and which runs are its own cannot be told (${found.problem}). Nothing was written.`
      )
    }
    ctx.log.info(`The test runs of deployment ${source.id} cannot be found (${found.problem}); only the promote's own runs can gate it`)
    return undefined
  }
  const whose = found.deployment.id === source.id ? `deployment ${source.id}` : `deployment ${found.deployment.id}, the newest of version ${source.version} whose runs can be found`
  ctx.log.info(`Checking the ${found.runs.length} test run(s) of ${whose}: the build being promoted`)
  // A build's runs have usually finished long before it is promoted: the list says so, no poll needed.
  const finished = found.runs.every((run) => stateOf(run) !== 'running')
  const reports = finished ? found.runs.map((run) => reportFrom(run, stateOf(run), 0)) : await pollRuns(ctx, idsOf(found))
  const bad = reports.filter((report) => report.state !== 'passed')
  if (bad.length > 0 || ctx.signal.aborted) {
    // Until the promote is sent, the build's runs are the step's gate: a refusal or a cancel reports them.
    ctx.record.changed = false
    gateOnReports(ctx, 'promoted-deployment', `The runs of deployment ${found.deployment.id}, of the build to promote (version ${source.version})`, reports, idsOf(found))
  }
  if (ctx.signal.aborted) throw new CancelledError()
  if (bad.length > 0) {
    const named = bad.map((report) => `${report.id} (${report.state}${report.note ? `: ${report.note}` : ''})`).join(', ')
    const what = bad.every((report) => report.state === 'timed-out') ? 'had not finished within timeout' : 'did not pass'
    throw new OperationError(
      `Refusing to promote deployment ${source.id} (version ${source.version}): ${bad.length} of its ${reports.length} test run(s) ${what}: ${named}. Nothing was written.`
    )
  }
  return { reports, deployment: found.deployment }
}

/** A named deployment not found in the histories, let through by allow-downgrade: only its ID is known, and the platform judges it. */
type UnknownSource = { id: string; version: '' }

/** The deployment to promote: the one named, else what is active one rung below the target. */
async function sourceFor(ctx: Context<ConfigFor<'promote'>>, before: ActiveByEnvironment): Promise<Deployment | UnknownSource> {
  const { config } = ctx
  const target = config.environment
  const below = rungBelow(target)
  if (!config.deploymentId) {
    const active = before[below]
    if (!active) throw new OperationError(`Nothing is active in ${below}, so there is nothing to promote to ${target}`)
    return active
  }
  // Its version tells whether the target runs it already; its dates, whether it is older.
  const found = await findDeployment(ctx, before, config.deploymentId)
  if (found) return found
  // Without its dates and version neither the downgrade guard nor the evidence can judge it: fail closed.
  if (!config.allowDowngrade) {
    throw new OperationError(
      `Refusing to promote deployment ${config.deploymentId}: it is not among the active deployments or the last ${HISTORY_LIMIT} of any environment's history, ` +
        `so whether it is older than what ${target} runs and how its tests went cannot be told. Nothing was written. ` +
        'To promote it anyway, set allow-downgrade: true; the platform then judges it.'
    )
  }
  return { id: config.deploymentId, version: '' }
}
