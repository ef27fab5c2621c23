import { rollbackTo } from '../api/polyai.js'
import type { ActiveByEnvironment, Deployment } from '../api/shapes.js'
import type { Environment } from '../config/config.js'
import { ApiError, CancelledError, OperationError } from '../errors.js'
import { findRunsOf, FoundRuns, idsOf, isUnreadable, noneNear, unclearOf } from './deployment-runs.js'
import { lateRunsOf, runsAfterWrite } from './runs-after-write.js'
import { waitForTestRuns } from './poller.js'
import { ProgressLog } from './progress.js'
import { reportFrom, RunReport, stateOf, verdictOf } from './verdict.js'
import { publish } from '../report/outputs.js'
import { Context, Evidence, fail, failureOf, GatedBy, warn } from '../step/context.js'
import { WriteOutcome, writeOnce } from '../operations/write-once.js'
import { mayBeMadeByThisRun } from '../operations/find-deployment.js'

/** What publish, promote and rollback share once the write is answered: outputs, the gate, the rollback. */

export function recordPrevious(ctx: Context, before: ActiveByEnvironment, previous: Deployment | null): void {
  ctx.record.activeBefore = before
  ctx.record.previous = previous
  publish(ctx)
}

/**
 * Nothing to do: the environment runs that version already. The runs its active deployment
 * triggered gate it where they can be found (for a promote, else its build's runs), so a re-run
 * after a failed gate stays red: so does one of the runs near it that did not pass (those still
 * going waited on), where which are its own cannot be told. A deployment an earlier attempt of this
 * workflow run made (or, on a re-run, may have made: one that kept no message) is a change no test
 * gated where no run started near it (if-no-tests decides), and fails where whether one did cannot
 * be told. Otherwise, where none can be found, if-unchanged decides.
 * `triggered`: runs the step's own call started all the same (a merge whose draft was published
 * already), which gate it first.
 */
export async function finishUnchanged(ctx: Context, current: Deployment | null, reason: string, triggered: string[] = []): Promise<void> {
  const { record, config } = ctx
  if (config.dryRun) {
    // A plan reports the no-op; whether it would fail the step is for the real run.
    return finishPlanned(ctx, { action: `Would do nothing: ${reason}`, environment: record.environment, deployment: current ?? undefined })
  }
  record.action = reason
  record.changed = false
  record.deployment = current ?? undefined
  publish(ctx)
  if (triggered.length > 0) {
    record.testRunIds = triggered
    if (!config.waitForTests) return skipTests(ctx)
    gatedBy(ctx, 'triggered')
    return gateTestRuns(ctx, triggered)
  }
  if (current && config.waitForTests) {
    // A promote rarely triggers runs of its own: the build's runs below gate it, as they did the first time.
    const sameBuild = record.operation === 'promote'
    const found = await findRunsOf(ctx, current, { sameBuild })
    if ('runs' in found) {
      const own = found.deployment.id === current.id
      const whose = own ? `its active deployment ${current.id}` : `deployment ${found.deployment.id}, of the same build,`
      ctx.log.info(`${reason}; gating on the ${found.runs.length} test run(s) ${whose} triggered`)
      gatedBy(ctx, own ? 'active-deployment' : 'promoted-deployment', `Nothing changed; gated by the test runs that deployment ${found.deployment.id} triggered when it was made`)
      record.testRunIds = idsOf(found)
      publish(ctx)
      return gateTestRuns(ctx, record.testRunIds)
    }
    if (isUnreadable(found)) {
      skipTests(ctx)
      return fail(record, `${reason}, and whether the test runs of deployment ${current.id} passed cannot be told, as ${found.problem}`)
    }
    ctx.log.info(`The test runs of deployment ${current.id}${sameBuild ? ' and of its build' : ''} cannot be found: ${found.problem}`)
    const near = await reportsNear(ctx, found)
    if (near.some((report) => report.state !== 'passed')) return failOnUnclearRuns(ctx, current, reason, near)
    // Where the deployment was this workflow run's own change, none near it (nor its build's) means none gated it.
    const gatedChange = record.operation === 'publish' || record.operation === 'merge' || sameBuild
    if (gatedChange && mayBeMadeByThisRun(config, current)) {
      if (noneNear(found)) return noRunsTriggered(ctx, current, undefined)
      // Its runs may be past what could be read, or not told from another version's: no telling.
      skipTests(ctx)
      return fail(record, `${reason}, and deployment ${current.id} may be this workflow run's own change, of which whether a test gated it cannot be told, as ${found.problem}`)
    }
  }
  skipTests(ctx)
  if (config.ifUnchanged === 'fail') {
    fail(record, `${reason}; no tests ran, and if-unchanged is fail`)
  } else {
    warn(ctx, `${reason}; no tests ran (set if-unchanged: fail to fail the step instead)`)
  }
}

/**
 * Runs near the environment's deployment cannot be told from another version's, and some failed:
 * the gate fails on them (another version's failure is the safer guess to fail on than to pass).
 */
function failOnUnclearRuns(ctx: Context, current: Deployment, reason: string, reports: RunReport[]): void {
  const { record, config } = ctx
  const against = reports.filter((report) => report.state !== 'passed')
  gateOnReports(ctx, 'active-deployment', `Nothing changed; the runs near deployment ${current.id} cannot be told from another version's, and ${against.length} of them did not pass`, reports)
  const line = `${reason}; test run(s) ${against.map((report) => report.id).join(', ')} started near its active deployment ${current.id} and did not pass, and which runs are its own cannot be told`
  if (config.failOnTestFailure) fail(record, `${line}, so the gate fails`)
  else warn(ctx, `${line} (fail-on-test-failure is false, so the step passes)`)
}

/**
 * The runs near a deployment that may be another version's, each as a report: those still going are
 * waited on, as one of them that fails counts against the deployment as much as one that failed.
 */
export async function reportsNear(ctx: Context, found: FoundRuns): Promise<RunReport[]> {
  const unclear = unclearOf(found)
  const going = unclear.filter((run) => stateOf(run) === 'running').map((run) => run.id)
  if (going.length > 0) ctx.log.info(`Waiting on ${going.length} test run(s) still going near the deployment, which may be its own`)
  const polled = going.length > 0 ? await pollRuns(ctx, going) : []
  if (ctx.signal.aborted) throw new CancelledError()
  return unclear.map((run) => polled.find((report) => report.id === run.id) ?? reportFrom(run, stateOf(run), 0))
}

function gatedBy(ctx: Context, by: GatedBy, note?: string): void {
  ctx.record.gatedBy = by
  if (note) ctx.record.gateNote = note
  publish(ctx)
}

/** Runs already reported (a build's, or those near a deployment) are the step's gate: they are its verdict. */
export function gateOnReports(ctx: Context, by: GatedBy, note: string, reports: RunReport[], testRunIds = reports.map((report) => report.id)): void {
  const { record } = ctx
  record.gatedBy = by
  record.gateNote = note
  record.testRunIds = testRunIds
  record.reports = reports
  record.verdict = verdictOf(reports)
  publish(ctx)
}

/** No tests are waited on: the verdict is `skipped`. */
function skipTests(ctx: Context): void {
  gatedBy(ctx, 'none')
  ctx.record.verdict = { result: 'skipped', passed: 0, failed: 0, errored: 0, total: 0 }
  publish(ctx)
}

/** A dry run stops here: report what would be done, write nothing. */
export function finishPlanned(
  ctx: Context,
  plan: { action: string; environment?: Environment; deployment?: Pick<Deployment, 'id' | 'version'> }
): void {
  const { record } = ctx
  record.ending = { kind: 'planned' }
  record.planned = plan.deployment
  record.action = plan.action
  record.changed = false
  record.environment = plan.environment ?? record.environment
  skipTests(ctx)
  ctx.log.info(`Dry run: ${plan.action}; nothing was written`)
}

/**
 * A deployment was created: report it, wait for its tests, and roll back when asked and they fail.
 * `evidence`: the passing runs of the build a promote moved, which gate it where it triggered none.
 */
export async function gateChange(ctx: Context, outcome: WriteOutcome & { already: false }, evidence?: Evidence): Promise<void> {
  const { record, config, log } = ctx
  const { deployment, testRunIds } = outcome.mutation
  record.changed = true
  record.deployment = deployment
  record.environment = deployment.environment
  record.testRunIds = testRunIds
  publish(ctx)
  log.info(`${record.action}: deployment ${deployment.id}, version ${deployment.version}`)
  const mirrored = await ctx.github?.started(config.agentId, deployment, record.action ?? '')
  let settled = false
  try {
    await gateOn(ctx, outcome, evidence)
    const result = record.verdict?.result
    // A cancelled wait decided nothing: the mirror says so in `finally`.
    if (result === 'cancelled') return
    const passed = !failureOf(record) && (result === 'passed' || result === 'none' || result === 'skipped')
    await ctx.github?.finished(mirrored, passed ? 'success' : 'failure', verdictLine(ctx))
    settled = true
    if (config.rollbackOnFailure && (result === 'failed' || result === 'timed-out')) {
      // Once the run is cancelled nothing more is written: the failed change stands, and the step says so.
      if (ctx.signal.aborted) return warn(ctx, `rollback-on-failure: not done, as the run was cancelled; ${record.environment} still runs deployment ${deployment.id}`)
      await rollBackAfterFailure(ctx)
    }
  } finally {
    if (!settled) await ctx.github?.finished(mirrored, 'error', 'The step ended before the gate decided')
  }
}

/** The gate itself: the triggered runs, found again where the answer naming them was lost. */
async function gateOn(ctx: Context, outcome: WriteOutcome & { already: false }, evidence?: Evidence): Promise<void> {
  const { record, config, log } = ctx
  const { deployment } = outcome.mutation
  // The runs its answer did not name (lost, or left out) are found by when they started.
  const { runsUnnamed } = outcome.mutation
  if (outcome.adopted || runsUnnamed) {
    const found = await runsAfterWrite(ctx, deployment, outcome.adopted ? 'lost' : 'unnamed')
    if ('problem' in found) {
      const why = outcome.adopted ? 'the answer naming its test runs was lost' : 'its answer did not name its test runs'
      skipTests(ctx)
      fail(record, `Deployment ${deployment.id} was created, but ${why} and they cannot be found (${found.problem}), so the gate cannot tell whether they pass. Check the test runs in PolyAI before going on.`)
      return
    }
    record.testRunIds = [...new Set([...record.testRunIds, ...found.ids])]
    publish(ctx)
    log.info(
      outcome.adopted
        ? `Found the ${found.ids.length} test run(s) of deployment ${deployment.id} in the agent's recent runs`
        : `Its answer named no test runs: found ${found.ids.length} of deployment ${deployment.id} in the agent's recent runs`
    )
  }
  if (record.testRunIds.length === 0) return noRunsTriggered(ctx, deployment, evidence)
  if (!config.waitForTests) {
    skipTests(ctx)
    log.info(`Not waiting for ${record.testRunIds.length} test run(s) (wait-for-tests: false)`)
    return
  }
  gatedBy(ctx, 'triggered')
  await gateTestRuns(ctx, record.testRunIds)
  if (runsUnnamed && record.verdict?.result === 'passed') {
    // Runs the list showed only later are the deployment's too: they gate it as well.
    const late = await lateRunsOf(ctx, deployment, record.testRunIds)
    if (late.length === 0) return
    log.info(`${late.length} more test run(s) of deployment ${deployment.id} are listed now: waiting on them too`)
    record.testRunIds = [...record.testRunIds, ...late]
    publish(ctx)
    await gateTestRuns(ctx, record.testRunIds)
  }
}

/**
 * The call triggered no test run. A rollback passes: it returns to a version that ran before. A
 * promote is gated by the passing runs of the build it moved, where there are any; otherwise no
 * test gated the change, and if-no-tests decides.
 */
function noRunsTriggered(ctx: Context, deployment: Deployment, evidence: Evidence | undefined): void {
  const { record, config, log } = ctx
  if (evidence && evidence.reports.length > 0) {
    const note = `The promote triggered no test run; it is gated by the ${evidence.reports.length} passing test run(s) of deployment ${evidence.deployment.id}, of the build it promoted (version ${evidence.deployment.version})`
    gateOnReports(ctx, 'promoted-deployment', note, evidence.reports)
    log.info(note)
    return
  }
  record.verdict = verdictOf([])
  publish(ctx)
  gatedBy(ctx, 'none')
  if (record.operation === 'rollback') {
    warn(ctx, 'The rollback triggered no test run; it returns to a version that ran before, so the step passes')
    return
  }
  const line = `No test gated this deployment: the ${record.operation} triggered no test run`
  record.gateNote = `The ${record.operation} triggered no test run, and no other run gated it`
  if (config.ifNoTests === 'pass') return warn(ctx, `${line} (if-no-tests is pass)`)
  fail(
    record,
    `${line}. The change stands: ${deployment.environment} now runs deployment ${deployment.id} (version ${deployment.version}). ` +
      'Add tests that this call triggers, or set if-no-tests: pass to accept deployments no test gated.'
  )
}

function verdictLine(ctx: Context): string {
  const verdict = ctx.record.verdict
  if (!verdict) return failureOf(ctx.record) ?? 'No verdict'
  if (verdict.total === 0) return `Tests ${verdict.result}`
  return `Tests ${verdict.result}: ${verdict.passed}/${verdict.total} cases passed`
}

/** Waits on the runs and records the verdict; a failed or timed-out verdict fails the step unless fail-on-test-failure is false. */
export async function gateTestRuns(ctx: Context, testRunIds: string[]): Promise<void> {
  const { record, config, log } = ctx
  record.reports = await pollRuns(ctx, testRunIds)
  record.verdict = verdictOf(record.reports)
  publish(ctx)
  if (ctx.signal.aborted) return
  const { result } = record.verdict
  if (result === 'failed' || result === 'timed-out') {
    if (config.failOnTestFailure) fail(record, failureLine(ctx))
    // Recorded, not only logged: the summary must not headline a failed gate as a clean pass.
    else warn(ctx, `${failureLine(ctx)} (fail-on-test-failure is false, so the step passes)`)
  } else {
    log.info(`All ${testRunIds.length} test run(s) passed: ${record.verdict.passed}/${record.verdict.total} cases`)
  }
}

/**
 * Waits on the runs until each finishes, the timeout passes or the step is cancelled. The timeout
 * counts from the step's first wait: a wait that starts with none of it left ends timed out at once.
 */
export async function pollRuns(ctx: Context, testRunIds: string[]): Promise<RunReport[]> {
  const { config, log } = ctx
  const now = Date.now()
  const shared = ctx.waitDeadline ?? {}
  const deadline = (shared.at ??= now + config.timeoutMs)
  const leftMs = Math.max(0, deadline - now)
  const rest = leftMs < config.timeoutMs ? ` (what is left of timeout ${Math.round(config.timeoutMs / 1000)}s)` : ''
  log.info(`Waiting for ${testRunIds.length} test run(s), at most ${Math.round(leftMs / 1000)}s${rest}`)
  const progress = new ProgressLog(testRunIds.length, log.info)
  try {
    return await waitForTestRuns(testRunIds, {
      client: ctx.client,
      agentId: config.agentId,
      pollIntervalMs: config.pollIntervalMs,
      deadline,
      signal: ctx.signal,
      // In the summary too: a gate judged past a status no source names is worth a reader's look.
      warn: (message) => warn(ctx, message),
      onPoll: (run) => progress.polled(run),
      onRunFinished: (report) => progress.finishedRun(report)
    })
  } finally {
    progress.stop()
    log.info(progress.line())
  }
}

function failureLine(ctx: Context): string {
  const { reports, verdict } = ctx.record
  const bad = reports.filter((report) => report.state !== 'passed')
  const named = bad.map((report) => `${report.id} (${report.state}${report.note ? `: ${report.note}` : ''})`).join(', ')
  const what = verdict?.result === 'timed-out' ? 'did not finish in time' : 'failed'
  const whose = ctx.record.gatedBy === 'active-deployment' ? ` (the runs of deployment ${ctx.record.deployment?.id}, which the environment already ran)` : ''
  return `The gate failed: ${bad.length} of ${reports.length} test run(s)${whose} ${what}: ${named}`
}

/** Returns the environment to what it ran before this step. */
async function rollBackAfterFailure(ctx: Context): Promise<void> {
  const { record, config, log } = ctx
  const previous = record.previous
  if (!previous) {
    return warn(ctx, `rollback-on-failure: nothing was active in ${record.environment} before, so there is nothing to roll back to`)
  }
  log.info(`rollback-on-failure: returning ${record.environment} to deployment ${previous.id} (version ${previous.version})`)
  const before = { ...record.activeBefore!, [previous.environment]: record.deployment ?? null } as ActiveByEnvironment
  let outcome: WriteOutcome
  try {
    outcome = await writeOnce(ctx, before, { environment: record.environment, version: previous.version }, () =>
      rollbackTo(ctx.client, config.agentId, previous.id, `Automatic rollback: the gate failed for ${record.deployment?.id}. ${config.message}`),
      { repeatRefused: false }
    )
  } catch (error) {
    // Answered with an error (the ADK says the platform rolls back only in sandbox): nothing changed.
    // The gate's failure stays the step's headline, with what is left to do; where the gate did not
    // fail the step (fail-on-test-failure: false), the failed rollback does.
    if (!(error instanceof ApiError)) throw error
    const refused = error.status >= 400 && error.status < 500 && error.status !== 429 ? 'was refused' : 'failed'
    const line = `rollback-on-failure: the rollback ${refused} (${error.message}); ${record.environment} still runs deployment ${record.deployment?.id}, which failed its gate: return it to deployment ${previous.id} (version ${previous.version}) in Agent Studio`
    return failureOf(record) ? warn(ctx, line) : fail(record, line)
  }
  if (outcome.already) throw new OperationError('The rollback answered that nothing changed')
  record.rolledBackTo = outcome.mutation.deployment
  publish(ctx)
  const mirrored = await ctx.github?.started(config.agentId, outcome.mutation.deployment, `Rolled back after the gate failed for ${record.deployment?.id}`)
  await ctx.github?.finished(mirrored, 'success', 'Rolled back after a failed gate')
  log.warning(`Rolled ${record.environment} back to version ${previous.version} (new deployment ${outcome.mutation.deployment.id})`)
}
