import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import type { AgentOptions, Emulator } from '../../emulator/server.js'
import { API_KEY, emulatorWith, errors, expectClean, run } from './harness.js'

// The platform as recorded: publish and merge trigger test runs, promote and rollback trigger none,
// and runs carry no link to their deployment. No green gate here is one that no test earned.
const PLAN: AgentOptions = { testPlan: { all: { runs: 2, cases: 3, caseMs: 60 } } }
const HOUR = 3_600_000
let emulator: Emulator
beforeEach(async () => {
  emulator = await emulatorWith({ 'agent-1': PLAN })
})
afterEach(() => emulator.close())

const promotes = (): number => emulator.requests.filter((request) => request.path.endsWith('/promote')).length
const failSandbox = (): void => emulator.configureAgent('agent-1', { testPlan: { sandbox: { runs: 2, cases: 3, caseMs: 60, outcome: 'fail' } } })
/** A merge made elsewhere, in Agent Studio: straight to the API. */
async function mergeInStudio(): Promise<void> {
  const branch = emulator.addBranch('agent-1', 'studio-edit')
  const response = await fetch(`${emulator.url}/v1/agents/agent-1/branches/${branch.branchId}/merge`, {
    method: 'POST',
    headers: { 'x-api-key': API_KEY, 'content-type': 'application/json' },
    body: '{}'
  })
  expect(response.status).toBe(200)
}

describe('a promote that triggers no test run', () => {
  it('fails by default where no runs of the promoted build can be found, after the change, which stands', async () => {
    const sandbox = emulator.seedDeployment('agent-1', 'sandbox', { createdAt: Date.now() - HOUR })
    const result = await run(emulator, { operation: 'promote', environment: 'pre-release' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    const pre = emulator.active('agent-1')['pre-release']!
    expect(pre.version).toBe(sandbox.version)
    expect(result.outputs).toMatchObject({ changed: 'true', 'tests-result': 'none', 'tests-gated-by': 'none', 'deployment-id': pre.id })
    expect(errors(result)[0]).toMatch(/^No test gated this deployment: the promote triggered no test run\. The change stands: pre-release now runs deployment /)
    expect(result.summary).toContain('**No test gated this deployment.**')
  })

  const runner = { env: { GITHUB_REPOSITORY: 'acme/agent', GITHUB_SHA: 'abcdef1234567', GITHUB_REF_NAME: 'v1', GITHUB_RUN_ID: '4242', GITHUB_SERVER_URL: 'https://github.com' } }

  it('stays red on a re-run: the promote an earlier attempt made is still a change no test gated', async () => {
    emulator.seedDeployment('agent-1', 'sandbox', { createdAt: Date.now() - HOUR })
    const first = await run(emulator, { operation: 'promote', environment: 'pre-release' }, runner)
    expect(first.code).toBe(1)
    const again = await run(emulator, { operation: 'promote', environment: 'pre-release' }, runner)
    expectClean(again, emulator)
    expect(again.code).toBe(1)
    expect(again.outputs).toMatchObject({ changed: 'false', 'tests-result': 'none', 'deployment-id': first.outputs['deployment-id'] })
    expect(errors(again)[0]).toMatch(/^No test gated this deployment: the promote triggered no test run/)
    expect(promotes()).toBe(1)
  })

  it('stays green on a re-run, gated again by the passing runs of the build it promoted', async () => {
    // The build's runs started an hour ago, so none is near the promote's deployment.
    const sandbox = emulator.seedDeployment('agent-1', 'sandbox', { createdAt: Date.now() - HOUR })
    const ran = emulator.seedTestRuns('agent-1', 'sandbox', Date.now() - HOUR + 1000)
    const first = await run(emulator, { operation: 'promote', environment: 'pre-release' }, runner)
    expect(first.code).toBe(0)
    const again = await run(emulator, { operation: 'promote', environment: 'pre-release' }, runner)
    expectClean(again, emulator)
    expect(again.code).toBe(0)
    expect(again.outputs).toMatchObject({ changed: 'false', 'tests-result': 'passed', 'tests-gated-by': 'promoted-deployment' })
    expect(JSON.parse(again.outputs['test-run-ids']).sort()).toEqual([...ran].sort())
    expect(again.stdout).toContain(`gating on the 2 test run(s) deployment ${sandbox.id}, of the same build, triggered`)
  })

  it('passes with a warning under if-no-tests: pass', async () => {
    emulator.seedDeployment('agent-1', 'sandbox', { createdAt: Date.now() - HOUR })
    const result = await run(emulator, { operation: 'promote', environment: 'pre-release', 'if-no-tests': 'pass' })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('::warning::No test gated this deployment: the promote triggered no test run (if-no-tests is pass)')
  })

  it('is gated by the passing runs of the deployment it promotes', async () => {
    const published = await run(emulator, { operation: 'publish' })
    expect(published.code).toBe(0)
    const result = await run(emulator, { operation: 'promote', environment: 'pre-release' })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({ 'tests-result': 'passed', 'tests-gated-by': 'promoted-deployment', 'tests-total': '6' })
    expect(JSON.parse(result.outputs['test-run-ids']).sort()).toEqual(JSON.parse(published.outputs['test-run-ids']).sort())
    expect(result.summary).toContain(
      `gated by the 2 passing test run(s) of deployment ${published.outputs['deployment-id']}, of the build it promoted (version ${published.outputs.version})`
    )
  })

  it('to live, is gated by the runs of the sandbox deployment of its version, having none of its own', async () => {
    // Built and tested in sandbox an hour ago, promoted to pre-release (no runs) half an hour ago.
    const built = emulator.seedDeployment('agent-1', 'sandbox', { version: 'e'.repeat(32), createdAt: Date.now() - HOUR })
    const runIds = emulator.seedTestRuns('agent-1', 'sandbox', built.createdAt)
    emulator.seedDeployment('agent-1', 'pre-release', { version: 'e'.repeat(32), createdAt: Date.now() - HOUR / 2 })
    const result = await run(emulator, { operation: 'promote', environment: 'live' })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({ 'tests-result': 'passed', 'tests-gated-by': 'promoted-deployment' })
    expect(JSON.parse(result.outputs['test-run-ids']).sort()).toEqual([...runIds].sort())
    expect(result.stdout).toContain(`Checking the 2 test run(s) of deployment ${built.id}, the newest of version ${'e'.repeat(32)} whose runs can be found`)
  })

  it('is refused before any write when the runs of the deployment it promotes failed', async () => {
    failSandbox()
    const published = await run(emulator, { operation: 'publish' })
    expect(published.code).toBe(1)
    const result = await run(emulator, { operation: 'promote', environment: 'pre-release' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(errors(result).find((line) => line.startsWith('Refusing'))).toMatch(
      new RegExp(`^Refusing to promote deployment ${published.outputs['deployment-id']} \\(version [0-9a-f]{32}\\): 2 of its 2 test run\\(s\\) did not pass: .+ Nothing was written\\.$`)
    )
    expect(promotes()).toBe(0)
    expect(emulator.active('agent-1')['pre-release']).toBeNull()
  })
  it('is refused before any write when the agent\'s test runs cannot be read', async () => {
    const published = await run(emulator, { operation: 'publish' })
    expect(published.code).toBe(0)
    emulator.injectFault({ method: 'GET', path: '/testing/test-runs$', kind: 'status', status: 403, times: 5 })
    const result = await run(emulator, { operation: 'promote', environment: 'pre-release' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(errors(result)[0]).toMatch(
      new RegExp(`^Refusing to promote deployment ${published.outputs['deployment-id']} \\(version [0-9a-f]{32}\\): whether the test runs of its build passed cannot be told, as the agent's recent test runs could not be read: GET \\S+ failed: HTTP 403 .+ Nothing was written\\.$`)
    )
    expect(promotes()).toBe(0)
    expect(emulator.active('agent-1')['pre-release']).toBeNull()
  })
})

describe('a release whose promotes trigger nothing', () => {
  it('reaches live gated by its sandbox runs', async () => {
    const result = await run(emulator, { operation: 'release' })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    const rungs = JSON.parse(result.outputs.release) as { environment: string; testsResult: string; testRunIds: string[] }[]
    expect(rungs.map((rung) => [rung.environment, rung.testsResult])).toEqual([['sandbox', 'passed'], ['pre-release', 'passed'], ['live', 'passed']])
    expect(rungs[1].testRunIds).toEqual(rungs[0].testRunIds)
    expect(rungs[2].testRunIds).toEqual(rungs[0].testRunIds)
    expect(result.outputs['tests-gated-by']).toBe('promoted-deployment')
    expect(emulator.active('agent-1').live!.version).toBe(emulator.active('agent-1').sandbox!.version)
  })

  it('stops at pre-release, live untouched, when its sandbox rung is unchanged and no runs of it can be found', async () => {
    emulator.setDraft('agent-1', 'd'.repeat(32))
    emulator.seedDeployment('agent-1', 'sandbox', { version: 'd'.repeat(32), createdAt: Date.now() - HOUR })
    const result = await run(emulator, { operation: 'release' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    const active = emulator.active('agent-1')
    expect(active['pre-release']!.version).toBe('d'.repeat(32))
    expect(active.live).toBeNull()
    expect(errors(result)[0]).toMatch(/^The release stopped at pre-release: No test gated this deployment: the promote triggered no test run/)
    expect(promotes()).toBe(1)
  })
})

describe('never an older build over a newer one', () => {
  function olderSandboxNewerPreRelease(): void {
    emulator.seedDeployment('agent-1', 'sandbox', { version: 'a'.repeat(32), createdAt: Date.now() - 2 * HOUR })
    emulator.seedDeployment('agent-1', 'pre-release', { version: 'b'.repeat(32), createdAt: Date.now() - HOUR })
  }

  it('refuses the promote before any write, naming both deployments, versions and dates', async () => {
    olderSandboxNewerPreRelease()
    const result = await run(emulator, { operation: 'promote', environment: 'pre-release' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(errors(result)[0]).toMatch(
      /^Refusing to promote an older build over a newer one: pre-release runs deployment \S+ \(version b{32}, built \d{4}-.+Z\), newer than deployment \S+ \(version a{32}, built \d{4}-.+Z\)\. Nothing was written\./
    )
    expect(promotes()).toBe(0)
    // Nothing was promoted, so the summary says only why.
    expect(result.summary).toContain('**Why:** Refusing to promote an older build')
    expect(result.summary).not.toMatch(/^Promoted /m)
  })

  it('lets it through with allow-downgrade', async () => {
    olderSandboxNewerPreRelease()
    const result = await run(emulator, { operation: 'promote', environment: 'pre-release', 'allow-downgrade': 'true', 'if-no-tests': 'pass' })
    expect(result.code).toBe(0)
    expect(emulator.active('agent-1')['pre-release']!.version).toBe('a'.repeat(32))
  })

  it('promotes over a freshly rolled-back environment: its active deployment is new, its build old', async () => {
    const old = emulator.seedDeployment('agent-1', 'live', { version: '1'.repeat(32), createdAt: Date.now() - 3 * HOUR })
    emulator.seedDeployment('agent-1', 'pre-release', { version: '2'.repeat(32), createdAt: Date.now() - 2 * HOUR })
    emulator.seedDeployment('agent-1', 'live', { version: '2'.repeat(32), createdAt: Date.now() - HOUR })
    const rolledBack = await run(emulator, { operation: 'rollback', environment: 'live', 'deployment-id': old.id })
    expect(rolledBack.code).toBe(0)
    expect(rolledBack.stdout).toContain('::warning::The rollback triggered no test run; it returns to a version that ran before, so the step passes')
    const result = await run(emulator, { operation: 'promote', environment: 'live', 'if-no-tests': 'pass' })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    expect(emulator.active('agent-1').live!.version).toBe('2'.repeat(32))
  })
})

describe('test runs as the platform reports them', () => {
  it('finishes a run with an unknown status by its counts, with one warning naming the status', async () => {
    emulator.configureAgent('agent-1', { testPlan: { sandbox: { runs: 1, cases: 3, caseMs: 60, finalStatus: 'finished' } } })
    const result = await run(emulator, { operation: 'publish' })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({ 'tests-result': 'passed', 'tests-passed': '3', 'tests-total': '3' })
    const warnings = result.stdout.split('\n').filter((line) => line.includes("unknown status 'finished'"))
    expect(warnings).toHaveLength(1)
    // The summary says so too: not a bare "Passed".
    expect(result.summary).toMatch(/## PolyAI release gate: ⚠️ Passed with warnings/)
    expect(result.summary).toContain("reports an unknown status 'finished'; every case is counted, so it is judged by its counts")
  })

  it('never passes an unknown status with a failed case', async () => {
    emulator.configureAgent('agent-1', { testPlan: { sandbox: { runs: 1, cases: 3, caseMs: 60, finalStatus: 'finished', outcome: 'fail' } } })
    const result = await run(emulator, { operation: 'publish' })
    expect(result.code).toBe(1)
    expect(result.outputs['tests-result']).toBe('failed')
  })
})

describe('an environment found unchanged', () => {
  it('after a merge made elsewhere, is gated by that merge\'s runs: green when they passed', async () => {
    await mergeInStudio()
    const result = await run(emulator, { operation: 'publish' })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({ changed: 'false', 'tests-result': 'passed', 'tests-gated-by': 'active-deployment' })
  })

  it('…and red when they failed, so a re-run after a failed gate stays red', async () => {
    failSandbox()
    await mergeInStudio()
    const result = await run(emulator, { operation: 'publish' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({ changed: 'false', 'tests-result': 'failed' })
    expect(errors(result).at(-1)).toMatch(/^The gate failed: 2 of 2 test run\(s\) \(the runs of deployment \S+, which the environment already ran\) failed/)
  })

  it('…and red, whatever if-unchanged says, when the agent\'s test runs cannot be read', async () => {
    await mergeInStudio()
    emulator.injectFault({ method: 'GET', path: '/testing/test-runs$', kind: 'status', status: 403, times: 5 })
    const result = await run(emulator, { operation: 'publish', 'if-unchanged': 'pass' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({ changed: 'false', 'tests-result': 'skipped' })
    expect(errors(result).at(-1)).toMatch(/, and whether the test runs of deployment \S+ passed cannot be told, as the agent's recent test runs could not be read: GET \S+ failed: HTTP 403 /)
  })
})

describe('a publish whose answer names no test runs (the contract makes them optional)', () => {
  beforeEach(() => emulator.configureAgent('agent-1', { publishNamesRuns: false }))

  it('is gated by the runs it started, found by when they started', async () => {
    const result = await run(emulator, { operation: 'publish' })
    expectClean(result, emulator)
    expect(result.code).toBe(0)
    expect(result.outputs).toMatchObject({ 'tests-result': 'passed', 'tests-gated-by': 'triggered', 'tests-total': '6' })
    expect(JSON.parse(result.outputs['test-run-ids'])).toHaveLength(2)
    expect(result.stdout).toContain(`Its answer named no test runs: found 2 of deployment ${result.outputs['deployment-id']} in the agent's recent runs`)
  })

  it('fails on them when they fail, even under if-no-tests: pass', async () => {
    failSandbox()
    const result = await run(emulator, { operation: 'publish', 'if-no-tests': 'pass' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({ 'tests-result': 'failed', 'tests-gated-by': 'triggered' })
  })

  it('waits for runs the list does not show yet, and fails on them, even under if-no-tests: pass', async () => {
    emulator.configureAgent('agent-1', { testPlan: { sandbox: { runs: 2, cases: 3, caseMs: 60, outcome: 'fail', notFoundForMs: 3000 } } })
    const result = await run(emulator, { operation: 'publish', 'if-no-tests': 'pass' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(result.outputs).toMatchObject({ 'tests-result': 'failed', 'tests-gated-by': 'triggered' })
    expect(JSON.parse(result.outputs['test-run-ids'])).toHaveLength(2)
  })

  it('is one that no test gated where no run started near it', async () => {
    emulator.configureAgent('agent-1', { triggers: { publish: false } })
    const result = await run(emulator, { operation: 'publish' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(errors(result)[0]).toMatch(/^No test gated this deployment: the publish triggered no test run/)
  })
})

describe('a write whose answer was lost', () => {
  it('finds the new deployment\'s runs by when they started, on the server\'s clock, skewed minutes from the runner\'s', async () => {
    emulator.setClockOffset(-7 * 60_000)
    failSandbox()
    emulator.injectFault({ kind: 'act-then-drop', method: 'POST', path: '/publish$' })
    const result = await run(emulator, { operation: 'publish' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('Found the 2 test run(s) of deployment')
    expect(result.outputs['tests-result']).toBe('failed')
    expect(emulator.deployments('agent-1')).toHaveLength(1)
  })

  it('fails closed, naming the candidates, when another deployment was made near its runs', async () => {
    const rival = emulator.seedDeployment('agent-1', 'live', { createdAt: emulator.now() - 10_000 })
    emulator.injectFault({ kind: 'act-then-drop', method: 'POST', path: '/publish$' })
    const result = await run(emulator, { operation: 'publish' })
    expect(result.code).toBe(1)
    expect(errors(result)[0]).toMatch(new RegExp(`started near it, but deployment\\(s\\) ${rival.id} of another version were created near them too, so which are its own cannot be told`))
  })
})
