import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import type { Emulator } from '../../emulator/server.js'
import { emulatorWith, QUICK_TESTS, errors, expectClean, run } from './harness.js'

// The verdict: failing tests, time-outs, rollback, and what "nothing to wait for" means.
let emulator: Emulator
beforeEach(async () => {
  emulator = await emulatorWith({ 'agent-1': { ...QUICK_TESTS, testPlan: { all: { runs: 3, cases: 3, caseMs: 60 } } } })
})
afterEach(() => emulator.close())

const failSandbox = (outcome: 'fail' | 'error' | 'hang' | 'timed_out', failRuns?: number[]): void =>
  emulator.configureAgent('agent-1', { testPlan: { sandbox: { runs: 3, cases: 3, caseMs: 60, outcome, failRuns } } })

describe('a failing gate', () => {
  it('fails the step, names the failing runs and cases, and annotates each case', async () => {
    failSandbox('fail', [1])
    const result = await run(emulator, { operation: 'publish' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    const ids = JSON.parse(result.outputs['test-run-ids']) as string[]
    expect(result.outputs).toMatchObject({ 'tests-result': 'failed', 'tests-passed': '8', 'tests-failed': '1', 'tests-total': '9', changed: 'true' })
    expect(errors(result)).toContain(`The gate failed: 1 of 3 test run(s) failed: ${ids[1]} (failed)`)
    // Each failed case by name, with its failed assertion and its conversation.
    expect(result.stdout).toContain(
      `::error title=Test run ${ids[1]}%3A Case 3%3A caller asks for opening hours::Test case Case 3: caller asks for opening hours (tc-3) failed: The agent gives the opening hours: It said it did not know the hours; conversation conv-`
    )
    expect(result.summary).toContain('#### Failing test cases')
    expect(result.summary).toMatch(new RegExp(`\\| \`${ids[1]}\` \\| Case 3: caller asks for opening hours \\(\`tc-3\`\\) \\| failed \\| The agent gives the opening hours: It said it did not know the hours \\| \`conv-[0-9a-f]+-3\` \\|`))
    expect(result.summary).toMatch(/## PolyAI release gate: ❌ Failed/)
  })

  it('counts errored cases as a failure', async () => {
    failSandbox('error')
    const result = await run(emulator, { operation: 'publish' })
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({ 'tests-result': 'failed', 'tests-errored': '3', 'tests-failed': '0' })
  })

  it('fails a run that ends timed_out', async () => {
    failSandbox('timed_out', [0])
    const result = await run(emulator, { operation: 'publish' })
    expect(result.code).toBe(1)
    expect(result.outputs['tests-result']).toBe('failed')
  })

  it('fails a run whose counts say every case passed when its history lists a case that failed', async () => {
    // The emulator counts its runs from their histories, so only a forged answer can disagree with itself.
    emulator.configureAgent('agent-1', { testPlan: { sandbox: { runs: 1, cases: 2, caseMs: 60 } } })
    const published = await run(emulator, { operation: 'publish', 'wait-for-tests': 'false' })
    const [id] = JSON.parse(published.outputs['test-run-ids']) as string[]
    const entry = (testCaseId: string, status: string): object => ({
      testCaseId,
      status,
      testCaseSnapshot: { name: testCaseId },
      results: { prompt_assertion_results: [{ prompt: 'The agent gives the opening hours', is_pass: status === 'passed', reason: 'It said it did not know' }] },
      rawConversation: { id: `conv-${testCaseId}`, turns: [] }
    })
    const body = { id, status: 'completed', passedCount: 2, failedCount: 0, errorCount: 0, testCaseCount: 2, testHistory: [entry('tc-1', 'passed'), entry('tc-2', 'failed')] }
    emulator.injectFault({ method: 'GET', path: `/testing/test-runs/${id}$`, kind: 'body', body: JSON.stringify(body), times: Infinity })
    const result = await run(emulator, { operation: 'wait', 'test-run-ids': id })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({ 'tests-result': 'failed', 'tests-passed': '2', 'tests-failed': '0', 'tests-total': '2' })
    expect(errors(result)).toContain(
      `The gate failed: 1 of 1 test run(s) failed: ${id} (failed: it ended 'completed' with 2 of 2 cases passed, but its history lists 1 case that did not pass)`
    )
    expect(errors(result)).toContain('Test case tc-2 failed: The agent gives the opening hours: It said it did not know; conversation conv-tc-2')
    expect(result.summary).toMatch(/## PolyAI release gate: ❌ Failed/)
  })

  it('passes the step with a warning when fail-on-test-failure is false', async () => {
    failSandbox('fail')
    const result = await run(emulator, { operation: 'publish', 'fail-on-test-failure': 'false' })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    expect(result.outputs['tests-result']).toBe('failed')
    expect(result.stdout).toMatch(/::warning::The gate failed: 3 of 3 test run\(s\) failed: .+\(fail-on-test-failure is false, so the step passes\)/)
    // A failed table under a plain "Passed" would hide it: the summary says it passed with a warning, and which.
    expect(result.summary).toMatch(/^## PolyAI release gate: ⚠️ Passed with warnings$/m)
    expect(result.summary).toMatch(/### Warnings\n\n- The gate failed: 3 of 3 test run\(s\) failed: .+\(fail-on-test-failure is false, so the step passes\)/)
  })

  it('times out when a run never finishes, within the timeout', async () => {
    failSandbox('hang', [2])
    const result = await run(emulator, { operation: 'publish', timeout: '2s' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(result.outputs['tests-result']).toBe('timed-out')
    const ids = JSON.parse(result.outputs['test-run-ids']) as string[]
    expect(errors(result)).toContain(`The gate failed: 1 of 3 test run(s) did not finish in time: ${ids[2]} (timed-out: still going when timeout was reached)`)
    expect(result.stdout).toContain(`::warning title=Test run ${ids[2]}::Test run ${ids[2]} still going when timeout was reached`)
    expect(result.summary).toContain('⏱️ timed out')
  })
})

describe('rollback-on-failure', () => {
  it('returns the environment to what it ran before when the gate fails', async () => {
    const before = emulator.seedDeployment('agent-1', 'sandbox', { version: 'good' })
    failSandbox('fail')
    const result = await run(emulator, { operation: 'publish', 'rollback-on-failure': 'true' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({ 'rolled-back': 'true', 'tests-result': 'failed', 'previous-deployment-id': before.id })
    const active = emulator.active('agent-1').sandbox!
    expect(active.version).toBe('good')
    expect(active.id).not.toBe(result.outputs['deployment-id'])
    expect(emulator.requests.filter((request) => request.method === 'POST').map((request) => request.path)).toEqual([
      '/v1/agents/agent-1/deployments/publish',
      `/v1/agents/agent-1/deployments/${before.id}/rollback`
    ])
    expect(result.summary.split('\n').slice(0, 4).join('\n')).toMatch(/rolled back\*\* to version `good`/)
  })

  it('rolls back a promote after a time-out too', async () => {
    emulator.seedDeployment('agent-1', 'pre-release', { version: 'v1' })
    emulator.seedDeployment('agent-1', 'live', { version: 'v1' })
    emulator.seedDeployment('agent-1', 'pre-release', { version: 'v2' })
    emulator.configureAgent('agent-1', { testPlan: { live: { runs: 1, cases: 2, caseMs: 60, outcome: 'hang' } } })
    const result = await run(emulator, { operation: 'promote', environment: 'live', 'rollback-on-failure': 'true', timeout: '1s' })
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({ 'tests-result': 'timed-out', 'rolled-back': 'true', version: 'v2' })
    expect(emulator.active('agent-1').live?.version).toBe('v1')
  })

  it('keeps the gate\'s failure, and says what is left to do, where the platform refuses the rollback', async () => {
    // The ADK's reading: the platform takes a rollback only in sandbox.
    emulator.configureAgent('agent-1', { rollbackOnlyInSandbox: true, testPlan: { 'pre-release': { runs: 1, cases: 2, caseMs: 60, outcome: 'fail' } } })
    const previous = emulator.seedDeployment('agent-1', 'pre-release', { version: 'v1' })
    emulator.seedDeployment('agent-1', 'sandbox', { version: 'v2' })
    emulator.configureAgent('agent-1', { triggers: { promote: true } })
    const result = await run(emulator, { operation: 'promote', environment: 'pre-release', 'rollback-on-failure': 'true' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({ 'tests-result': 'failed', 'rolled-back': 'false', version: 'v2' })
    expect(errors(result).at(-1)).toMatch(/^The gate failed: /)
    expect(result.stdout).toMatch(new RegExp(`::warning::rollback-on-failure: the rollback was refused \\(POST \\S+/rollback failed: HTTP 400 .+\\); pre-release still runs deployment ${result.outputs['deployment-id']}, which failed its gate: return it to deployment ${previous.id} \\(version v1\\) in Agent Studio`))
    expect(emulator.active('agent-1')['pre-release']!.version).toBe('v2')
  })

  it('fails the step on a refused rollback where the gate did not (fail-on-test-failure: false)', async () => {
    emulator.configureAgent('agent-1', { rollbackOnlyInSandbox: true, triggers: { promote: true }, testPlan: { 'pre-release': { runs: 1, cases: 2, caseMs: 60, outcome: 'fail' } } })
    emulator.seedDeployment('agent-1', 'pre-release', { version: 'v1' })
    emulator.seedDeployment('agent-1', 'sandbox', { version: 'v2' })
    const result = await run(emulator, { operation: 'promote', environment: 'pre-release', 'rollback-on-failure': 'true', 'fail-on-test-failure': 'false' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(errors(result).at(-1)).toMatch(/^rollback-on-failure: the rollback was refused \(POST \S+\/rollback failed: HTTP 400 /)
    expect(emulator.active('agent-1')['pre-release']!.version).toBe('v2')
  })

  it('warns, and changes nothing more, when nothing was active before', async () => {
    failSandbox('fail')
    const result = await run(emulator, { operation: 'publish', 'rollback-on-failure': 'true' })
    expect(result.code).toBe(1)
    expect(result.outputs['rolled-back']).toBe('false')
    expect(result.stdout).toMatch(/::warning::rollback-on-failure: nothing was active in sandbox before/)
    expect(emulator.deployments('agent-1')).toHaveLength(1)
  })

  it('leaves a passing gate alone', async () => {
    emulator.seedDeployment('agent-1', 'sandbox', { version: 'old' })
    const result = await run(emulator, { operation: 'publish', 'rollback-on-failure': 'true' })
    expect(result.code).toBe(0)
    expect(result.outputs['rolled-back']).toBe('false')
    expect(emulator.active('agent-1').sandbox?.version).not.toBe('old')
  })
})

describe('nothing to wait for', () => {
  it('reports skipped, with the run IDs, when wait-for-tests is false', async () => {
    failSandbox('fail')
    const result = await run(emulator, { operation: 'publish', 'wait-for-tests': 'false' })
    expect(result.code).toBe(0)
    expect(result.outputs['tests-result']).toBe('skipped')
    expect(JSON.parse(result.outputs['test-run-ids'])).toHaveLength(3)
    expect(emulator.requests.some((request) => request.path.includes('/testing/'))).toBe(false)
  })

  it('fails a publish that triggered no test run, after the change, which stands', async () => {
    emulator.configureAgent('agent-1', { testPlan: { sandbox: { runs: 0 } } })
    const result = await run(emulator, { operation: 'publish' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    const deployment = emulator.active('agent-1').sandbox!
    expect(result.outputs).toMatchObject({ 'tests-result': 'none', 'tests-gated-by': 'none', 'test-run-ids': '[]', changed: 'true', 'deployment-id': deployment.id })
    expect(errors(result)).toEqual([
      `No test gated this deployment: the publish triggered no test run. The change stands: sandbox now runs deployment ${deployment.id} (version ${deployment.version}). ` +
        'Add tests that this call triggers, or set if-no-tests: pass to accept deployments no test gated.'
    ])
    expect(result.summary).toContain('> **No test gated this deployment.**')
  })

  it('passes it with a warning under if-no-tests: pass, and still says no test gated it', async () => {
    emulator.configureAgent('agent-1', { testPlan: { sandbox: { runs: 0 } } })
    const result = await run(emulator, { operation: 'publish', 'if-no-tests': 'pass' })
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({ 'tests-result': 'none', 'test-run-ids': '[]', 'tests-total': '0' })
    expect(result.stdout).toContain('::warning::No test gated this deployment: the publish triggered no test run (if-no-tests is pass)')
    expect(result.summary.split('\n').slice(0, 6).join('\n')).toContain('**No test gated this deployment.**')
  })
})

describe('many test runs', () => {
  it('waits on them with at most 8 requests open at once, and reads every one of them', async () => {
    emulator.configureAgent('agent-1', { testPlan: { sandbox: { runs: 40, cases: 3, caseMs: 60 } } })
    // Slow answers make polls overlap, so a missing bound would show.
    emulator.injectFault({ kind: 'delay', ms: 150, method: 'GET', path: '/testing/test-runs/', times: 10_000 })
    const result = await run(emulator, { operation: 'publish', 'poll-interval': '1s' })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({ 'tests-result': 'passed', 'tests-total': '120' })
    const ids = JSON.parse(result.outputs['test-run-ids']) as string[]
    expect(ids).toHaveLength(40)
    const read = new Set(emulator.requests.filter((request) => request.method === 'GET').map((request) => request.path.split('/').pop()))
    for (const id of ids) expect(read).toContain(id)
    expect(emulator.mostInFlight).toBeLessThanOrEqual(8)
    expect(emulator.mostInFlight).toBeGreaterThan(1)
    // Forty runs wait on one signal: that is the design, and Node must not call it a leak.
    expect(result.stderr).not.toContain('MaxListenersExceededWarning')
  })
})

describe('a re-run after a failed gate', () => {
  // As a runner sets them: the default message names this workflow run.
  const runner = { env: { GITHUB_REPOSITORY: 'acme/agent', GITHUB_SHA: 'abcdef1234567', GITHUB_REF_NAME: 'main', GITHUB_RUN_ID: '4242', GITHUB_SERVER_URL: 'https://github.com' } }

  it('stays red where the failed runs can no longer be told from another version\'s', async () => {
    failSandbox('fail', [1])
    const first = await run(emulator, { operation: 'publish' }, runner)
    expect(first.code).toBe(1)
    const failedRun = (JSON.parse(first.outputs['test-run-ids']) as string[])[1]
    // A deployment of another version lands near those runs: which are the publish's cannot be told.
    emulator.seedDeployment('agent-1', 'pre-release', { createdAt: Date.now() + 1000 })
    const second = await run(emulator, { operation: 'publish' }, runner)
    expectClean(second, emulator)
    expect(second.code).toBe(1)
    expect(second.outputs).toMatchObject({ changed: 'false', 'tests-result': 'failed', 'tests-gated-by': 'active-deployment' })
    expect(errors(second)).toContainEqual(expect.stringMatching(new RegExp(`test run\\(s\\) ${failedRun} started near its active deployment .+ and did not pass, and which runs are its own cannot be told, so the gate fails$`)))
  })

  it('waits on runs still going near it that cannot be told from another version\'s, and stays red when one fails', async () => {
    const now = Date.now()
    const built = emulator.seedDeployment('agent-1', 'sandbox', { createdAt: now - 30_000 })
    emulator.configureAgent('agent-1', { testPlan: { sandbox: { runs: 2, cases: 3, caseMs: 10_000, outcome: 'fail', failRuns: [1] } } })
    // The killed attempt's runs, still going: they finish about 5 s from now, one of them failed.
    emulator.seedTestRuns('agent-1', 'sandbox', now - 25_000)
    // A deployment of another version near them: which are the publish's cannot be told.
    emulator.seedDeployment('agent-1', 'live', { createdAt: now - 7_000 })
    emulator.setDraft('agent-1', built.version)
    const rerun = await run(emulator, { operation: 'publish' }, { env: { ...runner.env, GITHUB_RUN_ATTEMPT: '2' } })
    expectClean(rerun, emulator)
    expect(rerun.code).toBe(1)
    expect(rerun.outputs).toMatchObject({ changed: 'false', 'tests-result': 'failed', 'tests-gated-by': 'active-deployment' })
    expect(rerun.stdout).toContain('Waiting on 2 test run(s) still going near the deployment, which may be its own')
  })

  it('stays red where the publish that an earlier attempt made triggered no test run', async () => {
    emulator.configureAgent('agent-1', { triggers: { publish: false } })
    const first = await run(emulator, { operation: 'publish' }, runner)
    expect(first.code).toBe(1)
    const second = await run(emulator, { operation: 'publish' }, runner)
    expectClean(second, emulator)
    expect(second.code).toBe(1)
    expect(second.outputs).toMatchObject({ changed: 'false', 'tests-result': 'none', 'deployment-id': first.outputs['deployment-id'] })
    expect(errors(second)[0]).toMatch(/^No test gated this deployment: the publish triggered no test run/)
    // Another workflow run's re-publish of the same draft is unchanged, and if-unchanged decides.
    const other = await run(emulator, { operation: 'publish' }, { env: { ...runner.env, GITHUB_RUN_ID: '4343' } })
    expect(other.code).toBe(0)
    expect(other.outputs).toMatchObject({ changed: 'false', 'tests-result': 'skipped' })
  })

  it('stays red there on a platform that keeps no publish message: a re-run cannot tell the deployment from its own', async () => {
    emulator.configureAgent('agent-1', { triggers: { publish: false }, keepsMessages: false })
    const first = await run(emulator, { operation: 'publish' }, runner)
    expect(first.code).toBe(1)
    const rerun = await run(emulator, { operation: 'publish' }, { env: { ...runner.env, GITHUB_RUN_ATTEMPT: '2' } })
    expectClean(rerun, emulator)
    expect(rerun.code).toBe(1)
    expect(rerun.outputs).toMatchObject({ changed: 'false', 'tests-result': 'none', 'deployment-id': first.outputs['deployment-id'] })
    expect(errors(rerun)[0]).toMatch(/^No test gated this deployment: the publish triggered no test run/)
    // A first attempt made none of it: another workflow run's re-publish is unchanged, and if-unchanged decides.
    const other = await run(emulator, { operation: 'publish' }, { env: { ...runner.env, GITHUB_RUN_ID: '4343', GITHUB_RUN_ATTEMPT: '1' } })
    expect(other.code).toBe(0)
    expect(other.outputs).toMatchObject({ changed: 'false', 'tests-result': 'skipped' })
  })
})

describe('a promote of a build whose newest runs are unclear', () => {
  it('is refused where one of them failed, not gated by an older deployment\'s passing runs', async () => {
    const HOUR = 3_600_000
    const now = Date.now()
    emulator.configureAgent('agent-1', { testPlan: { sandbox: { runs: 1, cases: 3, caseMs: 10 } } })
    // The build's first deployment passed its run two hours ago.
    const first = emulator.seedDeployment('agent-1', 'sandbox', { createdAt: now - 2 * HOUR })
    emulator.seedTestRuns('agent-1', 'sandbox', now - 2 * HOUR + 1000)
    emulator.seedDeployment('agent-1', 'sandbox', { createdAt: now - HOUR })
    // The same build again in sandbox two minutes ago: its run failed, and a deployment of another
    // version landed in live just after, so that run may be either's.
    emulator.configureAgent('agent-1', { testPlan: { sandbox: { runs: 1, cases: 3, caseMs: 10, outcome: 'fail' } } })
    emulator.seedDeployment('agent-1', 'sandbox', { version: first.version, createdAt: now - 120_000 })
    const [failing] = emulator.seedTestRuns('agent-1', 'sandbox', now - 119_000)
    emulator.seedDeployment('agent-1', 'live', { createdAt: now - 90_000 })
    const result = await run(emulator, { operation: 'promote', environment: 'pre-release' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(errors(result).find((line) => line.startsWith('Refusing'))).toMatch(new RegExp(`^Refusing to promote deployment .+: test run\\(s\\) ${failing} started near it, or near the newest deployment of its build, and did not pass, and which runs are its own cannot be told`))
    expect(emulator.requests.filter((request) => request.method === 'POST')).toEqual([])
  })
})

describe('a deployment whose runs are past the first page of the agent\'s run list', () => {
  const HOUR = 3_600_000
  /**
   * A build whose three runs started together, the first of them failed, pushed back in the agent's
   * run list by `later` runs near no deployment; then a promote of it, refused. The offsets read.
   */
  async function refusedPromote(later: number, runPageCap?: number): Promise<{ built: { version: string }; offsets: unknown[] }> {
    const now = Date.now()
    emulator.configureAgent('agent-1', {
      ...(runPageCap ? { runPageCap } : {}),
      testPlan: { sandbox: { runs: 3, cases: 2, caseMs: 10, outcome: 'fail', failRuns: [0] }, live: { runs: later, cases: 1, caseMs: 10 } }
    })
    emulator.seedDeployment('agent-1', 'pre-release', { createdAt: now - 2 * HOUR })
    const built = emulator.seedDeployment('agent-1', 'sandbox', { createdAt: now - HOUR })
    const [failed] = emulator.seedTestRuns('agent-1', 'sandbox', now - HOUR + 1000)
    emulator.seedTestRuns('agent-1', 'live', now - HOUR / 2)
    const promoted = await run(emulator, { operation: 'promote', environment: 'pre-release' })
    expectClean(promoted, emulator)
    expect(promoted.code).toBe(1)
    expect(errors(promoted).find((line) => line.startsWith('Refusing'))).toMatch(new RegExp(`^Refusing to promote deployment .+: 1 of its 3 test run\\(s\\) did not pass: ${failed} \\(failed\\)`))
    expect(emulator.requests.filter((request) => request.method === 'POST')).toEqual([])
    const lists = emulator.requests.filter((request) => request.method === 'GET' && request.path.endsWith('/testing/test-runs'))
    return { built, offsets: lists.map((request) => request.query.offset) }
  }

  it('reads on, so a failed run among them still refuses the promote and fails an unchanged gate', async () => {
    // 98 later runs push one of the build's past 100; the second page held the last run, and only
    // an empty page ends the list.
    const { built, offsets } = await refusedPromote(98)
    expect(offsets).toEqual(['0', '100', '101'])

    // The draft is what sandbox runs: a publish is answered 409 and gated by those runs.
    emulator.setDraft('agent-1', built.version)
    const unchanged = await run(emulator, { operation: 'publish', 'if-unchanged': 'pass' })
    expect(unchanged.code).toBe(1)
    expect(unchanged.outputs).toMatchObject({ changed: 'false', 'tests-result': 'failed', 'tests-gated-by': 'active-deployment' })
  })

  it('reads on where the server holds fewer runs to a page than asked, so the one cut off still refuses the promote', async () => {
    // 48 later runs fill the first page of 50 but two: the build's failed run is the 51st.
    const { offsets } = await refusedPromote(48, 50)
    expect(offsets).toEqual(['0', '50', '51'])
  })
})
