import { describe, expect, it } from '@jest/globals'
import type { Environment } from '../../src/config/config.js'
import type { ApiClient } from '../../src/api/client.js'
import type { Deployment } from '../../src/api/shapes.js'
import { OperationError } from '../../src/errors.js'
import type { Context } from '../../src/step/context.js'
import { refuseDowngrade } from '../../src/gate/downgrade-guard.js'

// The guard on its own: build times first, first appearance in the histories where those are unreadable.
function deployment(id: string, environment: Environment, version: string, createdAt: string, artifactVersion = ''): Deployment {
  return { id, agentId: 'a', environment, version, createdAt, artifactVersion, createdBy: '' }
}

/** A context whose client answers the history of each environment from `history`. */
function contextWith(history: Deployment[], allowDowngrade = false): { ctx: Context; warnings: string[] } {
  const warnings: string[] = []
  const client = {
    get: async (_path: string, call: { query: { environment: Environment } }) => ({
      status: 200,
      correlationId: 'c-1',
      body: { deployments: history.filter((entry) => entry.environment === call.query.environment) }
    })
  } as unknown as ApiClient
  const ctx = { client, config: { agentId: 'a', allowDowngrade }, record: { warnings }, log: { warning: () => undefined } } as unknown as Context
  return { ctx, warnings }
}

const refusal = async (run: Promise<void>): Promise<string> => {
  try {
    await run
    return 'allowed'
  } catch (error) {
    expect(error).toBeInstanceOf(OperationError)
    return (error as Error).message
  }
}

describe('refuseDowngrade', () => {
  const older = deployment('sb', 'sandbox', 'v1', '2026-06-01T10:00:00Z', '2026-06-01T09:59:00Z')
  const newer = deployment('pr', 'pre-release', 'v2', '2026-06-01T11:00:00Z', '2026-06-01T10:59:00Z')

  it('refuses an older build by its build time, naming both deployments, versions and dates', async () => {
    const { ctx } = contextWith([])
    expect(await refusal(refuseDowngrade(ctx, older, 'pre-release', newer))).toBe(
      'Refusing to promote an older build over a newer one: pre-release runs deployment pr (version v2, built 2026-06-01T10:59:00.000Z), ' +
        'newer than deployment sb (version v1, built 2026-06-01T09:59:00.000Z). Nothing was written. ' +
        'To go back on purpose, use operation: rollback, or set allow-downgrade: true.'
    )
  })

  it('allows a newer build, the same version, nothing active, or allow-downgrade', async () => {
    const { ctx } = contextWith([])
    expect(await refusal(refuseDowngrade(ctx, newer, 'live', older))).toBe('allowed')
    expect(await refusal(refuseDowngrade(ctx, older, 'live', { ...older, id: 'lv', environment: 'live' }))).toBe('allowed')
    expect(await refusal(refuseDowngrade(ctx, older, 'live', null))).toBe('allowed')
    expect(await refusal(refuseDowngrade(contextWith([], true).ctx, older, 'pre-release', newer))).toBe('allowed')
  })

  it('after a rollback judges the target by its build, not by its new deployment', async () => {
    const rolledBack = deployment('lv-2', 'live', 'v1', '2026-06-01T12:00:00Z', older.artifactVersion)
    const { ctx } = contextWith([])
    expect(await refusal(refuseDowngrade(ctx, newer, 'live', rolledBack))).toBe('allowed')
  })

  it('falls back to when each version first appeared where build times cannot be read', async () => {
    const source = deployment('sb-2', 'sandbox', 'v1', '2026-06-01T13:00:00Z', 'art-1')
    const target = deployment('pr-2', 'pre-release', 'v2', '2026-06-01T12:00:00Z', 'art-2')
    const history = [
      deployment('sb-1', 'sandbox', 'v1', '2026-06-01T10:00:00Z', 'art-1'),
      deployment('sb-0', 'sandbox', 'v2', '2026-06-01T11:00:00Z', 'art-2'),
      source,
      target
    ]
    const { ctx } = contextWith(history)
    expect(await refusal(refuseDowngrade(ctx, source, 'pre-release', target))).toMatch(
      /^Refusing to promote an older build over a newer one: pre-release runs deployment pr-2 \(version v2, first deployed 2026-06-01T11:00:00\.000Z\), newer than deployment sb-2 \(version v1, first deployed 2026-06-01T10:00:00\.000Z\)/
    )
  })

  it('lets it through with a warning where neither can be read', async () => {
    const { ctx, warnings } = contextWith([])
    const source = deployment('sb', 'sandbox', 'v1', 'unknown', 'art')
    expect(await refusal(refuseDowngrade(ctx, source, 'live', deployment('lv', 'live', 'v2', 'unknown', 'art')))).toBe('allowed')
    expect(warnings).toEqual(["Cannot tell whether live's version v2 is newer than v1: neither build time nor first appearance can be read"])
  })
})
