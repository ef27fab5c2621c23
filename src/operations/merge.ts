import { activeDeployments, ConflictResolution, listBranches, mergeBranch, MergeResult, publishDraft } from '../api/polyai.js'
import type { ActiveByEnvironment, Branch, Deployment, MergeAnswer } from '../api/shapes.js'
import { ConfigFor, ENVIRONMENTS } from '../config/config.js'
import { ApiError, OperationError } from '../errors.js'
import { publish } from '../report/outputs.js'
import type { Context } from '../step/context.js'
import { finishPlanned, finishUnchanged, gateChange, recordPrevious } from '../gate/policy.js'
import { findCreated, sendOnce, writeOnce } from './write-once.js'
import { madeByThisRun, messageNamesThisRun, ownMessage } from './find-deployment.js'

/**
 * Merges an Agent Studio branch into main and gates on what it triggered. Where the platform made
 * the merge a deployment (sandbox, or live on a project with simplified deployments), that is the
 * step's deployment; where it only updated main's draft, the draft is published to sandbox, and the
 * runs of both calls gate the step.
 */
export async function merge(ctx: Context<ConfigFor<'merge'>>): Promise<void> {
  const { config, client, record } = ctx
  const before = await activeDeployments(client, config.agentId)
  recordPrevious(ctx, before, before.sandbox)
  const branch = await resolveBranch(ctx)
  if ('mergedAs' in branch) {
    const { mergedAs } = branch
    record.merge = { branchId: '', branchName: config.branch, resolved: [] }
    recordPrevious(ctx, before, before[mergedAs.environment])
    const reason = `Branch ${config.branch} is merged already: ${mergedAs.environment} runs deployment ${mergedAs.id}, made by an earlier attempt of this workflow run`
    return finishUnchanged(ctx, mergedAs, reason)
  }
  record.merge = { branchId: branch.branchId, branchName: branch.name, resolved: [] }
  record.action = `Merged branch ${branch.name} into main`
  if (config.dryRun) {
    return finishPlanned(ctx, {
      action: `Would merge branch ${branch.name} (${branch.branchId}) into main, then gate on the tests it triggers; conflicts are only known by trying`,
      environment: 'sandbox'
    })
  }
  const merged = await sendMerge(ctx, branch, before)
  if (merged.sequence) {
    record.merge.sequence = merged.sequence
    publish(ctx)
  }
  // What the merge did is read even after a first cancel, which let it finish: it is the step's change.
  const now = await activeDeployments(client, config.agentId, { signal: client.writeSignal })
  const landed = findCreated(before, now, {})
  if (landed) {
    recordPrevious(ctx, before, before[landed.environment])
    ctx.log.info(`The merge deployed to ${landed.environment}: deployment ${landed.id}`)
    return gateChange(ctx, { already: false, mutation: { deployment: landed, testRunIds: merged.testRunIds }, adopted: merged.lost })
  }
  ctx.log.info("The merge updated main's draft; publishing it to sandbox")
  record.action = `Merged branch ${branch.name} into main and published the draft to sandbox`
  try {
    const published = await writeOnce(ctx, now, { environment: 'sandbox', message: ownMessage(config) }, () =>
      publishDraft(client, config.agentId, 'sandbox', ownMessage(config))
    )
    if (published.already) return finishUnchanged(ctx, now.sandbox, 'The merged draft is already published to sandbox', merged.testRunIds)
    const { deployment, testRunIds, runsUnnamed } = published.mutation
    // Runs the merge started are found with the publish's where the merge's answer was lost.
    const adopted = published.adopted || merged.lost
    const mutation = { deployment, testRunIds: [...merged.testRunIds, ...testRunIds], ...(runsUnnamed ? { runsUnnamed } : {}) }
    return gateChange(ctx, { already: false, mutation, adopted })
  } catch (error) {
    if (error instanceof ApiError && error.errorCode === 'DEPLOYMENTS_ALREADY_PUBLISHED') {
      return finishUnchanged(ctx, now.sandbox, 'The merged draft is already published to sandbox', merged.testRunIds)
    }
    throw error
  }
}

/**
 * The branch named by ID or name; main and unknown branches are refused before any write. A merged
 * branch is closed, so a re-run after a merge whose step died finds none: the deployment that carries
 * the merge's default message (it names this workflow run and the branch) is then that merge. A
 * message of the user's own may be another step's too, so it tells nothing.
 */
async function resolveBranch(ctx: Context<ConfigFor<'merge'>>): Promise<Branch | { mergedAs: Deployment }> {
  const { config } = ctx
  const wanted = config.branch
  const branches = await listBranches(ctx.client, config.agentId)
  const branch = branches.find((candidate) => candidate.branchId === wanted) ?? branches.find((candidate) => candidate.name === wanted)
  if (branch?.branchId === 'main') throw new OperationError("Branch 'main' cannot be merged: it is what branches are merged into")
  if (branch) return branch
  if (!config.messageGiven && messageNamesThisRun(config)) {
    const active = await activeDeployments(ctx.client, config.agentId)
    const mergedAs = [active.sandbox, active.live].find((deployment) => madeByThisRun(config, deployment))
    if (mergedAs) return { mergedAs }
  }
  const open = branches.filter((candidate) => candidate.branchId !== 'main').map((candidate) => `${candidate.name} (${candidate.branchId})`)
  throw new OperationError(`No branch '${wanted}' in agent ${ctx.config.agentId}. Its branches: ${open.length > 0 ? open.join(', ') : 'none but main'}`)
}

type Merged = MergeAnswer & { lost: boolean }

/**
 * Sends the merge, at most once in effect. Conflicts fail the step under merge-conflicts: fail;
 * otherwise the merge is sent again, once, resolving every conflict with the chosen strategy.
 */
async function sendMerge(ctx: Context, branch: Branch, before: ActiveByEnvironment): Promise<Merged> {
  const { config, record } = ctx
  let resolutions: ConflictResolution[] = []
  for (let round = 1; ; round++) {
    const result = await sendOnce<MergeResult | { lost: true }>(
      ctx,
      () => mergeBranch(ctx.client, config.agentId, branch.branchId, ownMessage(config), resolutions),
      () => mergedMeanwhile(ctx, branch, before)
    )
    if ('merged' in result) return { ...result.merged, lost: false }
    if ('lost' in result) return { sequence: '', testRunIds: [], lost: true }
    if (result.conflicts.length === 0) {
      // Nothing to resolve, so sending it again would be answered the same.
      throw new OperationError(
        `Branch ${branch.name} was refused as conflicting with main, but the answer names no conflict, so nothing was merged or deployed. Resolve the conflicts in Agent Studio.`
      )
    }
    const listed = result.conflicts.map((conflict) => `${conflict.path.join('.')} (${conflict.type})`)
    if (config.mergeConflicts === 'fail' || round > 1) {
      throw new OperationError(
        `Branch ${branch.name} conflicts with main, so nothing was merged or deployed. Conflicts: ${listed.join(', ')}. ` +
          "Resolve them in Agent Studio, or set merge-conflicts to ours (main wins), theirs (the branch wins) or base."
      )
    }
    const strategy = config.mergeConflicts
    resolutions = result.conflicts.map((conflict) => ({ path: conflict.path, strategy }))
    if (record.merge) record.merge.resolved = listed.map((conflict) => `${conflict}: ${strategy}`)
    ctx.log.info(`Resolving ${listed.length} conflict(s) with ${strategy}: ${listed.join(', ')}`)
  }
}

/** After a lost answer: the merge happened if it deployed something, or if its branch was closed. */
async function mergedMeanwhile(ctx: Context, branch: Branch, before: ActiveByEnvironment): Promise<{ lost: true } | undefined> {
  // Read even after a first cancel, as the merge itself was let finish.
  const call = { signal: ctx.client.writeSignal }
  const now = await activeDeployments(ctx.client, ctx.config.agentId, call)
  const deployed = ENVIRONMENTS.some((environment) => now[environment] && now[environment]?.id !== before[environment]?.id)
  const open = (await listBranches(ctx.client, ctx.config.agentId, call)).some((candidate) => candidate.branchId === branch.branchId)
  if (!deployed && open) return undefined
  ctx.log.warning(`The server did act: branch ${branch.name} was merged; its test runs are found by time`)
  return { lost: true }
}
