import type { Deployment } from '../api/shapes.js'
import type { Environment } from '../config/config.js'
import { OperationError } from '../errors.js'
import { Context, warn } from '../step/context.js'
import { HISTORY_LIMIT, recentDeployments } from '../operations/find-deployment.js'

/**
 * Never move an older build over a newer one. "Newer" is when each version was built: its
 * `artifactVersion`, a timestamp in every recorded answer; where that cannot be read, when each
 * version first appeared in the environments' histories. Never the deployments' own `createdAt`:
 * after a rollback the target's active deployment is new but runs an old build.
 */
export async function refuseDowngrade(ctx: Context, source: Deployment, target: Environment, current: Deployment | null): Promise<void> {
  if (!current || current.version === source.version || ctx.config.allowDowngrade) return
  const built = await buildTimes(ctx, source, current)
  if (!built) {
    warn(ctx, `Cannot tell whether ${target}'s version ${current.version} is newer than ${source.version}: neither build time nor first appearance can be read`)
    return
  }
  if (built.current <= built.source) return
  throw new OperationError(
    `Refusing to promote an older build over a newer one: ${target} runs deployment ${current.id} (version ${current.version}, ${built.how} ${iso(built.current)}), ` +
      `newer than deployment ${source.id} (version ${source.version}, ${built.how} ${iso(built.source)}). Nothing was written. ` +
      'To go back on purpose, use operation: rollback, or set allow-downgrade: true.'
  )
}

type BuildTimes = { source: number; current: number; how: 'built' | 'first deployed' }

async function buildTimes(ctx: Context, source: Deployment, current: Deployment): Promise<BuildTimes | undefined> {
  const sourceBuilt = timestamp(source.artifactVersion)
  const currentBuilt = timestamp(current.artifactVersion)
  if (sourceBuilt !== undefined && currentBuilt !== undefined) return { source: sourceBuilt, current: currentBuilt, how: 'built' }
  const histories = await recentDeployments(ctx, HISTORY_LIMIT)
  const firstSeen = (version: string): number | undefined => {
    const times = histories.filter((deployment) => deployment.version === version).map((deployment) => timestamp(deployment.createdAt))
    const known = times.filter((time): time is number => time !== undefined)
    return known.length > 0 ? Math.min(...known) : undefined
  }
  const sourceSeen = firstSeen(source.version)
  const currentSeen = firstSeen(current.version)
  if (sourceSeen === undefined || currentSeen === undefined) return undefined
  return { source: sourceSeen, current: currentSeen, how: 'first deployed' }
}

/** An ISO 8601 date-time, as `artifactVersion` and `createdAt` are recorded; anything else is unreadable. */
function timestamp(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return undefined
  const ms = Date.parse(text)
  return Number.isFinite(ms) ? ms : undefined
}

const iso = (ms: number): string => new Date(ms).toISOString()
