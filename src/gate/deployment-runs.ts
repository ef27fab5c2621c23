import { listTestRuns } from '../api/polyai.js'
import type { Deployment, TestRun } from '../api/shapes.js'
import { recentDeployments } from '../operations/find-deployment.js'
import { CancelledError } from '../errors.js'
import type { Context } from '../step/context.js'

/**
 * The test runs a deployment started, found again without the answer that named them. Runs carry
 * no link to their deployment, so they are matched by time, on the server's clock alone (the run's
 * `startedAt` against the deployment's `createdAt`), which no skew of the runner's clock can move:
 * a run is the deployment's when it started from EARLY_MS before to LATE_MS after the deployment was
 * created, and no deployment of another version, in any environment, was created in that window
 * around the run (one of the same version is the same build, so its runs test the same thing).
 * Anything less clear is no answer: the caller fails closed, and where runs were found near the
 * deployment but cannot be told from another version's, one of them that failed fails the gate.
 */

export const EARLY_MS = 30_000
export const LATE_MS = 120_000
/** The agent's run list is read a page at a time, back to the window to match, up to this many pages. */
export const RUN_PAGE = 100
export const RUN_PAGES = 10
const RECENT_DEPLOYMENTS = 50

type Dated = Pick<Deployment, 'id' | 'version' | 'createdAt'>
/**
 * `runs`: each as the agent's run list showed it, so runs that had finished need no poll of their own.
 * `unclear`: runs that started near the deployment but may be another version's.
 */
type Matched = { runs: TestRun[]; deployment: Dated } | { problem: string; unclear?: TestRun[]; noneNear?: true }
/** The API refused or failed the read itself: whether runs exist, and how they went, is unknown. */
type Unreadable = { problem: string; unreadable: true }
export type FoundRuns = Matched | Unreadable

/** Whether no run at all started near the deployment, on a list read back past it: it started none. */
export const noneNear = (found: FoundRuns): boolean => 'noneNear' in found

/** Whether the runs were not looked for at all, as the read failed (an API error, not an empty answer). */
export const isUnreadable = (found: FoundRuns): found is Unreadable => 'unreadable' in found

/** The IDs of the runs found. */
export const idsOf = (found: { runs: TestRun[] }): string[] => found.runs.map((run) => run.id)

/** The runs that started near the deployment but may be another version's; none where the answer is clear. */
export const unclearOf = (found: FoundRuns): TestRun[] => ('unclear' in found ? (found.unclear ?? []) : [])

/**
 * `sameBuild`: the runs of the build rather than of this deployment alone, a promote's evidence:
 * this deployment's own where they can be found, else those of the newest other deployment of its
 * version whose runs can be found (the latest word on the build).
 */
export async function findRunsOf(ctx: Context, deployment: Dated, { sameBuild = false } = {}): Promise<FoundRuns> {
  let read: RunsRead, deployments: Dated[]
  let reading = "the agent's recent deployments"
  try {
    deployments = await recentDeployments(ctx, RECENT_DEPLOYMENTS)
    // Back to the window of the oldest deployment that may be asked about.
    const asked = sameBuild ? [deployment, ...deployments.filter((other) => other.version === deployment.version)] : [deployment]
    reading = "the agent's recent test runs"
    read = await readRunsBack(ctx, Math.min(...asked.map((one) => Date.parse(one.createdAt) - EARLY_MS).filter(Number.isFinite)))
  } catch (error) {
    if (error instanceof CancelledError) throw error
    return { problem: `${reading} could not be read: ${(error as Error).message}`, unreadable: true }
  }
  return sameBuild ? matchBuildRuns(deployment, read, deployments) : matchRuns(deployment, read, deployments)
}

/**
 * Runs read from the agent's list, and `completeAfter`: every run that started after that moment
 * (server clock) is among them; -Infinity where the whole list was read.
 */
export interface RunsRead {
  runs: TestRun[]
  completeAfter: number
}

/**
 * The agent's runs, a page at a time, until every run that started from `sinceMs` on is read. No
 * source gives the list's order: only where it is newest first does a page that reaches back past
 * `sinceMs` show that none is left; otherwise only the end of the list does. A deployment's runs
 * cut off by a page's end would otherwise leave the failed ones unseen.
 */
async function readRunsBack(ctx: Context, sinceMs: number): Promise<RunsRead> {
  const byId = new Map<string, TestRun>()
  let newestFirst = true
  let oldest = Number.POSITIVE_INFINITY
  let offset = 0
  for (let page = 0; page < RUN_PAGES; page++) {
    const runs = await listTestRuns(ctx.client, ctx.config.agentId, RUN_PAGE, offset)
    // No source gives a page's maximum: a server may hold fewer than asked without saying, so the
    // next page starts after the runs this one held, and only an empty one ends the list.
    if (runs.length === 0) return { runs: [...byId.values()], completeAfter: Number.NEGATIVE_INFINITY }
    offset += runs.length
    for (const run of runs) {
      byId.set(run.id, run)
      // Runs without a start cannot be matched by time: they say nothing of the order either.
      const startedAt = Date.parse(run.startedAt ?? '')
      if (!Number.isFinite(startedAt)) continue
      if (startedAt > oldest) newestFirst = false
      oldest = Math.min(oldest, startedAt)
    }
    if (newestFirst && oldest < sinceMs) break
  }
  return { runs: [...byId.values()], completeAfter: newestFirst ? oldest : Number.POSITIVE_INFINITY }
}

/** `sameBuild`'s order, on what was read: pure. */
export function matchBuildRuns(deployment: Dated, runs: RunsRead, deployments: Dated[]): Matched {
  // Its own runs first, and the newest other deployment's only where it has none near it at all: an
  // older deployment's passing runs must not hide that a newer one's failed, even unclear ones.
  const own = matchRuns(deployment, runs, deployments)
  if ('runs' in own || own.unclear) return own
  const others = deployments
    .filter((other) => other.version === deployment.version && other.id !== deployment.id)
    .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
  for (const other of others) {
    const found = matchRuns(other, runs, deployments)
    if ('runs' in found || found.unclear) return found
  }
  return own
}

/** The rule itself, on what was read: pure. */
export function matchRuns(deployment: Dated, { runs, completeAfter }: RunsRead, deployments: Dated[]): Matched {
  const createdAt = Date.parse(deployment.createdAt)
  if (!Number.isFinite(createdAt)) return { problem: `the creation time '${deployment.createdAt}' of deployment ${deployment.id} cannot be read` }
  const candidates = runs.filter((run) => within(Date.parse(run.startedAt ?? ''), createdAt))
  if (createdAt - EARLY_MS <= completeAfter) {
    // Some of its runs may be past what was read: those seen cannot stand for all of them.
    const reach = Number.isFinite(completeAfter) ? `only those that started after ${new Date(completeAfter).toISOString()} were all read` : 'their order cannot be told'
    return {
      problem: `the agent's test runs could not all be read back to its creation (${RUN_PAGES} pages of up to ${RUN_PAGE}; ${reach})`,
      ...(candidates.length > 0 ? { unclear: candidates } : {})
    }
  }
  if (candidates.length === 0) {
    return { problem: `no test run started from ${EARLY_MS / 1000}s before to ${LATE_MS / 1000}s after it was created (${deployment.createdAt}, server clock)`, noneNear: true }
  }
  const rivals = deployments.filter(
    (other) => other.version !== deployment.version && candidates.some((run) => within(Date.parse(run.startedAt ?? ''), Date.parse(other.createdAt)))
  )
  if (rivals.length > 0) {
    return {
      problem: `test runs ${candidates.map((run) => run.id).join(', ')} started near it, but deployment(s) ${rivals.map((other) => other.id).join(', ')} ` +
        'of another version were created near them too, so which are its own cannot be told',
      unclear: candidates
    }
  }
  return { runs: candidates, deployment }
}

/** Whether a run that started at `startedAt` may belong to a deployment created at `createdAt`. */
function within(startedAt: number, createdAt: number): boolean {
  return Number.isFinite(startedAt) && Number.isFinite(createdAt) && startedAt >= createdAt - EARLY_MS && startedAt <= createdAt + LATE_MS
}
