import { expect, it } from '@jest/globals'
import { runScenario } from '../../scripts/reliability/run-scenario.js'
import { scenarios } from '../../scripts/reliability/scenarios.js'
import { MACHINE_NODE } from './harness.js'

// Faults that take a minute by design (a run unreadable for a minute of failed polls), in a file of
// their own so they run beside the other suites.
it.each(scenarios.filter((scenario) => scenario.slow).map((scenario) => [scenario.name, scenario] as const))(
  '%s',
  async (_name, scenario) => {
    const outcome = await runScenario(scenario, { node: MACHINE_NODE })
    expect(outcome.problems).toEqual([])
    expect(outcome.duplicates).toBe(0)
    expect(outcome.leaks).toBe(0)
  },
  150_000
)
