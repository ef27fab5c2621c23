import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import type { Emulator } from '../../emulator/server.js'
import { emulatorWith, errors, expectClean, QUICK_TESTS, run } from './harness.js'

// Fleets: several agents in one step, one client, one summary, one results output.
const AGENTS = ['agent-a', 'agent-b', 'agent-c', 'agent-d', 'agent-e']
let emulator: Emulator
beforeEach(async () => {
  const plan = { ...QUICK_TESTS, testPlan: { all: { runs: 1, cases: 3, caseMs: 60 } } }
  emulator = await emulatorWith(Object.fromEntries(AGENTS.map((agent) => [agent, plan])))
})
afterEach(() => emulator.close())

interface Result {
  agentId: string
  status: string
  deploymentId: string | null
  version: string | null
  testsResult: string | null
  error?: string
}
const resultsOf = (outputs: Record<string, string>): Result[] => JSON.parse(outputs.results) as Result[]

describe('a fleet', () => {
  it('publishes every agent; one failing gate fails the step after the others finished', async () => {
    emulator.configureAgent('agent-c', { testPlan: { sandbox: { runs: 1, cases: 3, caseMs: 60, outcome: 'fail' } } })
    const result = await run(emulator, { operation: 'publish', 'agent-id': AGENTS.join(','), 'max-parallel': '2' })
    expectClean(result, emulator)
    expect(result.code).toBe(1)
    const results = resultsOf(result.outputs)
    expect(results.map((entry) => [entry.agentId, entry.status, entry.testsResult])).toEqual([
      ['agent-a', 'passed', 'passed'],
      ['agent-b', 'passed', 'passed'],
      ['agent-c', 'failed', 'failed'],
      ['agent-d', 'passed', 'passed'],
      ['agent-e', 'passed', 'passed']
    ])
    for (const entry of results) expect(entry.deploymentId).toBe(emulator.active(entry.agentId).sandbox!.id)
    expect(errors(result).at(-1)).toMatch(/^Of 5 agents, 1 failed\. agent-c: The gate failed: 1 of 1 test run\(s\) failed/)
    expect(result.summary).toMatch(/## PolyAI release gate: ❌ 4 of 5 agents passed/)
    for (const agent of AGENTS) expect(result.summary).toContain(`| \`${agent}\` |`)
    // Annotations name the agent.
    expect(result.stdout).toMatch(/::error title=agent-c%3A Test run [0-9a-f-]+%3A Case 3%3A caller asks for opening hours::agent-c: Test case Case 3: caller asks for opening hours \(tc-3\) failed/)
  })

  it('never runs more than max-parallel agents at once', async () => {
    const result = await run(emulator, { operation: 'publish', 'agent-id': JSON.stringify(AGENTS), 'max-parallel': '2' })
    expect(result.code).toBe(0)
    // An agent's first request marks its start, its last its end: no more than two overlap at any start.
    const spans = AGENTS.map((agent) => {
      const own = emulator.requests.filter((request) => request.agentId === agent)
      return { start: own[0].at, end: own[own.length - 1].at }
    })
    for (const { start } of spans) {
      expect(spans.filter((span) => span.start <= start && span.end > start).length).toBeLessThanOrEqual(2)
    }
  })

  it('with fail-fast, starts no new agent after the first failure', async () => {
    emulator.configureAgent('agent-a', { testPlan: { sandbox: { runs: 1, cases: 2, caseMs: 60, outcome: 'fail' } } })
    const result = await run(emulator, { operation: 'publish', 'agent-id': AGENTS.join('\n'), 'max-parallel': '1', 'fail-fast': 'true' })
    expect(result.code).toBe(1)
    const results = resultsOf(result.outputs)
    expect(results.map((entry) => entry.status)).toEqual(['failed', 'not-started', 'not-started', 'not-started', 'not-started'])
    expect(results[1].error).toBe('not started: fail-fast after agent-a failed')
    // Counted as what they are: one agent failed, the rest never started.
    expect(errors(result).at(-1)).toMatch(/^Of 5 agents, 1 failed, 4 not started\. agent-a: /)
    expect(AGENTS.slice(1).every((agent) => emulator.deployments(agent).length === 0)).toBe(true)
  })

  it('keeps one agent\'s error from hiding the others\' results', async () => {
    emulator.seedDeployment('agent-b', 'sandbox', { version: 'v1' })
    const result = await run(emulator, { operation: 'promote', environment: 'pre-release', 'agent-id': 'agent-a,agent-b' })
    expect(result.code).toBe(1)
    const [a, b] = resultsOf(result.outputs)
    expect(a).toMatchObject({ agentId: 'agent-a', status: 'failed', error: 'Nothing is active in sandbox, so there is nothing to promote to pre-release' })
    expect(b).toMatchObject({ agentId: 'agent-b', status: 'passed', version: 'v1', testsResult: 'passed' })
  })

  it('refuses deployment-id with several agents, before any request', async () => {
    const result = await run(emulator, { operation: 'promote', environment: 'live', 'agent-id': 'agent-a,agent-b', 'deployment-id': 'dep_1' })
    expect(result.code).toBe(1)
    expect(errors(result)).toEqual(["Input 'deployment-id' names one deployment of one agent, so it cannot be used with several agents"])
    expect(emulator.requests).toHaveLength(0)
  })
})
