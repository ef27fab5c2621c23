import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import type { AgentOptions, Emulator } from '../../emulator/server.js'
import { cancelDuring, emulatorWith, errors, expectClean, run } from './harness.js'

// operation: merge, against the platform as recorded: a merge's answer names its test runs; where it
// lands (sandbox, only main's draft, or live on a simplified project) is the emulator's switch.
const PLAN: AgentOptions = { testPlan: { all: { runs: 2, cases: 3, caseMs: 60 } } }
let emulator: Emulator
beforeEach(async () => {
  emulator = await emulatorWith({ 'agent-1': PLAN })
})
afterEach(() => emulator.close())

const posts = (): { path: string; body: unknown }[] =>
  emulator.requests.filter((request) => request.method === 'POST').map(({ path, body }) => ({ path, body }))
const CONFLICTS = [
  { path: ['topics', 'opening-hours', 'content'], type: 'modify' as const, baseValue: '9-5', oursValue: '8-6', theirsValue: '10-4' },
  { path: ['flows', 'booking'], type: 'delete' as const, baseValue: {}, oursValue: {}, theirsValue: null }
]

describe('a merge re-run in the same workflow run', () => {
  const runner = { env: { GITHUB_REPOSITORY: 'acme/agent', GITHUB_SHA: 'abcdef1234567', GITHUB_REF_NAME: 'main', GITHUB_RUN_ID: '4242', GITHUB_SERVER_URL: 'https://github.com' } }

  it('finds its branch closed and the merge it made, named in its message, and is gated by that merge\'s runs', async () => {
    emulator.addBranch('agent-1', 'feature/x')
    const first = await run(emulator, { operation: 'merge', branch: 'feature/x' }, runner)
    expect(first.code).toBe(0)
    expect(posts()[0].body).toEqual({ deploymentMessage: 'acme/agent@abcdef1 (main): https://github.com/acme/agent/actions/runs/4242 (merge of branch feature/x)' })
    const again = await run(emulator, { operation: 'merge', branch: 'feature/x' }, runner)
    expectClean(again, emulator)
    expect(again.code).toBe(0)
    expect(again.outputs).toMatchObject({ changed: 'false', 'tests-result': 'passed', 'deployment-id': first.outputs['deployment-id'] })
    expect(again.stdout).toContain('Branch feature/x is merged already: sandbox runs deployment')
    expect(posts()).toHaveLength(1)
  })

  it('of a branch that does not exist fails, though another step of the run deployed', async () => {
    emulator.addBranch('agent-1', 'feature/real')
    const published = await run(emulator, { operation: 'publish' }, runner)
    expect(published.code).toBe(0)
    const typo = await run(emulator, { operation: 'merge', branch: 'feature/typo' }, runner)
    expectClean(typo, emulator)
    expect(typo.code).toBe(1)
    expect(errors(typo)).toEqual(["No branch 'feature/typo' in agent agent-1. Its branches: feature/real (" + emulator.branches('agent-1')[1].branchId + ')'])
  })
})

describe('a merge refused for conflicts it cannot resolve', () => {
  const refuse = (body: unknown): void =>
    emulator.injectFault({ method: 'POST', path: '/merge$', kind: 'body', status: 400, times: Infinity, body: JSON.stringify(body) })

  it.each([
    ['no conflicts listed', { success: false, error_code: 'MERGE_CONFLICTS', hasConflicts: true }],
    ['an empty list', { hasConflicts: true, conflicts: [] }]
  ])('with %s is sent once, and fails the step with what to do', async (_name, body) => {
    emulator.addBranch('agent-1', 'feature/x')
    refuse(body)
    const result = await run(emulator, { operation: 'merge', branch: 'feature/x', 'merge-conflicts': 'theirs' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(posts().filter((post) => post.path.endsWith('/merge'))).toHaveLength(1)
    expect(errors(result)).toEqual([
      'Branch feature/x was refused as conflicting with main, but the answer names no conflict, so nothing was merged or deployed. Resolve the conflicts in Agent Studio.'
    ])
  })

  it('with a conflict that cannot be read names the answer, with no stack trace', async () => {
    emulator.addBranch('agent-1', 'feature/x')
    refuse({ hasConflicts: true, conflicts: [{ type: 'modify', baseValue: 1 }] })
    const result = await run(emulator, { operation: 'merge', branch: 'feature/x', 'merge-conflicts': 'theirs' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(errors(result)[0]).toMatch(/^POST \/v1\/agents\/agent-1\/branches\/.+\/merge failed: HTTP 400 INVALID_RESPONSE: unexpected answer: answer\.conflicts\[0\]\.path is not a list \(correlation id .+\)$/)
    expect(result.stdout).not.toMatch(/Unexpected error| {4}at /)
    expect(posts().filter((post) => post.path.endsWith('/merge'))).toHaveLength(1)
  })
})

describe('a merge', () => {
  it('let finish by a first cancel is reported as the change it made, its runs still going', async () => {
    emulator.addBranch('agent-1', 'feature/x')
    emulator.injectFault({ method: 'POST', path: '/merge$', kind: 'delay', ms: 1500 })
    const result = await run(emulator, { operation: 'merge', branch: 'feature/x' }, { onSpawn: cancelDuring(emulator, /\/merge$/, { twice: false }) })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    const sandbox = emulator.active('agent-1').sandbox!
    expect(result.outputs).toMatchObject({ changed: 'true', 'deployment-id': sandbox.id, 'tests-result': 'cancelled' })
    expect(result.summary).toContain(`| **sandbox** | nothing | **\`${sandbox.version}\`** (\`${sandbox.id}\`) |`)
    expect(errors(result)[0]).toMatch(/^The run was cancelled; test runs still going: /)
  })

  it('that deploys to sandbox is the step deployment, gated on the runs its answer names', async () => {
    const branch = emulator.addBranch('agent-1', 'feature/hours')
    const result = await run(emulator, { operation: 'merge', branch: 'feature/hours', message: 'Merge hours' })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    const sandbox = emulator.active('agent-1').sandbox!
    expect(result.outputs).toMatchObject({
      environment: 'sandbox', 'deployment-id': sandbox.id, version: sandbox.version, changed: 'true',
      'tests-result': 'passed', 'tests-gated-by': 'triggered', 'merge-sequence': '2'
    })
    expect(JSON.parse(result.outputs['test-run-ids'])).toHaveLength(2)
    expect(posts()).toEqual([{ path: `/v1/agents/agent-1/branches/${branch.branchId}/merge`, body: { deploymentMessage: 'Merge hours' } }])
    expect(result.summary).toContain(`| Branch | feature/hours (\`${branch.branchId}\`) |`)
  })

  it('that only updates the draft is followed by a publish, and both sets of runs gate it', async () => {
    emulator.configureAgent('agent-1', { mergeMode: 'draft' })
    const branch = emulator.addBranch('agent-1', 'feature')
    const result = await run(emulator, { operation: 'merge', branch: branch.branchId })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    expect(posts().map((post) => post.path.split('/').pop())).toEqual(['merge', 'publish'])
    expect(JSON.parse(result.outputs['test-run-ids'])).toHaveLength(4)
    expect(result.outputs).toMatchObject({ 'tests-result': 'passed', 'tests-total': '12', 'deployment-id': emulator.active('agent-1').sandbox!.id })
  })

  it('that only updates a draft is gated by the publish\'s runs too where its answer names none', async () => {
    emulator.configureAgent('agent-1', { mergeMode: 'draft', publishNamesRuns: false })
    const branch = emulator.addBranch('agent-1', 'feature')
    const result = await run(emulator, { operation: 'merge', branch: branch.branchId })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    expect(JSON.parse(result.outputs['test-run-ids'])).toHaveLength(4)
    expect(result.outputs).toMatchObject({ 'tests-result': 'passed', 'tests-total': '12' })
  })

  it('that only updates a draft already published is gated by the merge runs', async () => {
    emulator.configureAgent('agent-1', { mergeMode: 'draft', testPlan: { sandbox: { runs: 2, cases: 3, caseMs: 60, outcome: 'fail' } } })
    emulator.addBranch('agent-1', 'feature')
    emulator.injectFault({ kind: 'status', status: 409, errorCode: 'DEPLOYMENTS_ALREADY_PUBLISHED', method: 'POST', path: '/deployments/publish$' })
    const result = await run(emulator, { operation: 'merge', branch: 'feature' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({ changed: 'false', 'tests-result': 'failed', 'tests-gated-by': 'triggered' })
    expect(JSON.parse(result.outputs['test-run-ids'])).toHaveLength(2)
  })

  it('with conflicts fails under merge-conflicts: fail, naming each path and type, and deploys nothing', async () => {
    emulator.addBranch('agent-1', 'feature', { conflicts: CONFLICTS })
    const result = await run(emulator, { operation: 'merge', branch: 'feature' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(errors(result)).toEqual([
      'Branch feature conflicts with main, so nothing was merged or deployed. Conflicts: topics.opening-hours.content (modify), flows.booking (delete). ' +
        'Resolve them in Agent Studio, or set merge-conflicts to ours (main wins), theirs (the branch wins) or base.'
    ])
    expect(emulator.deployments('agent-1')).toEqual([])
    expect(posts()).toHaveLength(1)
    expect(result.summary).toContain('**Why:** Branch feature conflicts with main')
    expect(result.summary).not.toContain('Merged branch feature into main.')
  })

  it('with conflicts resolves every one under merge-conflicts: theirs, and lists them in the summary', async () => {
    const branch = emulator.addBranch('agent-1', 'feature', { conflicts: CONFLICTS })
    const result = await run(emulator, { operation: 'merge', branch: 'feature', 'merge-conflicts': 'theirs' })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    expect(posts()[1]).toEqual({
      path: `/v1/agents/agent-1/branches/${branch.branchId}/merge`,
      body: { deploymentMessage: expect.any(String), conflictResolutions: CONFLICTS.map(({ path }) => ({ path, strategy: 'theirs' })) }
    })
    expect(result.summary).toContain('| Conflicts resolved | topics.opening-hours.content (modify): theirs; flows.booking (delete): theirs |')
    expect(emulator.deployments('agent-1')).toHaveLength(1)
  })

  it('whose tests fail is rolled back with rollback-on-failure', async () => {
    const before = emulator.seedDeployment('agent-1', 'sandbox', { version: 'c'.repeat(32), createdAt: Date.now() - 3_600_000 })
    emulator.configureAgent('agent-1', { testPlan: { sandbox: { runs: 2, cases: 3, caseMs: 60, outcome: 'fail' } } })
    emulator.addBranch('agent-1', 'feature')
    const result = await run(emulator, { operation: 'merge', branch: 'feature', 'rollback-on-failure': 'true' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({ 'tests-result': 'failed', 'rolled-back': 'true', 'previous-deployment-id': before.id })
    expect(emulator.active('agent-1').sandbox!.version).toBe(before.version)
  })

  it('on a project with simplified deployments lands in live, and that is the step deployment', async () => {
    emulator.configureAgent('agent-1', { simplified: true })
    emulator.addBranch('agent-1', 'feature')
    const result = await run(emulator, { operation: 'merge', branch: 'feature' })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({ environment: 'live', 'deployment-id': emulator.active('agent-1').live!.id, 'tests-result': 'passed' })
    expect(emulator.active('agent-1').sandbox).toBeNull()
  })

  it('of an unknown branch fails before any write, listing the branches there are', async () => {
    const branch = emulator.addBranch('agent-1', 'feature')
    const result = await run(emulator, { operation: 'merge', branch: 'featur' })
    expect(result.code).toBe(1)
    expect(errors(result)).toEqual([`No branch 'featur' in agent agent-1. Its branches: feature (${branch.branchId})`])
    expect(posts()).toEqual([])
  })

  it('in a dry run says which branch would be merged, and writes nothing', async () => {
    const branch = emulator.addBranch('agent-1', 'feature')
    const result = await run(emulator, { operation: 'merge', branch: 'feature', 'dry-run': 'true' })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`Dry run: Would merge branch feature (${branch.branchId}) into main, then gate on the tests it triggers; conflicts are only known by trying`)
    expect(posts()).toEqual([])
  })

  it('as the first rung of a release, then promoted to live on the merge runs', async () => {
    emulator.addBranch('agent-1', 'feature')
    const result = await run(emulator, { operation: 'release', branch: 'feature' })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    expect(posts().map((post) => post.path.split('/').pop())).toEqual(['merge', 'promote', 'promote'])
    expect(emulator.active('agent-1').live!.version).toBe(emulator.active('agent-1').sandbox!.version)
  })
})
