import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import type { Emulator } from '../../emulator/server.js'
import { emulatorWith, expectClean, QUICK_TESTS, run } from './harness.js'

// dry-run: every operation resolves what it would do and reports it; the emulator sees no write.
let emulator: Emulator
let sandbox: { id: string }
let oldLive: { id: string }
beforeEach(async () => {
  emulator = await emulatorWith({ 'agent-1': QUICK_TESTS, 'agent-2': QUICK_TESTS })
  // Seeded oldest build first: a build seeded later is newer.
  oldLive = emulator.seedDeployment('agent-1', 'live', { version: 'v1' })
  emulator.seedDeployment('agent-1', 'pre-release', { version: 'v2' })
  emulator.seedDeployment('agent-1', 'live', { version: 'v2' })
  sandbox = emulator.seedDeployment('agent-1', 'sandbox', { version: 'v3' })
})
afterEach(() => emulator.close())

function expectNoWrites(): void {
  expect(emulator.requests.filter((request) => request.method !== 'GET')).toEqual([])
  expect(emulator.writes()).toEqual([])
}

describe('a dry run writes nothing, and says what would happen', () => {
  it('publish', async () => {
    const result = await run(emulator, { operation: 'publish', 'dry-run': 'true' })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    expectNoWrites()
    expect(result.outputs).toMatchObject({ environment: 'sandbox', changed: 'false', 'tests-result': 'skipped', 'previous-deployment-id': sandbox.id })
    expect(result.summary).toContain('📝 Dry run, nothing written')
    expect(result.summary).toContain('Would publish the draft to sandbox')
  })

  it('promote: which deployment, into which environment, which version', async () => {
    const result = await run(emulator, { operation: 'promote', environment: 'pre-release', 'dry-run': 'true' })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    expectNoWrites()
    expect(result.outputs).toMatchObject({ environment: 'pre-release', 'deployment-id': sandbox.id, version: 'v3', changed: 'false' })
    expect(result.stdout).toContain(`Dry run: Would promote ${sandbox.id} (version v3) to pre-release; nothing was written`)
    // `results` names it as the outputs do.
    expect(JSON.parse(result.outputs.results)).toEqual([expect.objectContaining({ environment: 'pre-release', deploymentId: sandbox.id, version: 'v3', changed: false, dryRun: true })])
  })

  it('promote that would be a no-op says so, and does not fail even with if-unchanged: fail', async () => {
    const result = await run(emulator, { operation: 'promote', environment: 'live', 'dry-run': 'true', 'if-unchanged': 'fail' })
    expect(result.code).toBe(0)
    expectNoWrites()
    expect(result.stdout).toContain('Dry run: Would do nothing: live already runs version v2')
  })

  it('rollback: the deployment it would return to', async () => {
    const result = await run(emulator, { operation: 'rollback', environment: 'live', 'dry-run': 'true' })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    expectNoWrites()
    expect(result.outputs).toMatchObject({ environment: 'live', 'deployment-id': oldLive.id, version: 'v1' })
  })

  it('release: what each rung would run', async () => {
    const result = await run(emulator, { operation: 'release', 'deployment-id': sandbox.id, 'dry-run': 'true' })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    expectNoWrites()
    const rungs = JSON.parse(result.outputs.release) as { environment: string; action: string; planned: boolean }[]
    expect(rungs.map((rung) => [rung.environment, rung.action])).toEqual([
      ['sandbox', `Started from ${sandbox.id} in sandbox`],
      ['pre-release', `Would promote ${sandbox.id} (version v3) to pre-release`],
      ['live', `Would promote ${sandbox.id} (version v3) to live`]
    ])
    const [entry] = JSON.parse(result.outputs.results) as { deploymentId: string; version: string; release: { deploymentId: string }[] }[]
    expect(entry).toMatchObject({ deploymentId: sandbox.id, version: 'v3' })
    expect(entry.release.map((rung) => rung.deploymentId)).toEqual([sandbox.id, sandbox.id, sandbox.id])
  })

  it('release from the draft: the publish, then what it would promote', async () => {
    const result = await run(emulator, { operation: 'release', 'dry-run': 'true' })
    expect(result.code).toBe(0)
    expectNoWrites()
    const rungs = JSON.parse(result.outputs.release) as { environment: string; action: string }[]
    expect(rungs.map((rung) => rung.environment)).toEqual(['sandbox', 'pre-release', 'live'])
    expect(rungs[1].action).toBe('Would promote what the rung below deploys to pre-release')
  })

  it.each([
    ['list', { environment: 'live' }],
    ['active', {}],
    ['wait', { 'test-run-ids': 'run_missing' , timeout: '1s' }]
  ])('%s reads as usual', async (operation, inputs) => {
    const result = await run(emulator, { operation, 'dry-run': 'true', ...inputs })
    expectNoWrites()
    expect(emulator.requests.length).toBeGreaterThan(0)
    expect(result.stdout + result.stderr).not.toMatch(/Unexpected error/)
  })

  it('a fleet: every agent planned, none written', async () => {
    const result = await run(emulator, { operation: 'publish', 'agent-id': 'agent-1,agent-2', 'dry-run': 'true' })
    expect(result.code).toBe(0)
    expectNoWrites()
    const results = JSON.parse(result.outputs.results) as { agentId: string; dryRun: boolean }[]
    expect(results).toEqual([expect.objectContaining({ agentId: 'agent-1', dryRun: true }), expect.objectContaining({ agentId: 'agent-2', dryRun: true })])
  })

  it('a fleet promote: each agent\'s row names the version it would move', async () => {
    emulator.seedDeployment('agent-2', 'sandbox', { version: 'w1' })
    const result = await run(emulator, { operation: 'promote', environment: 'pre-release', 'agent-id': 'agent-1,agent-2', 'dry-run': 'true' })
    expect(result.code).toBe(0)
    expectNoWrites()
    expect(result.summary).toContain('| `agent-1` | 📝 Dry run, nothing written | pre-release | `v3` | no |')
    expect(result.summary).toContain('| `agent-2` | 📝 Dry run, nothing written | pre-release | `w1` | no |')
  })
})
