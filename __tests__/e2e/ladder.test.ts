import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Emulator } from '../../emulator/server.js'
import { emulatorWith, expectClean, nodeBinaries, QUICK_TESTS, run } from './harness.js'

// The whole ladder, as a team's workflows drive it, under every Node the action must run on.
describe.each(nodeBinaries())('the release ladder under Node $name', ({ path: node }) => {
  let emulator: Emulator
  beforeAll(async () => {
    emulator = await emulatorWith({ 'agent-1': { ...QUICK_TESTS, draftVersion: 'v1' } })
  })
  afterAll(() => emulator.close())

  it('publishes the draft to sandbox and passes once its tests pass', async () => {
    const result = await run(emulator, { operation: 'publish' }, { node })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    const sandbox = emulator.active('agent-1').sandbox!
    expect(result.outputs).toMatchObject({
      'deployment-id': sandbox.id,
      version: 'v1',
      environment: 'sandbox',
      'previous-deployment-id': '',
      changed: 'true',
      'tests-result': 'passed',
      'tests-passed': '6',
      'tests-failed': '0',
      'tests-errored': '0',
      'tests-total': '6',
      'rolled-back': 'false'
    })
    const runIds = JSON.parse(result.outputs['test-run-ids']) as string[]
    expect(runIds).toHaveLength(2)
    for (const id of runIds) expect(emulator.testRun('agent-1', id)?.status).toBe('completed')
    expect(result.summary).toContain('Published the draft to sandbox')
    for (const id of runIds) expect(result.summary).toContain(id)
    // The message is made from the GitHub context when none is given.
    expect(sandbox.metadata?.deployment_message).toBe('Deployed by polyai-release-gate')
  })

  it('sends the key, a fresh correlation id per request and a contract-valid body', async () => {
    const posts = emulator.requests.filter((request) => request.method === 'POST')
    expect(posts).toHaveLength(1)
    expect(posts[0].body).toEqual({ deploymentMessage: 'Deployed by polyai-release-gate', environment: 'sandbox' })
    const ids = emulator.requests.map((request) => request.headers['x-polyai-correlation-id'])
    expect(new Set(ids).size).toBe(ids.length)
    expect(emulator.requests.every((request) => request.headers['x-api-key'] === '<redacted>')).toBe(true)
    expect(emulator.requests.every((request) => request.status === 200 || request.status === 201)).toBe(true)
  })

  it('promotes sandbox to pre-release, then pre-release to live, each gated', async () => {
    const sandbox = emulator.active('agent-1').sandbox!
    const toPreRelease = await run(emulator, { operation: 'promote', environment: 'pre-release' }, { node })
    expectClean(toPreRelease, emulator)
    expect(toPreRelease.code).toBe(0)
    expect(toPreRelease.outputs).toMatchObject({ environment: 'pre-release', version: 'v1', changed: 'true', 'tests-result': 'passed' })
    expect(emulator.active('agent-1')['pre-release']?.id).toBe(toPreRelease.outputs['deployment-id'])
    expect(toPreRelease.summary).toContain(`Promoted ${sandbox.id} to pre-release`)

    const toLive = await run(emulator, { operation: 'promote', environment: 'live', message: 'Release v1' }, { node })
    expectClean(toLive, emulator)
    expect(toLive.code).toBe(0)
    expect(toLive.outputs).toMatchObject({ environment: 'live', version: 'v1', changed: 'true', 'tests-result': 'passed' })
    const live = emulator.active('agent-1').live!
    expect(live.id).toBe(toLive.outputs['deployment-id'])
    expect(live.metadata?.deployment_message).toBe('Release v1')
  })

  it('reads the active deployment of every environment', async () => {
    const result = await run(emulator, { operation: 'active' }, { node })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    const active = JSON.parse(result.outputs['active-deployments']) as Record<string, { id: string; version: string } | null>
    const truth = emulator.active('agent-1')
    for (const environment of ['sandbox', 'pre-release', 'live'] as const) {
      expect(active[environment]).toMatchObject({ id: truth[environment]!.id, version: 'v1' })
    }
    expect(result.summary).toMatch(/\| live \| `v1` \|/)
  })
})
