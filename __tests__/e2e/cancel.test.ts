import type { ChildProcess } from 'node:child_process'
import { afterEach, beforeEach, expect, it } from '@jest/globals'
import type { Emulator } from '../../emulator/server.js'
import { cancelDuring, emulatorWith, QUICK_TESTS, errors, expectClean, run } from './harness.js'

// A cancelled workflow: the runner sends SIGINT (then SIGTERM); the step reports and ends promptly.
let emulator: Emulator
beforeEach(async () => {
  emulator = await emulatorWith({ 'agent-1': { ...QUICK_TESTS, testPlan: { all: { runs: 2, cases: 3, caseMs: 60, outcome: 'hang' } } } })
})
afterEach(() => emulator.close())

/** Sends the signal once the step says it is waiting; records when. */
function signalWhenWaiting(signal: NodeJS.Signals, sentAt: { at: number }) {
  return (child: ChildProcess): void => {
    let seen = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString()
      if (sentAt.at === 0 && seen.includes('Waiting for 2 test run(s)')) {
        sentAt.at = Date.now()
        child.kill(signal)
      }
    })
  }
}

it.each(['SIGINT', 'SIGTERM'] as const)('on %s stops polling, writes the summary and outputs, and exits non-zero', async (signal) => {
  const sentAt = { at: 0 }
  const result = await run(emulator, { operation: 'publish', timeout: '10m' }, { onSpawn: signalWhenWaiting(signal, sentAt) })
  expectClean(result, emulator)
  expect(sentAt.at).toBeGreaterThan(0)
  expect(result.code).toBe(1)
  const ids = JSON.parse(result.outputs['test-run-ids']) as string[]
  expect(ids).toHaveLength(2)
  expect(result.outputs).toMatchObject({ changed: 'true', 'tests-result': 'cancelled', 'deployment-id': emulator.active('agent-1').sandbox!.id })
  expect(errors(result)[0]).toMatch(new RegExp(`^The run was cancelled; test runs still going: (${ids[0]}, ${ids[1]}|${ids[1]}, ${ids[0]})$`))
  expect(result.summary).toMatch(/## PolyAI release gate: ⏹️ Cancelled/)
  for (const id of ids) expect(result.summary).toContain(`| \`${id}\` | ⏹️ still going |`)
  // No poll after the signal was handled: the last request came before the process ended.
  const afterSignal = emulator.requests.filter((request) => request.at > sentAt.at + 500)
  expect(afterSignal).toEqual([])
})


it('a write abandoned by the second signal is reported as of unknown outcome, not as cancelled', async () => {
  // The publish takes 3 s to answer; both signals come while it is in flight.
  emulator.injectFault({ method: 'POST', path: '/deployments/publish$', kind: 'delay', ms: 3000 })
  const result = await run(emulator, { operation: 'publish' }, { onSpawn: cancelDuring(emulator, /\/deployments\//) })
  expectClean(result, emulator)
  expect(result.code).toBe(1)
  expect(errors(result)[0]).toMatch(/^POST \/v1\/agents\/agent-1\/deployments\/publish was abandoned in flight by a second cancel, so the outcome is unknown/)
  expect(result.summary).not.toMatch(/⏹️ Cancelled/)
  // Neither published nor unchanged: the summary says it cannot tell.
  expect(result.summary).toContain("| **sandbox** | nothing | **unknown**: the write's outcome was lost; check the agent's deployments |")
  expect(result.summary).toContain('| pre-release | nothing | unchanged |')
  expect(result.summary).not.toContain('Published the draft to sandbox.')
})

it('a rollback by deployment alone, abandoned in flight, shows the environment found for it as unknown', async () => {
  const target = emulator.seedDeployment('agent-1', 'live', { version: 'v1' })
  emulator.seedDeployment('agent-1', 'live', { version: 'v2' })
  emulator.injectFault({ method: 'POST', path: '/rollback$', kind: 'delay', ms: 3000 })
  const result = await run(emulator, { operation: 'rollback', 'deployment-id': target.id }, { onSpawn: cancelDuring(emulator, /\/deployments\//) })
  expectClean(result, emulator)
  expect(result.code).toBe(1)
  expect(errors(result)[0]).toMatch(/rollback was abandoned in flight by a second cancel, so the outcome is unknown/)
  expect(result.summary).toContain("| **live** | `v2` | **unknown**: the write's outcome was lost; check the agent's deployments |")
  expect(result.summary).toContain('| sandbox | nothing | unchanged |')
  expect(JSON.parse(result.outputs.results)).toEqual([expect.objectContaining({ status: 'failed', environment: 'live' })])
})

it('a fleet cancelled while waiting reads as cancelled, as one agent does', async () => {
  emulator.configureAgent('agent-2', { ...QUICK_TESTS, testPlan: { all: { runs: 1, cases: 3, caseMs: 60, outcome: 'hang' } } })
  const onSpawn = (child: ChildProcess): void => {
    let seen = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString()
      // Both agents waiting: the cancel stops each mid-wait.
      if (seen.includes('[agent-1] Waiting for') && seen.includes('[agent-2] Waiting for') && child.exitCode === null && !child.killed) child.kill('SIGINT')
    })
  }
  const result = await run(emulator, { operation: 'publish', 'agent-id': 'agent-1,agent-2', timeout: '10m' }, { onSpawn })
  expectClean(result, emulator)
  expect(result.code).toBe(1)
  expect(JSON.parse(result.outputs.results)).toEqual([expect.objectContaining({ status: 'cancelled' }), expect.objectContaining({ status: 'cancelled' })])
  expect(result.summary).toMatch(/^## PolyAI release gate: ⏹️ Cancelled: 0 of 2 agents passed$/m)
  expect(errors(result).at(-1)).toMatch(/^Of 2 agents, 2 cancelled\. agent-1: The run was cancelled; test runs still going: .+; agent-2: The run was cancelled; test runs still going: .+$/)
})

it('sends no write after the first signal, even one waiting out a pause another agent\'s 429 put on the client', async () => {
  const fleet = await emulatorWith({ 'agent-1': QUICK_TESTS, 'agent-2': QUICK_TESTS })
  try {
    // agent-2's read is answered 429 with a 4 s pause for the whole client; agent-1's publish waits it out.
    fleet.injectFault({ method: 'GET', path: '/agents/agent-1/deployments/active$', kind: 'delay', ms: 400 })
    fleet.injectFault({ method: 'GET', path: '/agents/agent-2/deployments/active$', kind: 'status', status: 429, retryAfter: '4' })
    const sentAt = { at: 0 }
    const signalDuringPause = (child: ChildProcess): void => {
      const watch = setInterval(() => {
        const seen = fleet.requests.filter((request) => request.path.endsWith('/deployments/active'))
        if (seen.length < 2 || sentAt.at !== 0) return
        clearInterval(watch)
        // Once agent-1's read has been answered, its publish is queued behind the pause.
        setTimeout(() => {
          sentAt.at = Date.now()
          child.kill('SIGINT')
        }, 800)
      }, 10)
      child.on('exit', () => clearInterval(watch))
    }
    const result = await run(fleet, { operation: 'publish', 'agent-id': 'agent-1,agent-2', 'max-parallel': '2' }, { onSpawn: signalDuringPause })
    expectClean(result, fleet)
    expect(sentAt.at).toBeGreaterThan(0)
    expect(result.code).toBe(1)
    expect(fleet.requests.filter((request) => request.method === 'POST')).toEqual([])
    expect(fleet.active('agent-1').sandbox).toBeNull()
  } finally {
    await fleet.close()
  }
})
