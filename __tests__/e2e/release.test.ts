import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import type { Emulator } from '../../emulator/server.js'
import { cancelDuring, emulatorWith, errors, expectClean, QUICK_TESTS, run } from './harness.js'

// operation: release, the whole ladder in one step.
let emulator: Emulator
beforeEach(async () => {
  emulator = await emulatorWith({ 'agent-1': { ...QUICK_TESTS, draftVersion: 'v2' } })
})
afterEach(() => emulator.close())

interface Rung {
  environment: string
  deploymentId: string | null
  version: string | null
  changed: boolean
  testsResult: string
  rolledBack: boolean
  testRunIds: string[]
}
const rungsOf = (outputs: Record<string, string>): Rung[] => JSON.parse(outputs.release) as Rung[]
const writes = (): string[] => emulator.requests.filter((request) => request.method === 'POST').map((request) => request.path.split('/').pop()!)

describe('a release', () => {
  it('publishes, then promotes rung by rung to live, each gated', async () => {
    const result = await run(emulator, { operation: 'release' })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    const active = emulator.active('agent-1')
    const rungs = rungsOf(result.outputs)
    expect(rungs.map((rung) => [rung.environment, rung.version, rung.changed, rung.testsResult])).toEqual([
      ['sandbox', 'v2', true, 'passed'],
      ['pre-release', 'v2', true, 'passed'],
      ['live', 'v2', true, 'passed']
    ])
    expect(rungs.map((rung) => rung.deploymentId)).toEqual([active.sandbox!.id, active['pre-release']!.id, active.live!.id])
    expect(rungs.every((rung) => rung.testRunIds.length === 2)).toBe(true)
    expect(writes()).toEqual(['publish', 'promote', 'promote'])
    // The usual outputs describe the last rung reached.
    expect(result.outputs).toMatchObject({ environment: 'live', 'deployment-id': active.live!.id, version: 'v2', 'tests-result': 'passed' })
    expect(result.summary).toContain('### The ladder')
    expect(result.summary).toMatch(/\| live \| Promoted .+ to live \| `v2` \|/)
  })

  it('stops at the environment named', async () => {
    const result = await run(emulator, { operation: 'release', environment: 'pre-release' })
    expect(result.code).toBe(0)
    expect(rungsOf(result.outputs).map((rung) => rung.environment)).toEqual(['sandbox', 'pre-release'])
    expect(emulator.active('agent-1').live).toBeNull()
  })

  it('starts from a named deployment instead of publishing', async () => {
    const sandbox = emulator.seedDeployment('agent-1', 'sandbox', { version: 'v1' })
    const result = await run(emulator, { operation: 'release', 'deployment-id': sandbox.id })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    expect(rungsOf(result.outputs).map((rung) => [rung.environment, rung.version, rung.changed])).toEqual([
      ['sandbox', 'v1', false],
      ['pre-release', 'v1', true],
      ['live', 'v1', true]
    ])
    expect(writes()).toEqual(['promote', 'promote'])
  })

  it('stops when the pre-release gate fails: live untouched', async () => {
    const live = emulator.seedDeployment('agent-1', 'live', { version: 'v1' })
    emulator.configureAgent('agent-1', { testPlan: { 'pre-release': { runs: 2, cases: 3, caseMs: 60, outcome: 'fail' } } })
    const result = await run(emulator, { operation: 'release' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(rungsOf(result.outputs).map((rung) => [rung.environment, rung.testsResult])).toEqual([
      ['sandbox', 'passed'],
      ['pre-release', 'failed']
    ])
    expect(emulator.active('agent-1').live?.id).toBe(live.id)
    expect(writes()).toEqual(['publish', 'promote'])
    expect(errors(result)).toContainEqual(expect.stringMatching(/^The release stopped at pre-release: The gate failed: 2 of 2 test run\(s\) failed/))
    expect(result.outputs).toMatchObject({ environment: 'pre-release', 'tests-result': 'failed' })
  })

  it('rolls the failed rung back when asked, and only that rung', async () => {
    const before = emulator.seedDeployment('agent-1', 'pre-release', { version: 'v1' })
    emulator.configureAgent('agent-1', { testPlan: { 'pre-release': { runs: 1, cases: 2, caseMs: 60, outcome: 'fail' } } })
    const result = await run(emulator, { operation: 'release', 'rollback-on-failure': 'true' })
    expect(result.code).toBe(1)
    const rungs = rungsOf(result.outputs)
    expect(rungs[1]).toMatchObject({ environment: 'pre-release', rolledBack: true, testsResult: 'failed' })
    expect(emulator.active('agent-1')['pre-release']?.version).toBe(before.version)
    expect(emulator.active('agent-1').sandbox?.version).toBe('v2')
    expect(writes()).toEqual(['publish', 'promote', 'rollback'])
    expect(result.outputs['rolled-back']).toBe('true')
  })

  it('waits at most timeout in all, across its rungs, and fails as timed out where it runs out', async () => {
    // Each rung's runs take ~3 s: three gates would take ~9 s, and each on its own fits in the timeout.
    emulator.configureAgent('agent-1', { testPlan: { all: { runs: 2, cases: 3, caseMs: 1000 } } })
    const result = await run(emulator, { operation: 'release', timeout: '5s' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(rungsOf(result.outputs).map((rung) => [rung.environment, rung.testsResult])).toEqual([
      ['sandbox', 'passed'],
      ['pre-release', 'timed-out']
    ])
    expect(errors(result)).toContainEqual(expect.stringMatching(/^The release stopped at pre-release: The gate failed: 2 of 2 test run\(s\) did not finish in time/))
    expect(emulator.active('agent-1').live).toBeNull()
    // The second wait is told what is left of the first's timeout.
    const waits = [...result.stdout.matchAll(/^Waiting for 2 test run\(s\), at most (\d+)s(.*)$/gm)].map((match) => [Number(match[1]), match[2]])
    expect(waits).toHaveLength(2)
    expect(waits[0]).toEqual([5, ''])
    expect(waits[1][0]).toBeLessThan(5)
    expect(waits[1][1]).toBe(' (what is left of timeout 5s)')
  })

  it('stops again on a re-run at a rung its earlier attempt left with no test gating it, under if-no-tests: pass', async () => {
    emulator.configureAgent('agent-1', { triggers: { publish: false } })
    const runner = { env: { GITHUB_REPOSITORY: 'acme/agent', GITHUB_RUN_ID: '4242', GITHUB_RUN_ATTEMPT: '1' } }
    const first = await run(emulator, { operation: 'release', 'if-no-tests': 'pass' }, runner)
    expect(first.code).toBe(0)
    expect(writes()).toEqual(['publish'])
    const rerun = await run(emulator, { operation: 'release', 'if-no-tests': 'pass' }, { env: { ...runner.env, GITHUB_RUN_ATTEMPT: '2' } })
    expectClean(rerun, emulator)
    expect(rerun.code).toBe(0)
    expect(rungsOf(rerun.outputs).map((rung) => [rung.environment, rung.testsResult])).toEqual([['sandbox', 'none']])
    expect(writes()).toEqual(['publish', 'publish'])
    expect(emulator.active('agent-1')['pre-release']).toBeNull()
    expect(rerun.summary).toContain('[!CAUTION]')
  })

  it('stops the walk on a failed gate even when fail-on-test-failure lets the step pass', async () => {
    emulator.configureAgent('agent-1', { testPlan: { sandbox: { runs: 1, cases: 2, caseMs: 60, outcome: 'fail' } } })
    const result = await run(emulator, { operation: 'release', 'fail-on-test-failure': 'false' })
    expect(result.code).toBe(0)
    expect(rungsOf(result.outputs).map((rung) => rung.environment)).toEqual(['sandbox'])
    expect(writes()).toEqual(['publish'])
    expect(result.stdout).toContain('::warning::The release stopped at sandbox: its gate failed')
  })

  it('shows the rung whose write was abandoned in flight as of unknown outcome, and the rungs below as they ended', async () => {
    // The promote to pre-release takes 3 s to answer; both signals come while it is in flight.
    emulator.injectFault({ method: 'POST', path: '/promote$', kind: 'delay', ms: 3000 })
    const result = await run(emulator, { operation: 'release' }, { onSpawn: cancelDuring(emulator, /\/promote$/) })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(errors(result)[0]).toMatch(/^The release stopped at pre-release: POST .+\/promote was abandoned in flight by a second cancel, so the outcome is unknown/)
    const sandbox = emulator.active('agent-1').sandbox!
    expect(result.summary).toContain(`| **sandbox** | nothing | **\`v2\`** (\`${sandbox.id}\`) |`)
    expect(result.summary).toContain("| **pre-release** | nothing | **unknown**: the write's outcome was lost; check the agent's deployments |")
    expect(result.summary).toContain('| live | nothing | unchanged |')
  })

  it('refuses to walk a named deployment whose own runs failed, before any write', async () => {
    emulator.configureAgent('agent-1', { testPlan: { sandbox: { runs: 1, cases: 2, caseMs: 10, outcome: 'fail' } } })
    const built = emulator.seedDeployment('agent-1', 'sandbox', { createdAt: Date.now() - 60_000 })
    const [failing] = emulator.seedTestRuns('agent-1', 'sandbox', Date.now() - 59_000)
    const result = await run(emulator, { operation: 'release', 'deployment-id': built.id })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    // The failed run's cases are annotated too, as the build's runs were the step's gate.
    expect(errors(result)).toContainEqual(expect.stringMatching(new RegExp(`^The release stopped at pre-release: Refusing to promote deployment ${built.id} .+: 1 of its 1 test run\\(s\\) did not pass: ${failing} \\(failed\\)\\. Nothing was written\\.$`)))
    expect(result.outputs['tests-result']).toBe('failed')
    expect(writes()).toEqual([])
  })
})

describe('a release that stops at a rung refused before its write', () => {
  it('shows that rung alone in the usual outputs, not the deployment and verdict of the rung below', async () => {
    expect((await run(emulator, { operation: 'release', environment: 'pre-release' })).code).toBe(0)
    const before = emulator.active('agent-1')['pre-release']!
    emulator.setDraft('agent-1', 'v3')
    emulator.injectFault({ kind: 'status', status: 412, errorCode: 'ErrPreReleaseNotReady', method: 'POST', path: /promote$/ })
    const result = await run(emulator, { operation: 'release', environment: 'live' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({
      environment: 'pre-release', 'previous-deployment-id': before.id, 'deployment-id': '', version: '', changed: 'false',
      'tests-result': '', 'test-run-ids': '', 'tests-gated-by': ''
    })
    expect(rungsOf(result.outputs).map((rung) => [rung.environment, rung.testsResult])).toEqual([['sandbox', 'passed'], ['pre-release', null]])
  })
})

describe('a cancel while a promote checks its build\'s runs', () => {
  /** SIGINT once the build's run is polled: only the promote's check of the build polls it. */
  const cancelAtPoll = (emulator: Emulator) => (child: import('node:child_process').ChildProcess): void => {
    const watch = setInterval(() => {
      if (!emulator.requests.some((request) => request.method === 'GET' && /\/testing\/test-runs\/[^/]+$/.test(request.path))) return
      clearInterval(watch)
      child.kill('SIGINT')
    }, 10)
    child.on('exit', () => clearInterval(watch))
  }
  const slowBuild = async (): Promise<{ deployment: string; runs: string[] }> => {
    emulator.configureAgent('agent-1', { testPlan: { all: { runs: 1, cases: 2, caseMs: 60_000 } } })
    const published = await run(emulator, { operation: 'publish', 'wait-for-tests': 'false' })
    return { deployment: published.outputs['deployment-id'], runs: JSON.parse(published.outputs['test-run-ids']) as string[] }
  }

  it.each([
    ['a promote', { operation: 'promote', environment: 'pre-release' }],
    ['a release from the deployment', { operation: 'release', environment: 'live' }]
  ])('in %s names the runs still going, and writes nothing', async (name, inputs) => {
    const build = await slowBuild()
    const result = await run(emulator, { ...inputs, 'deployment-id': build.deployment }, { onSpawn: cancelAtPoll(emulator) })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({ 'tests-result': 'cancelled', 'test-run-ids': JSON.stringify(build.runs), 'tests-gated-by': 'promoted-deployment' })
    expect(errors(result)).toEqual([`The run was cancelled; test runs still going: ${build.runs[0]}`])
    expect(writes()).toEqual(['publish'])
    if (name !== 'a promote') expect(rungsOf(result.outputs).map((rung) => [rung.environment, rung.testsResult])).toEqual([['sandbox', 'skipped'], ['pre-release', 'cancelled']])
  })

  it('says a build whose runs outlast the timeout had not finished, not that it failed', async () => {
    const build = await slowBuild()
    const result = await run(emulator, { operation: 'promote', environment: 'pre-release', timeout: '1s' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({ 'tests-result': 'timed-out', 'test-run-ids': JSON.stringify(build.runs) })
    expect(errors(result).find((line) => line.startsWith('Refusing'))).toMatch(new RegExp(`^Refusing to promote deployment ${build.deployment} \\(version .+\\): 1 of its 1 test run\\(s\\) had not finished within timeout: ${build.runs[0]} \\(timed-out`))
  })
})
