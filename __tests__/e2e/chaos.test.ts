import { describe, expect, it } from '@jest/globals'
import type { AgentOptions } from '../../emulator/server.js'
import { runGate } from '../../scripts/chaos/gate.js'
import { KILL_CASES, killAndRerun } from '../../scripts/chaos/killed.js'
import { planGate } from '../../scripts/chaos/plan.js'
import { emulatorWith, expectClean, MACHINE_NODE, run } from './harness.js'

// Never a false pass: a few seeds of each kind on every CI run; `npm run chaos` runs hundreds.
// No timing assertions: a wait that overran would end timed-out, which the verdicts below exclude.

describe('seeded chaos', () => {
  // Seeds chosen to cover every operation; any seed must hold.
  it.each([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])('seed %i holds every invariant', async (seed) => {
    const { plan, problems } = await runGate(planGate(seed), { node: MACHINE_NODE })
    expect({ seed, operation: plan.operation, problems }).toEqual({ seed, operation: plan.operation, problems: [] })
  })
})

describe('killed and run again', () => {
  // Every point for tests that fail (a pass there would be the false one), and after the server acted for both.
  const cases = KILL_CASES.filter((killCase) => killCase.outcome === 'fail' || killCase.point === 'after the server acted')
  it.each(cases.map((killCase) => ({ ...killCase, name: `${killCase.operation} killed ${killCase.point}, tests ${killCase.outcome}` })))(
    '$name: one deployment, the right verdict',
    async ({ operation, point, outcome }) => {
      expect(await killAndRerun({ operation, point, outcome }, { node: MACHINE_NODE })).toEqual([])
    }
  )
})

describe('clocks that differ', () => {
  const QUICK: AgentOptions = { testPlan: { all: { runs: 2, cases: 4, caseMs: 400 } } }
  it.each([
    ['ten minutes behind', -10 * 60_000],
    ['ten minutes ahead', 10 * 60_000],
    ['an hour behind', -60 * 60_000]
  ])('server %s: the verdict is right and the wait stays prompt', async (_name, offsetMs) => {
    const emulator = await emulatorWith({ 'agent-1': QUICK })
    try {
      emulator.setClockOffset(offsetMs)
      const result = await run(emulator, { operation: 'publish', timeout: '20s', 'poll-interval': '1s' })
      expectClean(result, emulator)
      expect(result.code).toBe(0)
      expect(result.outputs['tests-result']).toBe('passed')
      // A 1.6 s run: a fixed 1 s poller would poll each run about twice; a schedule misled by the skew polls far more, or waits past timeout.
      const polls = emulator.requests.filter((request) => request.path.includes('/testing/test-runs/')).length
      expect(polls).toBeLessThanOrEqual(2 * 6)
    } finally {
      await emulator.close()
    }
  })

  it('a server clock that jumps forward mid-wait changes no verdict', async () => {
    const emulator = await emulatorWith({ 'agent-1': { testPlan: { all: { runs: 2, cases: 3, caseMs: 200, outcome: 'fail' } } } })
    try {
      const stop = emulator.observe((entry, phase) => {
        if (phase === 'arrived' && entry.path.includes('/testing/test-runs/')) {
          emulator.setClockOffset(5 * 60_000)
          stop()
        }
      })
      const result = await run(emulator, { operation: 'publish', timeout: '20s' })
      expect(result.code).toBe(1)
      expect(result.outputs['tests-result']).toBe('failed')
    } finally {
      await emulator.close()
    }
  })
})

