import type { Deployment } from '../api/shapes.js'
import type { Context } from '../step/context.js'
import { sleep } from '../time/sleep.js'
import { findRunsOf, idsOf, noneNear } from './deployment-runs.js'

/**
 * The runs a write started, found by when they started, where its answer did not name them. Its
 * answer `lost`: any doubt is a problem, none near included. Its answer `unnamed` them (the contract
 * lets a publish's leave `testRunIds` out): read right after the write, the list may not show them
 * all yet (a new run may answer 404 for a while, or start late), so none near is read again after 2,
 * 4 and 8 s before it counts as none started, and the list is read once more after the gate
 * (lateRunsOf).
 */
const REREAD_MS = [2000, 4000, 8000]

export type RunsAfterWrite = { ids: string[] } | { problem: string }

export async function runsAfterWrite(ctx: Context, deployment: Deployment, answer: 'lost' | 'unnamed'): Promise<RunsAfterWrite> {
  for (let read = 0; ; read++) {
    const found = await findRunsOf(ctx, deployment)
    if ('runs' in found) return { ids: idsOf(found) }
    if (answer === 'lost' || !noneNear(found)) return { problem: found.problem }
    if (read === REREAD_MS.length) return { ids: [] }
    await sleep(REREAD_MS[read], ctx.signal)
  }
}

/** Runs the list now shows near the deployment that are not among those gated: listed late. */
export async function lateRunsOf(ctx: Context, deployment: Deployment, gated: string[]): Promise<string[]> {
  const found = await findRunsOf(ctx, deployment)
  return 'runs' in found ? idsOf(found).filter((id) => !gated.includes(id)) : []
}
