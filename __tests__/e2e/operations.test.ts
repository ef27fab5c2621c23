import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import type { Emulator } from '../../emulator/server.js'
import { emulatorWith, errors, expectClean, QUICK_TESTS, run } from './harness.js'

// Each operation's defaults and choices, against a fresh emulator per test.
let emulator: Emulator
beforeEach(async () => {
  emulator = await emulatorWith({ 'agent-1': QUICK_TESTS })
})
afterEach(() => emulator.close())

const posts = (): number => emulator.requests.filter((request) => request.method === 'POST').length
const HOUR = 3_600_000
const failSandbox = (): void => emulator.configureAgent('agent-1', { testPlan: { sandbox: { runs: 2, cases: 3, caseMs: 60, outcome: 'fail' } } })

describe('publish', () => {
  it('publishes to the environment named, and reports what was there before', async () => {
    const before = emulator.seedDeployment('agent-1', 'pre-release', { version: 'old' })
    const result = await run(emulator, { operation: 'publish', environment: 'pre-release', message: 'hotfix' })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({ environment: 'pre-release', 'previous-deployment-id': before.id, changed: 'true' })
    expect(emulator.requests.find((request) => request.method === 'POST')?.body).toEqual({ deploymentMessage: 'hotfix', environment: 'pre-release' })
  })

  it('builds the message from the GitHub context when none is given', async () => {
    const result = await run(emulator, { operation: 'publish', 'wait-for-tests': 'false' }, {
      env: { GITHUB_REPOSITORY: 'acme/agent', GITHUB_SHA: 'abcdef1234567', GITHUB_REF_NAME: 'main', GITHUB_RUN_ID: '77', GITHUB_SERVER_URL: 'https://github.com' }
    })
    expect(result.code).toBe(0)
    expect(emulator.active('agent-1').sandbox?.metadata?.deployment_message).toBe(
      'acme/agent@abcdef1 (main): https://github.com/acme/agent/actions/runs/77'
    )
  })

  it('ends unchanged, gated by the runs of the deployment it already runs, when the draft is already published (409)', async () => {
    const first = await run(emulator, { operation: 'publish', 'wait-for-tests': 'false' })
    const again = await run(emulator, { operation: 'publish' })
    expectClean(again, emulator)
    expect(again.code).toBe(0)
    expect(again.outputs).toMatchObject({
      changed: 'false',
      'tests-result': 'passed',
      'tests-gated-by': 'active-deployment',
      'deployment-id': first.outputs['deployment-id']
    })
    const sorted = (json: string): string[] => (JSON.parse(json) as string[]).sort()
    expect(sorted(again.outputs['test-run-ids'])).toEqual(sorted(first.outputs['test-run-ids']))
    expect(emulator.deployments('agent-1')).toHaveLength(1)
  })

  it('ends unchanged, with a warning, when the draft is already published and no runs of it can be found', async () => {
    emulator.setDraft('agent-1', 'a'.repeat(32))
    const seeded = emulator.seedDeployment('agent-1', 'sandbox', { version: 'a'.repeat(32) })
    const first = { outputs: { 'deployment-id': seeded.id, version: seeded.version } }
    const again = await run(emulator, { operation: 'publish' })
    expectClean(again, emulator)
    expect(again.code).toBe(0)
    expect(again.outputs).toMatchObject({
      changed: 'false',
      'tests-result': 'skipped',
      'deployment-id': first.outputs['deployment-id'],
      version: first.outputs.version,
      'test-run-ids': '[]'
    })
    expect(again.stdout).toMatch(/::warning::The draft is already published to sandbox; no tests ran/)
    expect(emulator.deployments('agent-1')).toHaveLength(1)
  })

  it('fails the unchanged step when if-unchanged is fail', async () => {
    emulator.setDraft('agent-1', 'b'.repeat(32))
    emulator.seedDeployment('agent-1', 'sandbox', { version: 'b'.repeat(32) })
    const again = await run(emulator, { operation: 'publish', 'if-unchanged': 'fail' })
    expect(again.code).toBe(1)
    expect(again.outputs.changed).toBe('false')
    expect(errors(again).join('\n')).toMatch(/already published to sandbox; no tests ran, and if-unchanged is fail/)
  })

  it('refused (400), says why and claims no publish', async () => {
    emulator.injectFault({ method: 'POST', path: '/deployments/publish$', kind: 'status', status: 400, errorCode: 'BAD_REQUEST' })
    const result = await run(emulator, { operation: 'publish' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(errors(result)[0]).toMatch(/^POST \/v1\/agents\/agent-1\/deployments\/publish failed: HTTP 400 BAD_REQUEST/)
    expect(result.summary).toMatch(/^\*\*Why:\*\* POST \/v1\/agents\/agent-1\/deployments\/publish failed: HTTP 400/m)
    expect(result.summary).not.toContain('Published the draft to sandbox.')
    expect(result.summary).toContain('| sandbox | nothing | unchanged |')
  })
})

describe('promote', () => {
  it('promotes a named deployment', async () => {
    const sandbox = emulator.seedDeployment('agent-1', 'sandbox', { version: 'v7' })
    emulator.seedDeployment('agent-1', 'sandbox', { version: 'v8' })
    const result = await run(emulator, { operation: 'promote', environment: 'pre-release', 'deployment-id': sandbox.id })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({ version: 'v7', environment: 'pre-release', changed: 'true' })
    expect(emulator.active('agent-1')['pre-release']?.version).toBe('v7')
  })

  it('makes no call when the target runs that version already', async () => {
    emulator.seedDeployment('agent-1', 'sandbox', { version: 'v3' })
    const preRelease = emulator.seedDeployment('agent-1', 'pre-release', { version: 'v3' })
    const result = await run(emulator, { operation: 'promote', environment: 'pre-release' })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    expect(posts()).toBe(0)
    expect(result.outputs).toMatchObject({ changed: 'false', 'tests-result': 'skipped', 'deployment-id': preRelease.id, version: 'v3' })
  })

  it('treats the server saying the environment runs it already as unchanged', async () => {
    // The named deployment cannot be found in any history the action reads, so it asks the server.
    const old = emulator.seedDeployment('agent-1', 'live', { version: 'v5' })
    emulator.seedDeployment('agent-1', 'live', { version: 'v6' })
    emulator.seedDeployment('agent-1', 'pre-release', { version: 'v5' })
    emulator.injectFault({ method: 'GET', path: '/deployments$', kind: 'body', body: '{"deployments":[]}', times: Infinity })
    // Only allow-downgrade lets through a deployment the histories do not show.
    const result = await run(emulator, { operation: 'promote', environment: 'pre-release', 'deployment-id': old.id, 'allow-downgrade': 'true' })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    expect(posts()).toBe(1)
    expect(result.outputs).toMatchObject({ changed: 'false', 'tests-result': 'skipped', version: 'v5' })
  })

  it('refuses, before any write, a named deployment behind the last 100 of every history; allow-downgrade lets the platform judge it', async () => {
    const old = emulator.seedDeployment('agent-1', 'sandbox', { version: 'a'.repeat(32), createdAt: Date.now() - 3 * HOUR })
    for (let index = 0; index < 100; index++) emulator.seedDeployment('agent-1', 'sandbox', { createdAt: Date.now() - 2 * HOUR + index * 1000 })
    const newer = emulator.seedDeployment('agent-1', 'pre-release', { version: 'b'.repeat(32), createdAt: Date.now() - HOUR })
    const refused = await run(emulator, { operation: 'promote', environment: 'pre-release', 'deployment-id': old.id })
    expectClean(refused, emulator)
    expect(refused.code).toBe(1)
    expect(errors(refused)).toEqual([
      `Refusing to promote deployment ${old.id}: it is not among the active deployments or the last 100 of any environment's history, ` +
        'so whether it is older than what pre-release runs and how its tests went cannot be told. Nothing was written. ' +
        'To promote it anyway, set allow-downgrade: true; the platform then judges it.'
    ])
    expect(posts()).toBe(0)
    expect(emulator.active('agent-1')['pre-release']!.id).toBe(newer.id)

    const allowed = await run(emulator, { operation: 'promote', environment: 'pre-release', 'deployment-id': old.id, 'allow-downgrade': 'true' })
    expectClean(allowed, emulator)
    expect(allowed.code).toBe(0)
    expect(posts()).toBe(1)
    expect(emulator.active('agent-1')['pre-release']!.version).toBe('a'.repeat(32))
  })

  it("is refused on the promoted deployment's own failed runs, though an earlier deployment of its version passed", async () => {
    emulator.configureAgent('agent-1', { triggers: { promote: false } })
    const first = emulator.seedDeployment('agent-1', 'sandbox', { version: 'c'.repeat(32), createdAt: Date.now() - HOUR })
    emulator.seedTestRuns('agent-1', 'sandbox', first.createdAt)
    emulator.seedDeployment('agent-1', 'sandbox', { version: 'd'.repeat(32), createdAt: Date.now() - HOUR / 2 })
    failSandbox()
    const again = emulator.seedDeployment('agent-1', 'sandbox', { version: 'c'.repeat(32) })
    const failed = emulator.seedTestRuns('agent-1', 'sandbox', again.createdAt)
    const result = await run(emulator, { operation: 'promote', environment: 'pre-release' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(errors(result).find((line) => line.startsWith('Refusing'))).toMatch(
      new RegExp(`^Refusing to promote deployment ${again.id} \\(version c{32}\\): 2 of its 2 test run\\(s\\) did not pass: .+ Nothing was written\\.$`)
    )
    for (const id of failed) expect(errors(result).find((line) => line.startsWith('Refusing'))).toContain(id)
    expect(posts()).toBe(0)
    expect(emulator.active('agent-1')['pre-release']).toBeNull()
  })

  it('without runs of its own, is judged by the newest deployment of its version whose runs can be found, not the oldest', async () => {
    emulator.configureAgent('agent-1', { triggers: { promote: false } })
    const first = emulator.seedDeployment('agent-1', 'sandbox', { version: 'c'.repeat(32), createdAt: Date.now() - HOUR })
    emulator.seedTestRuns('agent-1', 'sandbox', first.createdAt)
    emulator.seedDeployment('agent-1', 'sandbox', { version: 'd'.repeat(32), createdAt: Date.now() - HOUR / 2 })
    failSandbox()
    const again = emulator.seedDeployment('agent-1', 'sandbox', { version: 'c'.repeat(32), createdAt: Date.now() - HOUR / 4 })
    const failed = emulator.seedTestRuns('agent-1', 'sandbox', again.createdAt)
    // Promoted to pre-release (no runs) since: the deployment promoted to live has none of its own.
    const preRelease = emulator.seedDeployment('agent-1', 'pre-release', { version: 'c'.repeat(32), createdAt: Date.now() - HOUR / 6 })
    const result = await run(emulator, { operation: 'promote', environment: 'live' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(result.stdout).toContain(`Checking the 2 test run(s) of deployment ${again.id}, the newest of version ${'c'.repeat(32)} whose runs can be found`)
    expect(errors(result).find((line) => line.startsWith('Refusing'))).toMatch(new RegExp(`^Refusing to promote deployment ${preRelease.id} \\(version c{32}\\): 2 of its 2 test run\\(s\\) did not pass: `))
    for (const id of failed) expect(errors(result).find((line) => line.startsWith('Refusing'))).toContain(id)
    expect(posts()).toBe(0)
    expect(emulator.active('agent-1').live).toBeNull()
  })

  it('refuses when nothing is active one rung below', async () => {
    const result = await run(emulator, { operation: 'promote', environment: 'live' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(errors(result)).toEqual(['Nothing is active in pre-release, so there is nothing to promote to live'])
    expect(posts()).toBe(0)
  })

  it('names the API error when live is not ready (412)', async () => {
    const sandbox = emulator.seedDeployment('agent-1', 'sandbox', { version: 'v9' })
    const result = await run(emulator, { operation: 'promote', environment: 'live', 'deployment-id': sandbox.id })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(errors(result).join('\n')).toMatch(
      new RegExp(`POST /v1/agents/agent-1/deployments/${sandbox.id}/promote failed: HTTP 412 ErrPreReleaseNotReady: .+ \\(correlation id [0-9a-f-]{36}\\)`)
    )
  })
})

describe('rollback', () => {
  it('returns to the newest earlier deployment with another version', async () => {
    emulator.seedDeployment('agent-1', 'live', { version: 'v1' })
    const v2 = emulator.seedDeployment('agent-1', 'live', { version: 'v2' })
    emulator.seedDeployment('agent-1', 'live', { version: 'v3' })
    const current = emulator.seedDeployment('agent-1', 'live', { version: 'v3' })
    const result = await run(emulator, { operation: 'rollback', environment: 'live' })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({ version: 'v2', environment: 'live', changed: 'true', 'previous-deployment-id': current.id })
    const rollback = emulator.requests.find((request) => request.method === 'POST')
    expect(rollback?.path).toBe(`/v1/agents/agent-1/deployments/${v2.id}/rollback`)
    expect(emulator.active('agent-1').live?.version).toBe('v2')
  })

  it('on a re-run, does not roll back again what may be its earlier attempt\'s rollback', async () => {
    emulator.seedDeployment('agent-1', 'live', { version: 'v1' })
    emulator.seedDeployment('agent-1', 'live', { version: 'v2' })
    const runner = { env: { GITHUB_REPOSITORY: 'acme/agent', GITHUB_RUN_ID: '777', GITHUB_RUN_ATTEMPT: '1' } }
    const first = await run(emulator, { operation: 'rollback', environment: 'live' }, runner)
    expect(first.code).toBe(0)
    expect(emulator.active('agent-1').live?.version).toBe('v1')
    const rerun = await run(emulator, { operation: 'rollback', environment: 'live' }, { env: { ...runner.env, GITHUB_RUN_ATTEMPT: '2' } })
    expectClean(rerun, emulator)
    expect(rerun.code).toBe(1)
    expect(errors(rerun)[0]).toMatch(/^On a re-run \(attempt 2\), live's active deployment \S+ \(version v1\) may be the rollback an earlier attempt made: .+ Rolling back again would return to version v2\. Nothing was written\./)
    expect(emulator.requests.filter((request) => request.path.endsWith('/rollback'))).toHaveLength(1)
    expect(emulator.active('agent-1').live?.version).toBe('v1')
  })

  it('returns to the deployment named, finding its environment', async () => {
    const target = emulator.seedDeployment('agent-1', 'pre-release', { version: 'v1' })
    emulator.seedDeployment('agent-1', 'pre-release', { version: 'v2' })
    const result = await run(emulator, { operation: 'rollback', 'deployment-id': target.id })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({ version: 'v1', environment: 'pre-release' })
    expect(emulator.active('agent-1')['pre-release']?.version).toBe('v1')
  })

  it('refuses a deployment that is not of the environment named', async () => {
    const sandbox = emulator.seedDeployment('agent-1', 'sandbox', { version: 'v1' })
    emulator.seedDeployment('agent-1', 'live', { version: 'v2' })
    const result = await run(emulator, { operation: 'rollback', environment: 'live', 'deployment-id': sandbox.id })
    expect(result.code).toBe(1)
    expect(errors(result)).toEqual([`Deployment ${sandbox.id} is not among the last 100 deployments of live`])
    expect(posts()).toBe(0)
  })

  it('says so when there is nothing earlier to return to', async () => {
    emulator.seedDeployment('agent-1', 'live', { version: 'v1' })
    emulator.seedDeployment('agent-1', 'live', { version: 'v1' })
    const result = await run(emulator, { operation: 'rollback', environment: 'live' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(errors(result)[0]).toMatch(/^No earlier deployment of live runs a version other than the active one \(v1\); nothing to roll back to$/)
    expect(posts()).toBe(0)
  })
})

describe('list, active and wait', () => {
  it('lists an environment newest first, up to limit', async () => {
    const seeded = [1, 2, 3].map((n) => emulator.seedDeployment('agent-1', 'live', { version: `v${n}`, message: `release ${n}` }))
    const result = await run(emulator, { operation: 'list', environment: 'live', limit: '2' })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    const listed = JSON.parse(result.outputs.deployments) as { id: string; version: string; message: string }[]
    expect(listed.map((deployment) => deployment.id)).toEqual([seeded[2].id, seeded[1].id])
    expect(listed[0]).toMatchObject({ version: 'v3', message: 'release 3', environment: 'live' })
    expect(emulator.requests[0].query).toEqual({ environment: 'live', limit: '2' })
    expect(result.summary).toContain('release 3')
    expect(JSON.parse(result.outputs.results)).toMatchObject([{ environment: 'live', deploymentId: seeded[2].id, version: 'v3' }])
  })

  it('reports null for environments with nothing active, and the outputs for the one named', async () => {
    const live = emulator.seedDeployment('agent-1', 'live', { version: 'v4' })
    const result = await run(emulator, { operation: 'active', environment: 'live' })
    expect(result.code).toBe(0)
    expect(JSON.parse(result.outputs['active-deployments'])).toMatchObject({ sandbox: null, 'pre-release': null, live: { id: live.id } })
    expect(result.outputs).toMatchObject({ 'deployment-id': live.id, version: 'v4', environment: 'live' })
    // results says the same, as a fleet has only it to read.
    expect(JSON.parse(result.outputs.results)).toMatchObject([{ environment: 'live', deploymentId: live.id, version: 'v4' }])
  })

  it('waits on test runs named by ID', async () => {
    const published = await run(emulator, { operation: 'publish', 'wait-for-tests': 'false' })
    expect(published.outputs['tests-result']).toBe('skipped')
    const ids = JSON.parse(published.outputs['test-run-ids']) as string[]
    const result = await run(emulator, { operation: 'wait', 'test-run-ids': ids.join('\n') })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({ 'tests-result': 'passed', 'tests-total': '6', 'test-run-ids': JSON.stringify(ids) })
    expect(emulator.requests.filter((request) => request.method === 'POST')).toHaveLength(1)
  })

  it('says a run it never found was never found, not still going, when the timeout comes first', async () => {
    const result = await run(emulator, { operation: 'wait', 'test-run-ids': 'run_missing', timeout: '3s' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(emulator.requests.filter((request) => request.path.endsWith('/run_missing')).length).toBeGreaterThan(1)
    expect(result.summary).toMatch(/^- `run_missing`: never found: all \d+ polls answered 404$/m)
    expect(result.summary).not.toContain('still going')
    expect(errors(result)[0]).toMatch(/^The gate failed: 1 of 1 test run\(s\) did not finish in time: run_missing \(timed-out: never found: all \d+ polls answered 404\)$/)
  })
})
